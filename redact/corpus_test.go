package redact

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// The corpus is generated, not stored: a fixed seed gives the same lines on
// every run, and the labels come from the generator, so nothing is
// hand-labelled.

const (
	alnum     = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	upperDig  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b64url    = alnum + "-_"
	lowerHex  = "0123456789abcdef"
	corpusN   = 40 // positives per kind
	negativeN = 300
)

type gen struct{ rnd *rand.Rand }

func newGen() *gen { return &gen{rand.New(rand.NewPCG(2024, 4))} }

func (g *gen) pick(xs ...string) string { return xs[g.rnd.IntN(len(xs))] }

func (g *gen) str(n int, from string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = from[g.rnd.IntN(len(from))]
	}
	return string(b)
}

func (g *gen) digits(n int) string { return g.str(n, "0123456789") }

func (g *gen) uuid() string {
	h := g.str(32, lowerHex)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:]
}

func luhnDigit(body string) byte {
	d := make([]byte, 0, len(body)+1)
	for i := 0; i < len(body); i++ {
		d = append(d, body[i]-'0')
	}
	d = append(d, 0)
	for c := byte(0); c < 10; c++ {
		d[len(d)-1] = c
		if luhn(d) {
			return '0' + c
		}
	}
	panic("unreachable")
}

func (g *gen) card() string {
	issuers := []struct {
		prefix string
		length int
	}{
		{"4", 16}, {"4", 13}, {"4", 19}, {"51", 16}, {"55", 16}, {"2221", 16}, {"2720", 16},
		{"34", 15}, {"37", 15}, {"6011", 16}, {"65", 16}, {"644", 16}, {"649", 19},
		{"3528", 16}, {"3589", 19}, {"36", 14}, {"38", 16}, {"300", 14}, {"305", 16},
		{"62", 16}, {"62", 19}, {"6759", 16}, {"50", 18},
	}
	is := issuers[g.rnd.IntN(len(issuers))]
	body := is.prefix + g.digits(is.length-len(is.prefix)-1)
	num := body + string(luhnDigit(body))
	switch g.rnd.IntN(3) {
	case 1:
		return group4(num, " ")
	case 2:
		return group4(num, "-")
	}
	return num
}

func group4(s, sep string) string {
	var parts []string
	for len(s) > 4 {
		parts = append(parts, s[:4])
		s = s[4:]
	}
	if len(s) < 3 && len(parts) > 0 { // keep groups of 3 to 6 digits
		parts[len(parts)-1] += s
	} else {
		parts = append(parts, s)
	}
	return strings.Join(parts, sep)
}

func ibanCheck(cc, bban string) string {
	rem := 0
	for _, c := range bban + cc + "00" {
		if c >= '0' && c <= '9' {
			rem = (rem*10 + int(c-'0')) % 97
		} else {
			rem = (rem*100 + int(c-'A') + 10) % 97
		}
	}
	return fmt.Sprintf("%02d", 98-rem)
}

func (g *gen) iban() string {
	var cc, bban string
	switch g.rnd.IntN(5) {
	case 0:
		cc, bban = "DE", g.digits(18)
	case 1:
		cc, bban = "GB", g.pick("WEST", "NWBK", "BARC")+g.digits(14)
	case 2:
		cc, bban = "FR", g.digits(23)
	case 3:
		cc, bban = "NL", g.pick("ABNA", "INGB", "RABO")+g.digits(10)
	default:
		cc, bban = "ES", g.digits(20)
	}
	v := cc + ibanCheck(cc, bban) + bban
	if g.rnd.IntN(2) == 0 {
		return group4(v, " ")
	}
	return v
}

func (g *gen) ssn() string {
	area := 1 + g.rnd.IntN(899)
	if area == 666 {
		area = 667
	}
	return fmt.Sprintf("%03d-%02d-%04d", area, 1+g.rnd.IntN(99), 1+g.rnd.IntN(9999))
}

func (g *gen) jwt() string {
	enc := base64.RawURLEncoding
	h := enc.EncodeToString([]byte(`{"alg":"` + g.pick("RS256", "HS256", "ES256") + `","typ":"JWT"}`))
	p := enc.EncodeToString([]byte(fmt.Sprintf(`{"sub":"%s","exp":%d}`, g.str(10, alnum), 1700000000+g.rnd.IntN(1e8))))
	return h + "." + p + "." + g.str(43, b64url)
}

func (g *gen) pem() string {
	label := g.pick("RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY")
	var b strings.Builder
	b.WriteString("-----BEGIN " + label + "-----\n")
	for range 4 {
		b.WriteString(g.str(64, alnum+"+/") + "\n")
	}
	b.WriteString("-----END " + label + "-----")
	return b.String()
}

// positive is one labelled secret: value must disappear, kind must be named.
type positive struct {
	kind, value, text string // text is how the value is written (scheme, key...)
}

