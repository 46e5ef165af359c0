package redact

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var markerRE = regexp.MustCompile(`\[REDACTED(:[a-z0-9_]+)?\]`)

func fuzzSeeds(f *testing.F) {
	f.Helper()
	for _, s := range []string{
		cleanLine,
		twoFindingsLine,
		`password=hunter2hunter2 then hunter2hunter2 again`,
		`x4111111111111111 and 4111111111111111`,
		`postgres://u:p4ssw0rd!@db:5432/x and p4ssw0rd!`,
		`Authorization: Bearer abcdefghijklmnop1234` + "\n" + `Cookie: a=b; c=d`,
		`AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`,
		"-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----",
		`{"a":"[REDACTED:email]","token":"[REDACTED:token]"}`,
		`iban GB82 WEST 1234 5698 7654 32 ssn 123-45-6789 +44 20 7946 0958 10.1.2.3 fe80::1`,
		`eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig ghp_abcdefghijklmnopqrstuvwxyz0123456789`,
		"password    = hunter2hunter2 {\"api_key\" : \"k-1\"} token : abc123",
		"{User:bob Token:abcd1234efgh5678} map[Authorization:[Token abc123]] [SessionTracker:ZooKeeperServer@325]",
		`curl -u admin:S3cret -H "Authorization: Token 22cb" -H 'X-Api-Key: c4' --password hunter2 --token=x`,
		"-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF0\n-----END PGP PRIVATE KEY BLOCK-----",
		"GET /u/jane%40example.com/p %2Fann%2540example.com card 8171999927660000",
		`{"password"=>"x"} <password>hunter2</password> <token><![CDATA[a]]></token>`,
		"blk_-4980916519894289629 REPORT : 7024 5015 150454 240 wtoken = AppWindowToken{9f4ef63 token=Token{a64f992",
		"run `password=abc12345` now; Token: Token { kind: ContainerToken; token=Token@5f3a2b1",
		"version 0.0.0.6 ~6.1.1.0 (415)555-0123 415-555-0123x204",
		"sk-proj-Ab1cdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRST glpat-abcdefghij0123456789.01.0w1ohrd09 npm_abcdefghijklmnopqrstuvwxyz0123456789 xapp-1-A0-1-abc0123456 xoxe.xoxp-1-abcdef0123456789",
		`secrets: get "prod/db-password": not found; open /run/secrets/token: denied`,
		"\tat o.a.z.SessionTrackerImpl.run(SessionTrackerImpl.java:146) at x.y(SessionManager:42) [Password-Checker:Main]",
		`{"password": ["a", "b"], "token": [{"x": 1}]} map[password:[hunter2] user:[bob]] {User:bob Token:[abcd1234]}`,
		"curl -u\tadmin:S3cret --user  'j:h0p' -uadmin:pw -u \":d2Lk\" --user k:'pRf7' `--password abc12345` -H \"token: a b\"",
		"password" + strings.Repeat(" ", 40) + "= hunter2 REPORT : 5180 2259 7164 9789 3421 cpu 5356 4315 3136 1869 ms",
		"token: Token(id=5, kind=YARN) credentials=Credentials[accessKeyId=AKIAIOSFODNN7EXAMPLE, e=1] token:read session:12345:data",
		`<password value="x"/> 1-415-555-0123 hadoop-common-2.6.0.1.jar`,
	} {
		f.Add(s)
	}
}

// FuzzString checks, for any input, that String does not panic, gives
// what a Redactor without the key cache gives, is idempotent, finds with its windowed scan what the plain scan finds, and
// leaves none of the values it detected in its output
// (outside the markers that replaced them).
func FuzzString(f *testing.F) {
	fuzzSeeds(f)
	rs := []*Redactor{New(), New(WithDetectors(Phone, IP))}
	plain := []*Redactor{withoutKeyCache(), withoutKeyCache(WithDetectors(Phone, IP))}
	f.Fuzz(func(t *testing.T, s string) {
		for i, r := range rs {
			out := r.String(s)
			// The key cache, warm from earlier inputs, changes nothing.
			if want := plain[i].String(s); out != want {
				t.Fatalf("the key cache changed the result on %q:\n got:  %q\n want: %q", s, out, want)
			}
			if again := r.String(out); again != out {
				t.Fatalf("not idempotent:\n in:     %q\n once:   %q\n twice:  %q", s, out, again)
			}
			if b := r.Bytes([]byte(s)); string(b) != out {
				t.Fatalf("Bytes and String differ:\n in: %q\n String: %q\n Bytes:  %q", s, out, b)
			}
			sc := scanner{r: r, s: s}
			sc.run()
			fs := sc.findings()
			if want, _ := plainFindings(r, s); !slices.Equal(fs, want) {
				t.Fatalf("windowed scan differs from the plain one on %q:\n got:  %v\n want: %v", s, fs, want)
			}
			var values []string
			for _, f := range fs {
				if v := s[f.start:f.end]; len(v) >= minSweepLen && f.kind != kindPrivateKey {
					values = append(values, v)
				}
			}
			if len(values) > maxSweep {
				continue // beyond the documented sweep bound
			}
			for _, piece := range markerRE.Split(out, -1) {
				for _, v := range values {
					if strings.Contains(piece, v) {
						t.Fatalf("detected value %q left in output:\n in:  %q\n out: %q", v, s, out)
					}
				}
			}
		}
	})
}

