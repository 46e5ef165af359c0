package extension

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/fnshield/fnshield/secrets/internal/smname"
)

// FuzzResolveName checks that any name either is refused with
// ErrInvalidName or becomes a request whose query decodes back to exactly
// the name's parts, so no name can smuggle extra query parameters.
func FuzzResolveName(f *testing.F) {
	for _, s := range []string{
		"prod/db", "prod/db#AWSPREVIOUS", "prod/db#v-1", "ssm:/p/q:3", "secretsmanager:a&b=c",
		"arn:aws:ssm:r:1:parameter/x", "arn:aws:secretsmanager:r:1:secret:x", "a b+c%d?e#", "ssm:", "#",
	} {
		f.Add(s, false)
	}
	blue, err := smname.NewStages([]string{"blue"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, name string, paramDefault bool) {
		p := &Provider{parameterStore: paramDefault, stages: blue}
		req, err := p.resolve(name)
		if err != nil {
			if !errors.Is(err, ErrInvalidName) {
				t.Fatalf("resolve(%q) error = %v, want ErrInvalidName", name, err)
			}
			return
		}
		q, perr := url.ParseQuery(req.query.Encode())
		if perr != nil {
			t.Fatalf("query for %q does not parse: %v", name, perr)
		}
		rest, ok := strings.CutPrefix(name, "ssm:")
		if !ok {
			rest = strings.TrimPrefix(name, "secretsmanager:")
		}
		switch req.service {
		case parameterStore:
			if len(q) != 2 || q.Get("name") != rest || q.Get("withDecryption") != "true" {
				t.Fatalf("resolve(%q) query = %v", name, q)
			}
		case secretsManager:
			got := q.Get("secretId")
			if v := q.Get("versionStage") + q.Get("versionId"); v != "" {
				got += "#" + v
			}
			if st := q.Get("versionStage"); st != "" && !blue.IsStage(st) {
				t.Fatalf("resolve(%q) sends versionStage %q, not a stage", name, st)
			}
			if id := q.Get("versionId"); id != "" && blue.IsStage(id) {
				t.Fatalf("resolve(%q) sends stage %q as a versionId", name, id)
			}
			if got != rest || len(q) > 2 {
				t.Fatalf("resolve(%q) query = %v, want the parts of %q", name, q, rest)
			}
		}
	})
}
