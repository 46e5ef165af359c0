package redact

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// ownPackages are the fnshield packages whose error texts end up in logs
// next to the redactor.
var ownPackages = []string{"../auth", "../secrets", "../validate", "../ratelimit", "../internal/httpevent", "../internal/problem"}

// ownFormats returns the format strings of the errors.New and fmt.Errorf
// calls in the non-test Go files under the own packages. A file that does
// not parse (being edited) is skipped with a note.
func ownFormats(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, dir := range ownPackages {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "testdata" {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Logf("skipping %s: %v", path, err)
				return nil
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) == 0 {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				pkg, ok := sel.X.(*ast.Ident)
				if !ok || !(pkg.Name == "errors" && sel.Sel.Name == "New" || pkg.Name == "fmt" && sel.Sel.Name == "Errorf") {
					return true
				}
				if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil {
						out = append(out, s)
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Logf("skipping %s: %v", dir, err)
		}
	}
	return out
}

var verbRE = regexp.MustCompile(`%[-+# 0]*[0-9]*(\.[0-9]+)?[a-zA-Z%]`)

// ownNames are realistic values for the names an error quotes (%q):
// secret names, API names, issuer URLs, parameter paths, header names.
var ownNames = []string{"prod/db", "orders-api", "https://issuer.example.com/", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123",
	"prod/db-password", "/prod/orders/api-token", "prod/stripe-secret-key", "X-Api-Key", "session_token"}

// ownWords are realistic values for what an error prints with %s or %v:
// names, URLs, fields and options, none of them a sensitive key.
var ownWords = []string{"prod/db", "orders-api", "https://issuer.example.com/", "https://issuer.example.com/.well-known/jwks.json",
	"body", "RS256", "WithAudience", "orders:write"}

// ownCauses are the texts a %w wraps.
var ownCauses = []string{"secrets: not found", "context deadline exceeded", "auth: signing keys unavailable",
	"auth: token expired", `secrets: get "prod/db": secrets: not found`, "dial tcp 127.0.0.1:2773: connect: connection refused"}

func renderFormat(format, name, word, cause string) string {
	return verbRE.ReplaceAllStringFunc(format, func(v string) string {
		switch v[len(v)-1] {
		case 'q':
			return strconv.Quote(name)
		case 'w':
			return cause
		case 'd':
			return "3"
		case 'T':
			return "*main.Claims"
		case '%':
			return "%"
		}
		return word
	})
}

// ownErrorTexts are the texts of the errors whose Error method builds its
// text (not a format string), as those methods write them.
func ownErrorTexts() []string {
	var out []string
	for _, n := range ownNames {
		q := strconv.Quote(n)
		for _, c := range ownCauses {
			out = append(out, "secrets: get "+q+": "+c)
		}
		for _, reason := range []string{"request failed", "not found (ResourceNotFoundException)", "AWS error AccessDeniedException",
			"context canceled", "context deadline exceeded", "response has no secret value"} {
			out = append(out, "awssm: get secret "+q+": "+reason)
		}
		for _, op := range []string{"GetParameter", "GetParametersByPath"} {
			for _, reason := range []string{"not found (ParameterNotFound)", "AWS error ThrottlingException", "response has no parameter value"} {
				out = append(out, "ssm: "+op+" "+q+": "+reason)
			}
		}
		for _, what := range []string{"secret ", "parameter "} {
			for _, reason := range []string{"not found (HTTP 404)", "timed out", "HTTP 500", "response body larger than 1 MiB", "request failed"} {
				out = append(out, "extension: get "+what+q+": "+reason)
			}
		}
	}
	for _, f := range []string{"body", "method"} {
		out = append(out, "httpevent: invalid event field "+f+": not valid base64", "httpevent: invalid event: nil event")
	}
	for _, p := range []string{"/run/secrets/prod/db-password", "/var/run/secrets/api_token", `C:\secrets\client-secret`} {
		out = append(out, "secrets: dir: cannot read secret file: open "+p+": permission denied",
			"secrets: dir: no such secret file: open "+p+": no such file or directory")
	}
	out = append(out,
		"extension: invalid configuration: no session token (AWS_SESSION_TOKEN is empty)",
		"extension: invalid configuration: PARAMETERS_SECRETS_EXTENSION_HTTP_PORT is not a port number",
		"auth: invalid signature: empty signature",
		"auth: malformed token: token is not three dot-separated parts",
		"auth: token expired: exp claim missing",
		"auth: untrusted issuer: issuer not configured",
		"auth: wrong token type: typ header does not match",
	)
	return out
}

// Issue 11, "Also": fnshield's own errors pass the default redactor
// unchanged, bare, quoted in a logfmt line and inside a JSON line.
func TestOwnErrorTextsUnchanged(t *testing.T) {
	formats := ownFormats(t)
	if len(formats) < 50 {
		t.Fatalf("found only %d error formats in %v", len(formats), ownPackages)
	}
	texts := ownErrorTexts()
	for _, f := range formats {
		for i, n := range ownNames {
			texts = append(texts, renderFormat(f, n, ownWords[i%len(ownWords)], ownCauses[i%len(ownCauses)]))
		}
	}
	r := New()
	seen := map[string]bool{}
	for _, text := range texts {
		if seen[text] {
			continue
		}
		seen[text] = true
		js, _ := json.Marshal(map[string]string{"level": "ERROR", "err": text})
		for _, line := range []string{text, "level=ERROR msg=\"request failed\" err=" + strconv.Quote(text), string(js)} {
			if got := r.String(line); got != line {
				t.Errorf("own error text changed:\n in:  %q\n out: %q", line, got)
			}
		}
	}
	t.Logf("%d formats, %d texts", len(formats), len(seen))
}
