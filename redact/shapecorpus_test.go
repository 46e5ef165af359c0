package redact

import (
	"encoding/base64"
	"strings"
	"testing"
	"unicode"
)

// The shape corpus writes every sensitive key, spelled several ways, in
// every shape logs use, with several kinds of secret value, and checks
// the exact output: the value, and only the value, is replaced, so that
// recall is 100 % and the text around it, closing delimiters included, is
// kept.

// shapeKeys are sensitive keys as words; each is also written in the
// spellings of keySpellings.
var shapeKeys = [][]string{
	{"password"}, {"db", "password"}, {"passwd"}, {"passphrase"}, {"pwd"},
	{"secret"}, {"client", "secret"}, {"secret", "access", "key"},
	{"token"}, {"access", "token"}, {"refresh", "token"}, {"id", "token"}, {"auth", "token"},
	{"authorization"}, {"proxy", "authorization"}, {"cookie"}, {"set", "cookie"},
	{"api", "key"}, {"access", "key"}, {"private", "key"},
	{"session"}, {"session", "id"}, {"credential"}, {"signature"},
	{"ssn"}, {"social", "security", "number"}, {"card", "number"}, {"credit", "card"},
	{"card", "no"}, {"cvv"}, {"cvc"}, {"iban"},
}

// keySpellings writes the words of a key as a program would.
var keySpellings = map[string]func(ws []string) string{
	"snake":  func(ws []string) string { return strings.Join(ws, "_") },
	"camel":  func(ws []string) string { return ws[0] + strings.Join(titled(ws[1:]), "") },
	"pascal": func(ws []string) string { return strings.Join(titled(ws), "") },
	"kebab":  func(ws []string) string { return strings.Join(ws, "-") },
	"header": func(ws []string) string {
		return strings.Join(titled(ws), "-")
	},
	"upper": func(ws []string) string { return strings.ToUpper(strings.Join(ws, "_")) },
}

func titled(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = string(unicode.ToUpper(rune(w[0]))) + w[1:]
	}
	return out
}

// A keyShape writes key k and value v; spellings lists the key spellings
// the shape is written with (nil: all), quoted whether v may hold spaces
// and stops.
type keyShape struct {
	name      string
	write     func(k, v string) string
	spellings []string
	quoted    bool
	// only, if set, says which keys the shape is written with.
	only func(k, kind string) bool
}

// headerKey is a key that reads as an HTTP header inside a line:
// X-Api-Key, Authorization, Cookie.
func headerKey(k, kind string) bool {
	return kind == "authorization" || kind == "cookie" || strings.Contains(k, "-")
}

// quotedHeaderKey is a key that reads as a header at the start of a
// quoted string: a header key, or one word with a capital ("Token"). A
// lower-case word ("token: expired") reads as an error message.
func quotedHeaderKey(k, kind string) bool {
	return headerKey(k, kind) || isUpper(k[0])
}