func (g *gen) positive(kind string) positive {
	p := positive{kind: kind}
	switch kind {
	case kindEmail:
		p.value = g.str(1+g.rnd.IntN(10), "abcdefghijklmnopqrstuvwxyz") + g.pick("", ".", "+", "_") + g.str(3, alnum) +
			"@" + g.pick("example.com", "mail.example.org", "corp.example.co.uk", "example.io")
	case kindCard:
		p.value = g.card()
	case kindIBAN:
		p.value = g.iban()
	case kindSSN:
		p.value = g.ssn()
	case kindAWSAccessKey:
		p.value = g.pick(awsKeyPrefixes[:]...) + g.str(16, upperDig)
	case kindAWSSecretKey:
		p.value = g.str(18, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") + g.str(18, "abcdefghijklmnopqrstuvwxyz") + g.str(4, "0123456789+/")
		id, sep := "AKIA"+g.str(16, upperDig), g.pick(" ", ",", " / ", "\n")
		if p.text = id + sep + p.value; g.rnd.IntN(2) == 0 {
			p.text = p.value + sep + id // printed before its key ID
		}
	case kindJWT:
		p.value = g.jwt()
	case kindBearer:
		p.value = g.str(32, alnum+"._-")
		p.text = "Bearer " + p.value
	case kindBasic:
		p.value = base64.StdEncoding.EncodeToString([]byte(g.str(6, alnum) + ":" + g.str(12, alnum)))
		p.text = "Basic " + p.value
	case kindPrivateKey:
		p.value = g.pem()
	case kindGitHub:
		if g.rnd.IntN(4) == 0 {
			p.value = "github_pat_" + g.str(82, alnum+"_")
		} else {
			p.value = g.pick(githubPrefixes[:]...) + g.str(36, alnum)
		}
	case kindSlack:
		p.value = g.pick("xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-") + g.digits(12) + "-" + g.digits(12) + "-" + g.str(24, alnum)
	case kindStripe:
		p.value = g.pick("sk_live_", "rk_live_", "sk_test_", "rk_test_") + g.str(24, alnum)
	case kindGoogle:
		p.value = "AIza" + g.str(35, b64url)
	case kindURLPassword:
		p.value = g.str(12, alnum+"!$*")
		p.text = g.pick("postgres", "mysql", "redis", "amqp", "https") + "://" + g.pick("admin", "app", "") + ":" + p.value + "@" +
			g.pick("db.internal", "10.0.0.5", "cache.example.com") + ":" + g.digits(4) + "/app"
	case "password":
		p.value = g.str(14, alnum+"!#%")
		p.text = g.pick("password=", "db_password=", "Password=", "passwd: ", "pwd=") + p.value
	}
	if p.text == "" {
		p.text = p.value
	}
	return p
}

// embed writes text into a realistic log line.
func (g *gen) embed(text string) string {
	ts := fmt.Sprintf("2024-%02d-%02dT%02d:%02d:%02d.%03dZ", 1+g.rnd.IntN(12), 1+g.rnd.IntN(28), g.rnd.IntN(24), g.rnd.IntN(60), g.rnd.IntN(60), g.rnd.IntN(1000))
	jsonText := strings.ReplaceAll(text, "\n", `\n`)
	switch g.rnd.IntN(5) {
	case 0: // JSON log
		return fmt.Sprintf(`{"time":%q,"level":"INFO","msg":"charge created","request_id":%q,"detail":"customer %s retried","duration_ms":%d}`,
			ts, g.uuid(), jsonText, g.rnd.IntN(900))
	case 1: // key=value log
		return fmt.Sprintf(`time=%s level=WARN msg="lookup failed" item=%s attempt=%d`, ts, strings.ReplaceAll(text, "\n", " "), 1+g.rnd.IntN(3))
	case 2: // Lambda runtime line
		return fmt.Sprintf("%s\t%s\tINFO\tprocessing event from %s", ts, g.uuid(), text)
	case 3: // HTTP access log
		return fmt.Sprintf(`203.0.113.%d - - [01/May/2024:12:00:00 +0000] "POST /v1/orders HTTP/1.1" 400 %d "-" "curl/8.4.0" note=[%s]`,
			g.rnd.IntN(255), g.rnd.IntN(5000), strings.ReplaceAll(text, "\n", " "))
	default: // stack trace
		return fmt.Sprintf("panic: charge failed for %s\n\ngoroutine 1 [running]:\nmain.charge(0xc000012345)\n\t/app/main.go:%d +0x1d\nmain.main()\n\t/app/main.go:12 +0x25",
			text, 10+g.rnd.IntN(200))
	}
}

// hardNegative returns a line that must come out byte-identical.
func (g *gen) hardNegative() string {
	ts := fmt.Sprintf("2024-%02d-%02dT%02d:%02d:%02dZ", 1+g.rnd.IntN(12), 1+g.rnd.IntN(28), g.rnd.IntN(24), g.rnd.IntN(60), g.rnd.IntN(60))
	badCard := func() string {
		body := g.pick("4", "51", "37", "6011") + g.digits(14)
		body = body[:15]
		c := luhnDigit(body)
		return body + string('0'+(c-'0'+1+byte(g.rnd.IntN(8)))%10)
	}
	switch g.rnd.IntN(14) {
	case 0:
		return fmt.Sprintf("START RequestId: %s Version: $LATEST", g.uuid())
	case 1:
		return fmt.Sprintf("END RequestId: %s", g.uuid())
	case 2:
		return fmt.Sprintf("REPORT RequestId: %s\tDuration: %d.%02d ms\tBilled Duration: %d ms\tMemory Size: 128 MB\tMax Memory Used: %d MB\tInit Duration: 201.33 ms",
			g.uuid(), g.rnd.IntN(3000), g.rnd.IntN(100), g.rnd.IntN(3000), 30+g.rnd.IntN(90))
	case 3:
		return fmt.Sprintf(`{"time":%q,"level":"INFO","msg":"invoke","trace_id":"1-%s-%s","arn":"arn:aws:lambda:us-east-1:%s:function:orders"}`,
			ts, g.str(8, lowerHex), g.str(24, lowerHex), g.digits(12))
	case 4:
		return fmt.Sprintf("sha256=%s sha1=%s etag=%q", g.str(64, lowerHex), g.str(40, lowerHex), g.str(32, lowerHex))
	case 5:
		return fmt.Sprintf("version=v%d.%d.%d go1.%d.%d build 1.%d.%d.%d epoch=%d ms=%d", g.rnd.IntN(5), g.rnd.IntN(30), g.rnd.IntN(20),
			20+g.rnd.IntN(6), g.rnd.IntN(10), g.rnd.IntN(9), g.rnd.IntN(9), g.rnd.IntN(9), 1600000000+g.rnd.IntN(1e8), 1600000000000+g.rnd.Int64N(1e11))
	case 6:
		return fmt.Sprintf("charge ref %s amount=%d.%02d order=%s", badCard(), g.rnd.IntN(1000), g.rnd.IntN(100), g.digits(9))
	case 7:
		return fmt.Sprintf("listening on localhost:%d and 0.0.0.0:%d account=%s", 1024+g.rnd.IntN(60000), 1024+g.rnd.IntN(60000), g.digits(12))
	case 8:
		return fmt.Sprintf(`{"level":"INFO","msg":"llm call","tokens_used":%d,"max_tokens":%d,"tokenizer_version":"%d","token_count":%d}`,
			g.rnd.IntN(9000), g.rnd.IntN(9000), g.rnd.IntN(9), g.rnd.IntN(9000))
	case 9:
		return fmt.Sprintf("verify token: signature invalid (kid %s) at %s", g.str(16, lowerHex), ts)
	case 10:
		return fmt.Sprintf("ids %s %s %s and %03d-%02d-%04d 000-12-3456 666-%02d-1234", g.uuid(), g.uuid(), g.str(20, lowerHex),
			900+g.rnd.IntN(100), 1+g.rnd.IntN(98), 1+g.rnd.IntN(9998), 1+g.rnd.IntN(98))
	case 11:
		iban := "DE" + "00" + g.digits(18) // check digits 00 never validate
		return fmt.Sprintf("transfer to %s failed; module github.com/aws/aws-lambda-go@v1.%d.0", iban, g.rnd.IntN(60))
	case 12:
		return fmt.Sprintf("GET /v1/orders/%s?page=%d 200 %dms ua=Mozilla/5.0 user_agent_id=%s", g.uuid(), g.rnd.IntN(50), g.rnd.IntN(900), g.str(20, alnum))
	default:
		return fmt.Sprintf("\tat com.example.Handler.handle(Handler.java:%d)\n\tat sun.reflect.NativeMethodAccessorImpl.invoke0(Native Method) time %s", g.rnd.IntN(900), ts)
	}
}

// mustKinds must be found every time: checksum- or prefix-based.
var mustKinds = []string{kindCard, kindIBAN, kindAWSAccessKey, kindAWSSecretKey, kindJWT, kindPrivateKey, kindGitHub, kindSlack, kindStripe, kindGoogle}

// otherKinds are reported; a lower bound still guards against regressions.
var otherKinds = []string{kindEmail, kindSSN, kindBearer, kindBasic, kindURLPassword, "password"}

func TestCorpusRecall(t *testing.T) {
	g := newGen()
	r := New()
	for _, kinds := range [][]string{mustKinds, otherKinds} {
		for _, kind := range kinds {
			found := 0
			for range corpusN {
				p := g.positive(kind)
				line := g.embed(p.text)
				got := r.String(line)
				if !strings.Contains(got, p.value) && strings.Contains(got, "[REDACTED:"+kind+"]") {
					found++
				} else if slicesContains(mustKinds, kind) {
					t.Errorf("%s not redacted:\n line: %q\n got:  %q", kind, line, got)
				}
			}
			recall := float64(found) / corpusN
			t.Logf("recall %-15s %5.1f%% (%d/%d)", kind, 100*recall, found, corpusN)
			if recall < 0.95 {
				t.Errorf("recall of %s = %.2f, want >= 0.95", kind, recall)
			}
		}
	}
}

func TestCorpusNegativesUntouched(t *testing.T) {
	g := newGen()
	r := New()
	for range negativeN {
		line := g.hardNegative()
		if got := r.String(line); got != line {
			t.Errorf("negative changed:\n line: %q\n got:  %q", line, got)
		}
	}
}

func slicesContains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}
