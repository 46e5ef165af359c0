package redact

import (
	"net/netip"
	"strings"
)

// ---- emails ----

// localEscape reports whether the two bytes after a '%' encode a byte
// that may be part of an email's local part ("%2B" for '+'), or are not
// an escape at all.
func localEscape(h string) bool {
	v, ok := unhex2(h)
	return !ok || isLocalPart(v) && v != '%'
}

func unhex2(h string) (byte, bool) {
	var v byte
	for k := 0; k < 2; k++ {
		c := h[k]
		switch {
		case isDigit(c):
			v = v<<4 | (c - '0')
		case 'a' <= c && c <= 'f':
			v = v<<4 | (c - 'a' + 10)
		case 'A' <= c && c <= 'F':
			v = v<<4 | (c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return v, true
}

func isLocalPart(c byte) bool {
	return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

// email examines the '@' at i, written with n bytes ("@" or "%40").
func (sc *scanner) email(i, n int) int {
	s := sc.s
	// The domain first: most '@' and '%40' in logs are not followed by
	// one, and the local part costs a scan backwards.
	d := i + n
	k := d
	for k < len(s) && (isAlnum(s[k]) || s[k] == '-' || s[k] == '.') && k-d < 255 {
		if s[k] == '.' && (k == d || s[k-1] == '.') {
			break
		}
		k++
	}
	for k > d && (s[k-1] == '.' || s[k-1] == '-') {
		k--
	}
	if k == d || !isAlnum(s[d]) {
		return -1
	}
	dot := strings.LastIndexByte(s[d:k], '.')
	if dot < 0 {
		return -1
	}
	tld := s[d+dot+1 : k]
	if len(tld) < 2 {
		return -1
	}
	for j := 0; j < len(tld); j++ {
		if class[tld[j]]&(cUpper|cLower) == 0 {
			return -1
		}
	}
	a := i
	for a > sc.lo && isLocalPart(s[a-1]) && i-a < 256 {
		a--
	}
	// A URL-encoded separator ("%2F", "%3D") ends the local part:
	// /users%2Fjane%40example.com.
	for k := i - 3; k >= a; k-- {
		if s[k] == '%' && !localEscape(s[k+1:k+3]) {
			a = k + 3
			break
		}
	}
	for a < i && (s[a] == '.' || s[a] == '-') {
		a++
	}
	if a == i || s[i-1] == '.' {
		return -1
	}
	sc.add(a, k, kindEmail)
	return k
}

// ---- payment cards ----

func (sc *scanner) card(i int) int {
	s := sc.s
	// A card is not the fractional part of a decimal number, nor digits
	// glued to an identifier (blk_5739119717322549945, blk_-4980916519...).
	if i >= 2 && s[i-1] == '.' && isDigit(s[i-2]) {
		return -1
	}
	for k := i; k > 0 && (s[k-1] == '_' || s[k-1] == '-'); k-- {
		if k-1 > 0 && isAlnum(s[k-2]) {
			return -1
		}
	}
	// Quick rejection before any work: a card starts with a group of 3 to 6
	// digits followed by a separator, or is 13 to 19 digits in one run.
	g := i
	for g < len(s) && isDigit(s[g]) && g-i < 20 {
		g++
	}
	if gl := g - i; gl < 3 || (gl < 13 && (gl > 6 || g+1 >= len(s) || (s[g] != ' ' && s[g] != '-'))) {
		return -1
	}
	// A card in groups is not one of several numbers in a row
	// ("REPORT : 7024 5015 150454 240").
	if i >= 2 && (s[i-1] == ' ' || s[i-1] == '-') && isDigit(s[i-2]) && g-i < 13 {
		return -1
	}
	var digits [19]byte
	var ends, counts, lens [19]int
	nd, ng := 0, 0
	j := i
	for ng < len(ends) {
		st := j
		for j < len(s) && isDigit(s[j]) && j-st <= len(digits) {
			j++
		}
		gl := j - st
		if ng == 0 && gl > len(digits) {
			return -1 // an unseparated run longer than any card
		}
		if ng > 0 && (gl < 3 || gl > 6 || nd+gl > len(digits)) {
			break
		}
		for k := st; k < j; k++ {
			digits[nd] = s[k] - '0'
			nd++
		}
		ends[ng], counts[ng], lens[ng] = j, nd, gl
		ng++
		if gl < 3 || gl > 6 {
			break // only groups of 3 to 6 digits are followed by more groups
		}
		if j+1 < len(s) && (s[j] == ' ' || s[j] == '-') && isDigit(s[j+1]) {
			j++
			continue
		}
		break
	}
	for g := ng - 1; g >= 0; g-- {
		e, c := ends[g], counts[g]
		if c < 13 || !sc.wordEnd(e) || !cardLayout(lens[:g+1]) {
			continue
		}
		if e+1 < len(s) && s[e] == '.' && isDigit(s[e+1]) {
			continue // the integer part of a decimal number
		}
		if g > 0 && e+1 < len(s) && (s[e] == ' ' || s[e] == '-') && isDigit(s[e+1]) && !yearAt(s, e+1) {
			// One more group of digits follows: a row of counters
			// ("REPORT : 5180 2259 7164 9789 3421"), not a card. An
			// expiry year may follow a card ("4111 ... 1111 2024").
			return -1
		}
		if unitAfter(s, e) {
			return -1 // a measure: "cpu 5356 4315 3136 1869 ms"
		}
		if cardIssuer(digits[:c]) && luhn(digits[:c]) {
			sc.add(i, e, kindCard)
			return e
		}
	}
	return -1
}

// yearAt reports whether s[k:] starts with a year of this or the last
// century, 19xx or 20xx, that ends the row of numbers.
func yearAt(s string, k int) bool {
	if k+4 > len(s) || !(s[k] == '1' && s[k+1] == '9' || s[k] == '2' && s[k+1] == '0') || !isDigit(s[k+2]) || !isDigit(s[k+3]) {
		return false
	}
	e := k + 4
	return e == len(s) || !isAlnum(s[e]) && !(e+1 < len(s) && (s[e] == ' ' || s[e] == '-') && isDigit(s[e+1]))
}

// unitAfter reports whether the number ending at s[e] is followed by a
// unit of time, size or rate: "1869 ms", "2048 KiB", "99 %".
func unitAfter(s string, e int) bool {
	if e < len(s) && s[e] == ' ' {
		e++
	}
	k := e
	for k < len(s) && k-e <= 8 && (class[s[k]]&(cUpper|cLower) != 0 || s[k] == '%' || s[k] == '/') {
		k++
	}
	if k == e || k < len(s) && isAlnum(s[k]) {
		return false
	}
	switch s[e:k] {
	case "ns", "us", "ms", "s", "sec", "secs", "seconds", "min", "mins", "minutes", "h", "hours",
		"B", "bytes", "KB", "kB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB", "%", "ops/s", "req/s", "B/s", "KB/s", "MB/s":
		return true
	}
	return false
}

// cardLayout reports whether groups of digits of these lengths are the way
// cards are printed: one run; groups of four with a last group of 3 to 6;
// or American Express and Diners Club's 4-6-5 and 4-6-4.
func cardLayout(lens []int) bool {
	switch n := len(lens); {
	case n == 1:
		return true
	case n == 3 && lens[0] == 4 && lens[1] == 6:
		return lens[2] == 4 || lens[2] == 5
	default:
		for _, l := range lens[:n-1] {
			if l != 4 {
				return false
			}
		}
		return lens[n-1] >= 3 && lens[n-1] <= 6
	}
}

func luhn(d []byte) bool {
	sum := 0
	double := false
	for k := len(d) - 1; k >= 0; k-- {
		v := int(d[k])
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

func prefixNum(d []byte, n int) int {
	v := 0
	for k := 0; k < n && k < len(d); k++ {
		v = v*10 + int(d[k])
	}
	return v
}

// cardIssuer reports whether d starts with a known issuer prefix and has a
// length that issuer uses.
func cardIssuer(d []byte) bool {
	l := len(d)
	p2, p3, p4, p6 := prefixNum(d, 2), prefixNum(d, 3), prefixNum(d, 4), prefixNum(d, 6)
	in := func(v, lo, hi int) bool { return lo <= v && v <= hi }
	switch {
	case d[0] == 4: // Visa
		return l == 13 || l == 16 || l == 19
	case in(p2, 51, 55), in(p4, 2221, 2720): // Mastercard
		return l == 16
	case p2 == 34 || p2 == 37: // American Express
		return l == 15
	case p4 == 6011, p2 == 65, in(p3, 644, 649), in(p6, 622126, 622925): // Discover
		return l >= 16
	case in(p4, 3528, 3589): // JCB
		return l >= 16
	case p2 == 36, p2 == 38, p2 == 39, in(p3, 300, 305), p4 == 3095: // Diners Club
		return l >= 14
	case p2 == 62, p2 == 81: // UnionPay
		return l >= 16
	case in(p4, 2200, 2204): // Mir
		return l >= 16
	case p2 == 50, in(p2, 56, 58), p2 == 63, p2 == 67: // Maestro
		return l >= 13
	}
	return false
}

// ---- US social security numbers ----

func (sc *scanner) ssn(i int) int {
	s := sc.s
	if len(s)-i < 11 || s[i+3] != '-' || s[i+6] != '-' {
		return -1
	}
	for _, k := range [...]int{0, 1, 2, 4, 5, 7, 8, 9, 10} {
		if !isDigit(s[i+k]) {
			return -1
		}
	}
	e := i + 11
	if !sc.wordEnd(e) || (e+1 < len(s) && (s[e] == '-' || s[e] == '.') && isDigit(s[e+1])) {
		return -1
	}
	if i >= 2 && (s[i-1] == '-' || s[i-1] == '.') && isDigit(s[i-2]) {
		return -1
	}
	num := func(a, b int) int {
		v := 0
		for k := a; k < b; k++ {
			v = v*10 + int(s[k]-'0')
		}
		return v
	}
	area, group, serial := num(i, i+3), num(i+4, i+6), num(i+7, i+11)
	if area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0 {
		return -1
	}
	sc.add(i, e, kindSSN)
	return e
}

// ---- IBAN ----

// ibanLengths maps a country code to its IBAN length (SWIFT IBAN registry).
var ibanLengths = func() (t [26 * 26]uint8) {
	const reg = "AD24AE23AL28AT20AZ28BA20BE16BG22BH22BI27BR29BY28CH21CR22CY28CZ24DE22DJ27DK18DO28EE20EG29ES24" +
		"FI18FK18FO18FR27GB22GE22GI23GL18GR27GT28HN28HR21HU28IE22IL23IQ23IS26IT27JO30KW30KZ20LB28LC32" +
		"LI21LT20LU20LV21LY25MC27MD24ME22MK19MN20MR27MT31MU30NI28NL18NO15OM23PK24PL28PS29PT25QA29RO24" +
		"RS22RU33SA24SC31SD18SE24SI19SK24SM27SO23ST25SV28TL23TN24TR26UA29VA22VG24XK20YE30"
	for k := 0; k+4 <= len(reg); k += 4 {
		t[int(reg[k]-'A')*26+int(reg[k+1]-'A')] = (reg[k+2]-'0')*10 + reg[k+3] - '0'
	}
	return t
}()

func (sc *scanner) iban(i int) int {
	s := sc.s
	if len(s)-i < 15 || class[s[i+1]]&cUpper == 0 || !isDigit(s[i+2]) || !isDigit(s[i+3]) {
		return -1
	}
	l := int(ibanLengths[int(s[i]-'A')*26+int(s[i+1]-'A')])
	if l == 0 {
		return -1
	}
	var chars [34]byte
	n := 0
	j := i
	for n < l && j < len(s) {
		c := s[j]
		if class[c]&(cUpper|cDigit) != 0 {
			chars[n] = c
			n++
			j++
			continue
		}
		if c == ' ' && n%4 == 0 && n > 0 && j+1 < len(s) && class[s[j+1]]&(cUpper|cDigit) != 0 {
			j++
			continue
		}
		break
	}
	if n != l || !sc.wordEnd(j) {
		return -1
	}
	// mod 97 over BBAN + country + check digits, letters as 10..35.
	rem := 0
	for k := 0; k < l; k++ {
		c := chars[(k+4)%l]
		if isDigit(c) {
			rem = (rem*10 + int(c-'0')) % 97
		} else {
			rem = (rem*100 + int(c-'A') + 10) % 97
		}
	}
	if rem != 1 {
		return -1
	}
	sc.add(i, j, kindIBAN)
	return j
}

// ---- phone numbers (off by default) ----

func (sc *scanner) phoneIntl(i int) int {
	s := sc.s
	if i > 0 && isAlnum(s[i-1]) || i+1 >= len(s) || !isDigit(s[i+1]) {
		return -1
	}
	// Read groups of digits; the number ends at the last group end that
	// gives 8 to 15 digits and is followed by neither a letter nor a digit.
	nd, best := 0, -1
	j := i + 1
	for j < len(s) {
		st := j
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		nd += j - st
		if nd > 15 {
			break
		}
		if nd >= 8 && sc.wordEnd(j) && !(j+1 < len(s) && s[j] == '.' && isDigit(s[j+1])) {
			best = j
		}
		if j+1 < len(s) && (s[j] == ' ' || s[j] == '-' || s[j] == '.' || s[j] == ')') && isDigit(s[j+1]) {
			j++
			continue
		}
		if j+2 < len(s) && s[j] == ' ' && s[j+1] == '(' && isDigit(s[j+2]) {
			j += 2
			continue
		}
		if j+1 < len(s) && s[j] == '(' && isDigit(s[j+1]) {
			j++
			continue
		}
		if j+2 < len(s) && s[j] == ')' && s[j+1] == ' ' && isDigit(s[j+2]) {
			j += 2
			continue
		}
		break
	}
	if best < 0 {
		return -1
	}
	sc.add(i, best, kindPhone)
	return best
}

func (sc *scanner) phoneNANP(i int) int {
	s := sc.s
	if len(s)-i < 12 || s[i] < '2' {
		return -1
	}
	sep := s[i+3]
	if (sep != '-' && sep != '.') || s[i+7] != sep {
		return -1
	}
	for _, k := range [...]int{0, 1, 2, 4, 5, 6, 8, 9, 10, 11} {
		if !isDigit(s[i+k]) {
			return -1
		}
	}
	e := sc.phoneExtension(i + 12)
	if !sc.wordEnd(e) || (e+1 < len(s) && (s[e] == '-' || s[e] == '.') && isDigit(s[e+1])) {
		return -1
	}
	if i-2 >= sc.lo && s[i-2] == '1' && (s[i-1] == sep || s[i-1] == ' ') && (i == 2 || !isAlnum(s[i-3]) && s[i-3] != '.' && s[i-3] != '-') {
		i -= 2 // the country code: 1-415-555-0123
	}
	sc.add(i, e, kindPhone)
	return e
}

// phoneParen matches (ddd) ddd-dddd, also written (ddd)ddd-dddd.
func (sc *scanner) phoneParen(i int) int {
	s := sc.s
	if len(s)-i < 13 || s[i+4] != ')' {
		return -1
	}
	d := i + 5 // the exchange
	if s[d] == ' ' {
		d++
	}
	if len(s)-d < 8 || s[d+3] != '-' && s[d+3] != '.' {
		return -1
	}
	for _, k := range [...]int{i + 1, i + 2, i + 3, d, d + 1, d + 2, d + 4, d + 5, d + 6, d + 7} {
		if !isDigit(s[k]) {
			return -1
		}
	}
	e := sc.phoneExtension(d + 8)
	if !sc.wordEnd(e) {
		return -1
	}
	sc.add(i, e, kindPhone)
	return e
}

// phoneExtension returns the end of an extension written after a number
// that ends at e ("x204", " ext. 204", "#204"), or e if there is none.
func (sc *scanner) phoneExtension(e int) int {
	s := sc.s
	k := e
	if k < len(s) && s[k] == ' ' {
		k++
	}
	switch {
	case strings.HasPrefix(s[k:], "ext."):
		k += 4
	case strings.HasPrefix(s[k:], "ext"):
		k += 3
	case k < len(s) && (s[k] == 'x' || s[k] == '#'):
		k++
	default:
		return e
	}
	if k < len(s) && s[k] == ' ' {
		k++
	}
	d := k
	for d < len(s) && isDigit(s[d]) && d-k < 6 {
		d++
	}
	if d == k || !sc.wordEnd(d) {
		return e
	}
	return d
}

// ---- IP addresses (off by default) ----

func (sc *scanner) ipv4(i int) int {
	s := sc.s
	if i >= 1 && s[i-1] == '.' || versionBefore(s, i) {
		// After a '.': part of a longer dotted number or name
		// (1.2.3.4.5, libfoo.so.1.2.3.4).
		return -1
	}
	if i+1 < len(s) && s[i] == '0' && s[i+1] == '.' && !strings.HasPrefix(s[i:], "0.0.0.0") {
		return -1 // 0.x.x.x names no host: a version such as 0.0.0.6
	}
	j := i
	for part := 0; part < 4; part++ {
		if part > 0 {
			if j >= len(s) || s[j] != '.' {
				return -1
			}
			j++
		}
		v, st := 0, j
		for j < len(s) && isDigit(s[j]) && j-st < 3 {
			v = v*10 + int(s[j]-'0')
			j++
		}
		if j == st || v > 255 || (j-st > 1 && s[st] == '0') {
			return -1
		}
	}
	if !sc.wordEnd(j) || (j+1 < len(s) && s[j] == '.' && isAlnum(s[j+1])) {
		// Followed by ".5" or ".tar.gz": a longer dotted number, or a
		// version in a file name (hadoop-common-2.6.0.1.jar).
		return -1
	}
	sc.add(i, j, kindIP)
	return j
}

// versionBefore reports whether the number at i is marked as a version:
// "v1.2.3.4", "~6.1.1.0", "version 10.0.0.1", "build=1.2.3.4".
func versionBefore(s string, i int) bool {
	if i == 0 {
		return false
	}
	if c := s[i-1]; c == '~' || (c == 'v' || c == 'V') && (i == 1 || !isAlnum(s[i-2])) {
		return true
	}
	k := i
	for k > 0 && i-k < 2 && (s[k-1] == ' ' || s[k-1] == '=' || s[k-1] == ':') {
		k--
	}
	if k == i {
		return false
	}
	w := k
	for w > 0 && k-w < 9 && class[s[w-1]]&(cUpper|cLower) != 0 {
		w--
	}
	switch strings.ToLower(s[w:k]) {
	case "version", "ver", "build", "release", "revision", "rev", "firmware":
		return w == 0 || !isAlnum(s[w-1])
	}
	return false
}

func (sc *scanner) ipv6(i int) int {
	s := sc.s
	j, colons := i, 0
	for j < len(s) && j-i < 45 && (class[s[j]]&cHex != 0 || s[j] == ':' || s[j] == '.') {
		if s[j] == ':' {
			colons++
		}
		j++
	}
	for j > i && (s[j-1] == '.' || (s[j-1] == ':' && (j-i < 2 || s[j-2] != ':'))) {
		if s[j-1] == ':' {
			colons--
		}
		j--
	}
	if colons < 2 || !sc.wordEnd(j) {
		return -1
	}
	a, err := netip.ParseAddr(s[i:j])
	if err != nil || !a.Is6() {
		return sc.skipIPv6Shape(i)
	}
	sc.add(i, j, kindIP)
	return j
}

// skipIPv6Shape returns the end of the run of hex digits, ':' and '.' at i
// if it has the shape of an IPv6 address (groups of at most four) but is
// not one, so that no address is looked for inside it: in
// "0::0::0::0::0::" the last "0::" is a valid address, and once redacted
// it would make the one before it valid too, so that redacting twice
// would differ from redacting once. Otherwise it returns -1.
func (sc *scanner) skipIPv6Shape(i int) int {
	s := sc.s
	e, group := i, 0
	for ; e < len(s) && (class[s[e]]&cHex != 0 || s[e] == ':' || s[e] == '.'); e++ {
		if group++; s[e] == ':' || s[e] == '.' {
			group = 0
		} else if group > 4 {
			return -1
		}
	}
	return e
}