var keyShapes = []keyShape{
	{name: "k=v", write: func(k, v string) string { return "time=12:00 " + k + "=" + v + " user=bob" }},
	{name: "k = v", write: func(k, v string) string { return "config " + k + " = " + v + "\nnext" }},
	{name: "k<TAB>= v", write: func(k, v string) string { return k + "\t= " + v + "\tok" }},
	{name: "k<TAB>: v", write: func(k, v string) string { return k + "\t: " + v + "\nnext" }},
	{name: "k    = v", write: func(k, v string) string { return "  " + k + "    = " + v + "\n" }},
	{name: "query", write: func(k, v string) string { return "GET /cb?a=1&" + k + "=" + v + "&b=2 HTTP/1.1" }},
	{name: "json", write: func(k, v string) string { return `{"level":"INFO","` + k + `":"` + v + `","n":1}` }, quoted: true},
	{name: "json spaced", write: func(k, v string) string { return `{"level" : "INFO", "` + k + `" : "` + v + `", "n" : 1}` }, quoted: true},
	{name: "json pretty", write: func(k, v string) string { return "{\n  \"" + k + "\"  :  \"" + v + "\",\n  \"n\": 1\n}" }, quoted: true},
	{name: "json escaped", write: func(k, v string) string { return `{"msg":"{\"` + k + `\":\"` + v + `\"}"}` }},
	{name: "python dict", write: func(k, v string) string { return `{'user': 'bob', '` + k + `': '` + v + `'}` }, quoted: true},
	{name: "yaml", write: func(k, v string) string { return "db:\n  host: x\n  " + k + ": " + v + "\n  port: 5432" }},
	{name: "yaml list", write: func(k, v string) string { return "items:\n  - " + k + ": " + v + "\n" }},
	{name: "go %+v", write: func(k, v string) string { return "cfg={User:bob " + k + ":" + v + " Port:8080}" }, spellings: []string{"pascal", "camel"}},
	{name: "go %+v first", write: func(k, v string) string { return "&{" + k + ":" + v + " Port:8080}" }, spellings: []string{"pascal", "camel"}},
	{name: "go map", write: func(k, v string) string { return "map[" + k + ":" + v + " user:bob]" }},
	{name: "ruby =>", write: func(k, v string) string { return `{"user"=>"bob", "` + k + `"=>"` + v + `"}` }, quoted: true},
	{name: "ruby symbol", write: func(k, v string) string { return `{:user => "bob", :` + k + ` => "` + v + `"}` }, quoted: true},
	{name: "xml", write: func(k, v string) string { return "<cfg><" + k + ">" + v + "</" + k + "></cfg>" }},
	{name: "header line", write: func(k, v string) string { return k + ": " + v + "\nHost: x" }, spellings: []string{"header"}},
	{name: "curl header", write: func(k, v string) string { return `curl -H "` + k + `: ` + v + `" https://api.example.com` }, spellings: []string{"header", "kebab"}, only: quotedHeaderKey},
	{name: "curl header single", write: func(k, v string) string { return `curl -H '` + k + `: ` + v + `' -d x` }, spellings: []string{"header", "kebab"}, only: quotedHeaderKey},
	{name: "mid-line header", write: func(k, v string) string { return "upstream sent " + k + ": " + v + " and was rejected" }, spellings: []string{"header"}, only: headerKey},
	{name: "cli flag", write: func(k, v string) string { return "exec --" + k + " " + v + " --verbose" }, spellings: []string{"kebab"}},
	{name: "cli flag =", write: func(k, v string) string { return "exec --" + k + "=" + v + " --verbose" }, spellings: []string{"kebab", "snake"}},
	{name: "backticks", write: func(k, v string) string { return "run `" + k + "=" + v + "` now" }},
	{name: "single quotes", write: func(k, v string) string { return "cmd '" + k + "=" + v + "' ok" }},
	{name: "parentheses", write: func(k, v string) string { return "(" + k + "=" + v + ")" }},
	{name: "k<40 spaces>= v", write: func(k, v string) string { return k + strings.Repeat(" ", 40) + "= " + v + "\n" }},
	{name: "json key<40 spaces>: v", write: func(k, v string) string { return `{"` + k + `"` + strings.Repeat(" ", 40) + `: "` + v + `"}` }, quoted: true},
	{name: "json array", write: func(k, v string) string { return `{"n":1,"` + k + `":["` + v + `"],"m":2}` }, quoted: true},
	{name: "json escaped array", write: func(k, v string) string { return `{"msg":"{\"` + k + `\":[\"` + v + `\"]}"}` }},
	{name: "yaml flow sequence", write: func(k, v string) string { return "db:\n  " + k + ": [" + v + "]\n  port: 5432" }},
	{name: "go map of arrays", write: func(k, v string) string { return "map[" + k + ":[" + v + "] user:[bob]]" }},
	{name: "go %+v array", write: func(k, v string) string { return "cfg={User:bob " + k + ":[" + v + "] Port:8080}" }, spellings: []string{"pascal", "camel"}},
	{name: "object in parentheses", write: func(k, v string) string { return "cfg=Config(user=bob, " + k + "=" + v + ", n=1)" }},
	{name: "object in brackets", write: func(k, v string) string { return "cfg=Config[user=bob, " + k + "=" + v + "]" }},
	{name: "cli flag tab", write: func(k, v string) string { return "exec --" + k + "\t" + v + " --verbose" }, spellings: []string{"kebab"}},
	{name: "cli flag spaces", write: func(k, v string) string { return "`exec --" + k + "   " + v + "`" }, spellings: []string{"kebab"}},
	{name: "curl header any key", write: func(k, v string) string { return `curl -s -H  "` + k + `: ` + v + `" https://api.example.com` }, quoted: true},
	{name: "logfmt quoted", write: func(k, v string) string { return `level=info ` + k + `="` + v + `" msg="x y"` }, quoted: true},
}