// FuzzWriter checks that a Writer's output does not depend on how the input
// is split into writes.
func FuzzWriter(f *testing.F) {
	for _, s := range []string{
		cleanLine + "\n" + twoFindingsLine + "\n",
		"a\nb@example.com\n4111 1111\n1111 1111\n",
		"-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\nxyz\n-----END RSA PRIVATE KEY----- tail\nnext\n",
		strings.Repeat("word ", 100) + "jane@example.com " + strings.Repeat("x", 300) + "\n",
	} {
		f.Add(s, uint16(7), uint16(13))
	}
	f.Fuzz(func(t *testing.T, s string, a, b uint16) {
		var whole bytes.Buffer
		w := NewWriter(&whole, WithMaxLineBytes(256))
		if _, err := w.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		var split bytes.Buffer
		w = NewWriter(&split, WithMaxLineBytes(256))
		step := []int{1 + int(a)%97, 1 + int(b)%31}
		for i, k := 0, 0; i < len(s); k++ {
			n := min(step[k%2], len(s)-i)
			if _, err := w.Write([]byte(s[i : i+n])); err != nil {
				t.Fatal(err)
			}
			i += n
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if whole.String() != split.String() {
			t.Fatalf("output depends on the split (steps %v):\n in:    %q\n whole: %q\n split: %q", step, s, whole.String(), split.String())
		}
	})
}

// FuzzMatchKey checks that the clean-key cache in front of the key matcher
// never changes its answer for an attribute, map or field key, however the
// cache was filled before.
func FuzzMatchKey(f *testing.F) {
	for _, k := range []string{"password", "time", "x-api-key", `a"b`, "exactly15bytes_", "tokens", "s_s_n"} {
		f.Add(k)
	}
	r := New(WithKeys("zz9"))
	f.Fuzz(func(t *testing.T, k string) {
		want, wok := r.keys.match(k)
		for range 2 {
			if got, ok := r.matchKey(k); got != want || ok != wok {
				t.Fatalf("matchKey(%q) = %q, %v; the key matcher says %q, %v", k, got, ok, want, wok)
			}
		}
	})
}

// FuzzKeyShapes writes a fuzzed value under a sensitive key in every
// shape of the shape corpus and checks that exactly the value is
// replaced. Values are reduced to bytes an unquoted value may hold, at
// least 8 of them with a letter and a digit (shorter or literal values
// such as true are kept on purpose).
func FuzzKeyShapes(f *testing.F) {
	for _, s := range []string{"hunter2hunter2", "Aa9!#$%*+-./:=?^_~", "ZGs1UWt6NmZLdFU4SVlsbHdEMVE=", "0123456789abcdef"} {
		f.Add(s)
	}
	r := New()
	f.Fuzz(func(t *testing.T, v string) {
		b := make([]byte, 0, len(v))
		for k := 0; k < len(v) && len(b) < 64; k++ {
			if c := v[k]; isAlnum(c) || strings.IndexByte("!#$%*+-./:=?^_~", c) >= 0 {
				b = append(b, c)
			}
		}
		v = string(b)
		if len(v) < 8 || !strings.ContainsAny(v, "0123456789") || strings.IndexFunc(v, isASCIILetter) < 0 ||
			v[0] == '=' || v[0] == '-' {
			return
		}
		for _, sh := range keyShapes {
			for _, k := range []string{"password", "X-Api-Key", "ClientSecret"} {
				kind, _ := r.keys.match(k)
				if sh.only != nil && !sh.only(k, kind) {
					continue
				}
				in := sh.write(k, v)
				want := strings.Replace(sh.write(k, "\x00"), "\x00", "[REDACTED:"+kind+"]", 1)
				if got := r.String(in); got != want {
					t.Fatalf("%s, key %s:\n in:   %q\n got:  %q\n want: %q", sh.name, k, in, got, want)
				}
			}
		}
	})
}

func isASCIILetter(c rune) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
