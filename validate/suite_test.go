package validate

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// suiteDir is the official JSON Schema Test Suite, shared by the project.
const suiteDir = "../../shared/testdata/JSON-Schema-Test-Suite"

// suiteExclusions lists the suite cases fnshield does not pass, by
// "file/group description/test description" (a group or a file alone
// excludes all of it), with the reason.
var suiteExclusions = map[string]string{
	// fnshield asserts "format" by default (issue 13: not asserting is a
	// common trap), so the cases that check draft 2020-12's default of
	// format as a mere annotation fail by design. format.json's other
	// cases (every valid value, and non-strings) run.
	"format.json/email format/invalid email string is only an annotation by default":                                 "formats asserted by design",
	"format.json/idn-email format/invalid idn-email string is only an annotation by default":                         "formats asserted by design",
	"format.json/regex format/invalid regex string is only an annotation by default":                                 "formats asserted by design",
	"format.json/ipv4 format/invalid ipv4 string is only an annotation by default":                                   "formats asserted by design",
	"format.json/ipv6 format/invalid ipv6 string is only an annotation by default":                                   "formats asserted by design",
	"format.json/idn-hostname format/invalid idn-hostname string is only an annotation by default":                   "formats asserted by design",
	"format.json/hostname format/invalid hostname string is only an annotation by default":                           "formats asserted by design",
	"format.json/date format/invalid date string is only an annotation by default":                                   "formats asserted by design",
	"format.json/date-time format/invalid date-time string is only an annotation by default":                         "formats asserted by design",
	"format.json/time format/invalid time string is only an annotation by default":                                   "formats asserted by design",
	"format.json/json-pointer format/invalid json-pointer string is only an annotation by default":                   "formats asserted by design",
	"format.json/relative-json-pointer format/invalid relative-json-pointer string is only an annotation by default": "formats asserted by design",
	"format.json/iri format/invalid iri string is only an annotation by default":                                     "formats asserted by design",
	"format.json/iri-reference format/invalid iri-reference string is only an annotation by default":                 "formats asserted by design",
	"format.json/uri format/invalid uri string is only an annotation by default":                                     "formats asserted by design",
	"format.json/uri-reference format/invalid uri-reference string is only an annotation by default":                 "formats asserted by design",
	"format.json/uri-template format/invalid uri-template string is only an annotation by default":                   "formats asserted by design",
	"format.json/uuid format/invalid uuid string is only an annotation by default":                                   "formats asserted by design",
	// jsonschema/v5 v5.3.1 resolves this $dynamicRef through the
	// intermediate resource "bar" instead of skipping it.
	"dynamicRef.json/$dynamicRef skips over intermediate resources - direct reference":     "engine limitation",
	"format.json/duration format/invalid duration string is only an annotation by default": "formats asserted by design",
}

type suiteGroup struct {
	Description string          `json:"description"`
	Schema      json.RawMessage `json:"schema"`
	Tests       []struct {
		Description string          `json:"description"`
		Data        json.RawMessage `json:"data"`
		Valid       bool            `json:"valid"`
	} `json:"tests"`
}

// suiteRemotes serves the suite's remotes/ directory at its base URL,
// http://localhost:1234/, through WithResource: nothing is fetched.
func suiteRemotes(t *testing.T) []Option {
	t.Helper()
	root := filepath.Join(suiteDir, "remotes")
	var opts []Option
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		opts = append(opts, WithResource("http://localhost:1234/"+filepath.ToSlash(rel), b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return opts
}

func TestJSONSchemaTestSuite(t *testing.T) {
	dir := filepath.Join(suiteDir, "tests", "draft2020-12")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no suite files in %s (err %v)", dir, err)
	}
	remotes := suiteRemotes(t)
	var passed, total, excluded int
	for _, file := range files {
		name := filepath.Base(file)
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var groups []suiteGroup
		if err := json.Unmarshal(b, &groups); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, g := range groups {
			s, compileErr := Compile(g.Schema, remotes...)
			for _, tc := range g.Tests {
				id := name + "/" + g.Description + "/" + tc.Description
				if reason := exclusion(name, g.Description, tc.Description); reason != "" {
					excluded++
					t.Logf("excluded %s: %s", id, reason)
					continue
				}
				total++
				if compileErr != nil {
					t.Errorf("%s: compile: %v", id, compileErr)
					continue
				}
				err := s.Validate(tc.Data)
				if got := err == nil; got != tc.Valid {
					t.Errorf("%s: valid = %v, want %v (err %v)", id, got, tc.Valid, err)
					continue
				}
				if err != nil {
					assertNoEcho(t, id, err, tc.Data, g.Schema)
				}
				passed++
			}
		}
	}
	t.Logf("JSON Schema Test Suite draft 2020-12: %d/%d passed (%.1f%%), %d excluded", passed, total, 100*float64(passed)/float64(total), excluded)
}

func exclusion(file, group, test string) string {
	for _, k := range []string{file, file + "/" + group, file + "/" + group + "/" + test} {
		if r, ok := suiteExclusions[k]; ok {
			return r
		}
	}
	return ""
}

// assertNoEcho fails when the text of err quotes a string from data (one
// that the schema does not itself contain, as schema names may be quoted).
func assertNoEcho(t *testing.T, id string, err error, data, schema json.RawMessage) {
	t.Helper()
	var v any
	if json.Unmarshal(data, &v) != nil {
		return
	}
	msg := strings.TrimPrefix(err.Error(), ErrInvalid.Error())
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			if len(v) >= 4 && !strings.Contains(string(schema), v) && strings.Contains(msg, v) {
				t.Errorf("%s: error %q echoes the value %q", id, msg, v)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(v)
}