// shapeValues are kinds of secret value, for shapes where the value is
// unquoted and for quoted ones.
func shapeValues(g *gen, quoted bool, kind string) map[string]string {
	vs := map[string]string{
		"alnum":   g.str(6, "abcdefghijklmnopqrstuvwxyz") + g.str(10, alnum) + g.digits(2),
		"symbols": "Aa9" + g.str(14, alnum+"!#$%*+-./:=?@^_~"),
		"base64":  base64.StdEncoding.EncodeToString([]byte(g.str(20, alnum))),
		"hex":     g.str(40, lowerHex),
		"jwt":     g.jwt(),
		"uuid":    g.uuid(),
		"github":  "ghp_" + g.str(36, alnum),
		"digits":  g.digits(12),
	}
	if quoted {
		vs["spaces"] = "correct horse " + g.str(8, alnum) + " staple"
	}
	if kind == "authorization" {
		// Any scheme takes its credential with it.
		vs["scheme"] = g.pick("Bearer", "Token", "SharedKey", "SSWS", "ApiKey", "Negotiate", "AWS4-HMAC-SHA256") + " " + g.str(24, alnum+"+/")
	}
	return vs
}

func TestShapeCorpusRecall(t *testing.T) {
	g := newGen()
	r := New()
	total := 0
	for _, sh := range keyShapes {
		for _, ws := range shapeKeys {
			for spelling, spell := range keySpellings {
				if sh.spellings != nil && !slicesContains(sh.spellings, spelling) {
					continue
				}
				k := spell(ws)
				kind, ok := r.keys.match(k)
				if !ok {
					t.Fatalf("key %q is not sensitive", k)
				}
				if sh.only != nil && !sh.only(k, kind) {
					continue
				}
				for vk, v := range shapeValues(g, sh.quoted, kind) {
					if strings.HasPrefix(v, "-") && strings.HasPrefix(sh.name, "cli flag") {
						continue
					}
					total++
					in := sh.write(k, v)
					want := strings.Replace(sh.write(k, "\x00"), "\x00", "[REDACTED:"+kind+"]", 1)
					if got := r.String(in); got != want {
						t.Errorf("%s, key %s (%s), value %s:\n in:   %q\n got:  %q\n want: %q", sh.name, k, spelling, vk, in, got, want)
					}
				}
			}
		}
	}
	t.Logf("%d lines, every one redacted exactly", total)
}

// TestCurlUserCorpus writes curl's user:password argument with every flag,
// gap, quoting and kind of password, and checks that the password, and only
// the password, is replaced.
func TestCurlUserCorpus(t *testing.T) {
	g := newGen()
	r := New()
	total := 0
	for _, flag := range []string{"-u", "-U", "--user", "--proxy-user"} {
		for _, gap := range []string{" ", "  ", "\t", " \t ", "="} {
			for _, quote := range []string{"", `"`, "'"} {
				for _, user := range []string{"admin", "ci@example", "deploy.bot", ""} {
					if user == "" && quote == "" {
						continue // -u :password reads as a flag and a word
					}
					if gap == "=" && !strings.HasPrefix(flag, "--") {
						continue
					}
					for vk, pw := range map[string]string{
						"alnum":   g.str(6, "abcdefghijklmnopqrstuvwxyz") + g.str(10, alnum),
						"symbols": "Aa9" + g.str(12, alnum+"!#$%*+-./:=?@^_~"),
						"digits":  g.digits(8) + "x",
					} {
						total++
						write := func(p string) string {
							return "curl -s " + flag + gap + quote + user + ":" + p + quote + " https://example.com/x"
						}
						in, want := write(pw), write("[REDACTED:password]")
						if got := r.String(in); got != want {
							t.Errorf("%s%q%s user %q, password %s:\n in:   %q\n got:  %q\n want: %q", flag, gap, quote, user, vk, in, got, want)
						}
					}
				}
			}
		}
	}
	t.Logf("%d lines, every one redacted exactly", total)
}
