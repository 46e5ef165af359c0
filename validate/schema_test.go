package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/fnshield/fnshield/internal/metrictest"
)

func TestCompileOptionErrors(t *testing.T) {
	tests := []struct {
		name string
		opt  Option
	}{
		{"zero max bytes", WithMaxBytes(0)},
		{"negative max bytes", WithMaxBytes(-1)},
		{"zero depth", WithMaxDepth(0)},
		{"depth beyond encoding/json", WithMaxDepth(maxMaxDepth + 1)},
		{"nil format check", WithFormat("sku", nil)},
		{"empty format name", WithFormat("", func(string) bool { return true })},
		{"relative resource URL", WithResource("defs.json", []byte(`{}`))},
		{"resource URL with fragment", WithResource("https://example.com/a.json#x", []byte(`{}`))},
		{"resource URL with empty fragment", WithResource("https://example.com/a.json#", []byte(`{}`))},
		{"nil fs", WithFS(nil)},
		{"resource with a duplicate key", WithResource("https://example.com/a.json", []byte(`{"type":"string","type":"integer"}`))},
		{"fs file with a duplicate key", WithFS(fstest.MapFS{"a.json": {Data: []byte(`{"a":1,"a":2}`)}})},
		{"pointer without slash", WithPayload("detail")},
		{"pointer with bad escape", WithPayload("/a~2")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Compile([]byte(`{}`), tt.opt); err == nil {
				t.Fatal("got nil error, want one")
			}
		})
	}
}

func TestCompileSchemaErrors(t *testing.T) {
	tests := []struct {
		name   string
		schema string
		is     error // nil: any error
		says   string
	}{
		{"not JSON", `{"type":`, ErrSyntax, ""},
		{"duplicate key in schema", `{"type":"string","type":"integer"}`, ErrDuplicateKey, ""},
		{"invalid against the meta-schema", `{"type":"strnig"}`, nil, ""},
		{"network ref", `{"$ref":"https://schemas.example.com/order.json"}`, ErrUnknownRef, `"https://schemas.example.com/order.json"`},
		{"relative ref to a missing file", `{"$ref":"defs.json"}`, ErrUnknownRef, `"fnshield:///defs.json"`},
		{"file ref", `{"$ref":"file:///etc/passwd"}`, ErrUnknownRef, `"file:///etc/passwd"`},
		{"unknown meta-schema", `{"$schema":"https://example.com/meta"}`, ErrUnknownRef, `"https://example.com/meta"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile([]byte(tt.schema))
			if err == nil {
				t.Fatal("got nil error, want one")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("got %v, want %v", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %q does not name %s", err, tt.says)
			}
		})
	}
}

func TestMustCompilePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("MustCompile did not panic on an invalid schema")
		}
	}()
	MustCompile([]byte(`{"$ref":"https://example.com/x"}`))
}

func TestResources(t *testing.T) {
	money := []byte(`{"$defs":{"amount":{"type":"number","minimum":0}}}`)
	byID := []byte(`{"$id":"https://schemas.example.com/sku.json","type":"string","pattern":"^[A-Z]+$"}`)
	fsys := fstest.MapFS{
		"defs/money.json": {Data: money},
		"sku.json":        {Data: byID},
		"README.md":       {Data: []byte("not a schema")},
	}
	tests := []struct {
		name   string
		schema string
		opts   []Option
	}{
		{"WithResource by URL", `{"properties":{"price":{"$ref":"https://schemas.example.com/money.json#/$defs/amount"}}}`,
			[]Option{WithResource("https://schemas.example.com/money.json", money)}},
		{"WithFS by relative path", `{"properties":{"price":{"$ref":"defs/money.json#/$defs/amount"}}}`,
			[]Option{WithFS(fsys)}},
		{"WithFS by $id", `{"properties":{"sku":{"$ref":"https://schemas.example.com/sku.json"}}}`,
			[]Option{WithFS(fsys)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Compile([]byte(tt.schema), tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Validate([]byte(`{"price":1,"sku":"AB"}`)); err != nil {
				t.Errorf("valid document: got %v", err)
			}
			if err := s.Validate([]byte(`{"price":-1,"sku":"ab"}`)); !errors.Is(err, ErrInvalid) {
				t.Errorf("invalid document: got %v, want ErrInvalid", err)
			}
		})
	}
}

func TestDrafts(t *testing.T) {
	// In draft 2020-12, items is one schema; in draft 7, an array of schemas
	// validates by position. The same schema therefore means different
	// things, and $schema chooses.
	schema := `{"$schema":%q,"items":[{"type":"string"}]}`
	tests := []struct {
		draft string
		valid bool
	}{
		{"https://json-schema.org/draft/2020-12/schema", false}, // items must be a schema: compile error
		{"http://json-schema.org/draft-07/schema#", true},
		{"http://json-schema.org/draft-04/schema#", true},
	}
	for _, tt := range tests {
		t.Run(tt.draft, func(t *testing.T) {
			s, err := Compile([]byte(fmt.Sprintf(schema, tt.draft)))
			if !tt.valid {
				if err == nil {
					t.Fatal("compiled, want a meta-schema error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Validate([]byte(`["a", 1]`)); err != nil {
				t.Errorf(`["a", 1]: got %v`, err)
			}
			if err := s.Validate([]byte(`[1]`)); !errors.Is(err, ErrInvalid) {
				t.Errorf(`[1]: got %v, want ErrInvalid`, err)
			}
		})
	}
}

func TestFormats(t *testing.T) {
	s, err := Compile([]byte(`{"properties":{
		"email":{"format":"email"},"when":{"format":"date-time"},"id":{"format":"uuid"},
		"ip":{"format":"ipv4"},"ip6":{"format":"ipv6"},"site":{"format":"uri"},
		"sku":{"format":"sku"},"n":{"format":"sku"}}}`),
		WithFormat("sku", func(s string) bool { return strings.HasPrefix(s, "SKU-") }))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, doc string
		path      string // "" means valid
	}{
		{"all valid", `{"email":"a@example.com","when":"2026-12-07T08:00:00Z","id":"3f2b8c1e-9d4a-4e6b-8f7a-2c5d1e9b0a47","ip":"192.0.2.1","ip6":"2001:db8::1","site":"https://example.com/x","sku":"SKU-1","n":5}`, ""},
		{"email", `{"email":"not-an-email"}`, "/email"},
		{"date-time", `{"when":"2026-13-07T08:00:00Z"}`, "/when"},
		{"uuid", `{"id":"3f2b8c1e"}`, "/id"},
		{"ipv4", `{"ip":"256.0.0.1"}`, "/ip"},
		{"ipv6", `{"ip6":"2001:db8:::1"}`, "/ip6"},
		{"uri", `{"site":"relative/path"}`, "/site"},
		{"custom", `{"sku":"ABC"}`, "/sku"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Validate([]byte(tt.doc))
			if tt.path == "" {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || len(e.Violations) != 1 {
				t.Fatalf("got %v, want one violation", err)
			}
			if v := e.Violations[0]; v.InstancePath != tt.path || v.Keyword != "format" {
				t.Errorf("got %+v, want format at %s", v, tt.path)
			}
		})
	}
}

func TestViolations(t *testing.T) {
	s := MustCompile([]byte(`{
		"type":"object",
		"required":["id","kind"],
		"additionalProperties":false,
		"properties":{
			"id":{"type":"integer","maximum":9007199254740992},
			"kind":{"enum":["a","b"]},
			"name":{"type":"string","minLength":2,"maxLength":5,"pattern":"^[a-z]+$"},
			"tags":{"type":"array","maxItems":2,"uniqueItems":true,"items":{"type":"string"}},
			"price":{"type":"number","exclusiveMinimum":0,"multipleOf":0.01},
			"meta":{"type":"object","propertyNames":{"maxLength":3},"additionalProperties":{"type":"string"}},
			"card":{"dependentRequired":{"number":["expiry"]}},
			"pick":{"oneOf":[{"type":"string"},{"type":"integer"}]},
			"never":false
		}}`))
	tests := []struct {
		name string
		doc  string
		want []Violation
	}{
		{"big integer over the maximum by one", `{"id":9007199254740993,"kind":"a"}`,
			[]Violation{{"/id", "maximum", "must be at most 9007199254740992"}}},
		{"big integer at the maximum", `{"id":9007199254740992,"kind":"a"}`, nil},
		{"missing required names each", `{}`,
			[]Violation{{"", "required", `must have required property "id"`}, {"", "required", `must have required property "kind"`}}},
		{"type", `{"id":"7","kind":"a"}`, []Violation{{"/id", "type", "must be of type integer"}}},
		{"enum", `{"id":1,"kind":"secret-value"}`, []Violation{{"/kind", "enum", "must be one of the allowed values"}}},
		{"string keywords", `{"id":1,"kind":"a","name":"SECRETVALUE"}`, []Violation{
			{"/name", "maxLength", "must be at most 5 characters long"},
			{"/name", "pattern", "must match the pattern"}}},
		{"array keywords", `{"id":1,"kind":"a","tags":["x","x",3]}`, []Violation{
			{"/tags", "maxItems", "must have at most 2 items"},
			{"/tags", "uniqueItems", "must not contain duplicate items"},
			{"/tags/2", "type", "must be of type string"}}},
		{"number keywords", `{"id":1,"kind":"a","price":-0.015}`, []Violation{
			{"/price", "exclusiveMinimum", "must be greater than 0"},
			{"/price", "multipleOf", "must be a multiple of 0.01"}}},
		{"additional property name not echoed", `{"id":1,"kind":"a","<script>":1}`,
			[]Violation{{"", "additionalProperties", "additional properties are not allowed"}}},
		{"property names not echoed", `{"id":1,"kind":"a","meta":{"password123":"x"}}`,
			[]Violation{{"/meta", "propertyNames", "has a property name that propertyNames does not allow"}}},
		{"value under an additional property", `{"id":1,"kind":"a","meta":{"ab":1}}`,
			[]Violation{{"/meta/ab", "type", "must be of type string"}}},
		{"dependentRequired", `{"id":1,"kind":"a","card":{"number":"4242"}}`,
			[]Violation{{"/card", "dependentRequired", `must have property "expiry" when "number" is present`}}},
		{"oneOf is one violation", `{"id":1,"kind":"a","pick":true}`,
			[]Violation{{"/pick", "oneOf", "must be valid against exactly one schema in oneOf"}}},
		{"false schema", `{"id":1,"kind":"a","never":"x"}`,
			[]Violation{{"/never", "properties", "is not allowed"}}},
		{"pointer escaping", `{"id":1,"kind":"a","meta":{"a/b":2}}`,
			[]Violation{{"/meta/a~1b", "type", "must be of type string"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Validate([]byte(tt.doc))
			if tt.want == nil {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, want *Error", err)
			}
			if fmt.Sprint(e.Violations) != fmt.Sprint(tt.want) {
				t.Errorf("got  %v\nwant %v", e.Violations, tt.want)
			}
			for _, secret := range []string{"SECRETVALUE", "secret-value", "<script>", "password123", "4242", "-0.015", "9007199254740993"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q echoes %q", err, secret)
				}
			}
		})
	}
}

func TestViolationsCapped(t *testing.T) {
	s := MustCompile([]byte(`{"type":"array","items":{"type":"string"}}`))
	doc := "[" + strings.TrimSuffix(strings.Repeat("1,", 50), ",") + "]"
	var e *Error
	if err := s.Validate([]byte(doc)); !errors.As(err, &e) {
		t.Fatalf("got %v, want *Error", err)
	}
	if len(e.Violations) != MaxViolations || e.Omitted != 50-MaxViolations {
		t.Fatalf("got %d violations and %d omitted, want %d and %d", len(e.Violations), e.Omitted, MaxViolations, 50-MaxViolations)
	}
	if !strings.HasSuffix(e.Error(), fmt.Sprintf("and %d more", 50-MaxViolations)) {
		t.Errorf("error text %q does not say how many were omitted", e.Error())
	}
	for i := 1; i < len(e.Violations); i++ {
		if e.Violations[i-1].InstancePath >= e.Violations[i].InstancePath {
			t.Fatalf("violations not sorted and unique: %v", e.Violations)
		}
	}
}

func TestValidateScreens(t *testing.T) {
	s := MustCompile([]byte(`{}`), WithMaxBytes(64), WithMaxDepth(3))
	tests := []struct {
		name string
		doc  string
		err  error
	}{
		{"duplicate", `{"role":"user","role":"admin"}`, ErrDuplicateKey},
		{"too large", `"` + strings.Repeat("a", 70) + `"`, ErrTooLarge},
		{"too deep", `[[[[1]]]]`, ErrTooDeep},
		{"syntax", `{"a":}`, ErrSyntax},
		{"encoding", "\"\xff\"", ErrEncoding},
		{"number", `1e999`, ErrNumber},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Validate([]byte(tt.doc))
			var se *ScreenError
			if !errors.As(err, &se) || !errors.Is(err, tt.err) {
				t.Fatalf("got %v, want %v", err, tt.err)
			}
			if errors.Is(err, ErrInvalid) {
				t.Error("a screen error also matches ErrInvalid")
			}
		})
	}
	if err := MustCompile([]byte(`{}`), AllowDuplicateKeys()).Validate([]byte(`{"a":1,"a":2}`)); err != nil {
		t.Errorf("AllowDuplicateKeys: got %v", err)
	}
}

func TestDecode(t *testing.T) {
	s := MustCompile([]byte(`{"type":"object","required":["id"],"properties":{"id":{"type":"integer"}}}`))
	var got struct {
		ID    int64 `json:"id"`
		Extra any   `json:"extra"`
	}
	if err := s.Decode([]byte(`{"id":9007199254740993,"extra":12345678901234567890}`), &got); err != nil {
		t.Fatal(err)
	}
	if got.ID != 9007199254740993 {
		t.Errorf("id = %d, want 9007199254740993", got.ID)
	}
	if n, ok := got.Extra.(json.Number); !ok || n != "12345678901234567890" {
		t.Errorf("extra = %#v, want json.Number 12345678901234567890", got.Extra)
	}
	var untouched struct{ ID int }
	if err := s.Decode([]byte(`{"id":"x"}`), &untouched); !errors.Is(err, ErrInvalid) || untouched.ID != 0 {
		t.Errorf("invalid: got %v, %+v", err, untouched)
	}
}

func TestPayload(t *testing.T) {
	inner := `{"bucket":"photos","size":12}`
	quoted, _ := json.Marshal(inner)
	schema := []byte(`{"type":"object","required":["bucket"],"properties":{"size":{"type":"integer","maximum":100}}}`)
	tests := []struct {
		name    string
		pointer string
		doc     string
		err     error
		payload bool // the ScreenError is in the selected payload
	}{
		{"object", "/detail", `{"detail":` + inner + `}`, nil, false},
		{"string", "/Message", `{"Message":` + string(quoted) + `}`, nil, false},
		{"array index", "/Records/1/body", `{"Records":[{},{"body":` + string(quoted) + `}]}`, nil, false},
		{"escaped name", "/a~1b", `{"a/b":` + inner + `}`, nil, false},
		{"violation inside", "/detail", `{"detail":{"bucket":"b","size":101}}`, ErrInvalid, false},
		{"missing", "/detail", `{"other":1}`, ErrPayload, false},
		{"bad index", "/Records/01", `{"Records":[1,2]}`, ErrPayload, false},
		{"outer duplicate", "/detail", `{"detail":{},"detail":` + inner + `}`, ErrDuplicateKey, false},
		{"inner duplicate", "/Message", `{"Message":"{\"bucket\":\"a\",\"bucket\":\"b\"}"}`, ErrDuplicateKey, true},
		{"inner not JSON", "/Message", `{"Message":"hello"}`, ErrSyntax, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustCompile(schema, WithPayload(tt.pointer))
			err := s.Validate([]byte(tt.doc))
			if tt.err == nil {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				var got struct {
					Bucket string `json:"bucket"`
				}
				if err := s.Decode([]byte(tt.doc), &got); err != nil || got.Bucket != "photos" {
					t.Errorf("Decode: got %+v, %v", got, err)
				}
				return
			}
			if !errors.Is(err, tt.err) {
				t.Fatalf("got %v, want %v", err, tt.err)
			}
			var se *ScreenError
			if errors.As(err, &se) && se.Payload != tt.payload {
				t.Errorf("Payload = %v, want %v", se.Payload, tt.payload)
			}
		})
	}
}

func TestTelemetry(t *testing.T) {
	mp := &metrictest.Provider{}
	var logs bytes.Buffer
	s := MustCompile([]byte(`{"properties":{"pin":{"type":"string","maxLength":4}}}`),
		WithMeterProvider(mp), WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	for _, doc := range []string{`{"pin":"1234"}`, `{"pin":"1234"}`, `{"pin":"S3CR3T-PIN"}`, `{"pin":`} {
		_ = s.Validate([]byte(doc))
	}
	for _, tt := range []struct {
		result string
		want   int64
	}{{"valid", 2}, {"invalid", 1}, {"error", 1}} {
		if got := mp.Sum("fnshield.validate.results", "result", tt.result, "source", "direct"); got != tt.want {
			t.Errorf("result %s: got %d, want %d", tt.result, got, tt.want)
		}
	}
	out := logs.String()
	if strings.Count(out, "validate: document rejected") != 2 || !strings.Contains(out, "/pin maxLength") {
		t.Errorf("logs: %s", out)
	}
	if strings.Contains(out, "S3CR3T") {
		t.Errorf("logs echo the value: %s", out)
	}
}

func TestViolationsMoreKeywords(t *testing.T) {
	tests := []struct {
		name, schema, doc string
		want              []Violation
	}{
		{"unevaluatedProperties false names the object", `{"properties":{"a":{}},"unevaluatedProperties":false}`, `{"a":1,"<x>":2}`,
			[]Violation{{"", "unevaluatedProperties", "unevaluated properties are not allowed"}}},
		{"propertyNames through $ref", `{"propertyNames":{"$ref":"#/$defs/short"},"$defs":{"short":{"maxLength":2}}}`, `{"toolong":1}`,
			[]Violation{{"", "propertyNames", "has a property name that propertyNames does not allow"}}},
		{"a property named propertyNames is a value", `{"properties":{"propertyNames":{"type":"string"}}}`, `{"propertyNames":1}`,
			[]Violation{{"/propertyNames", "type", "must be of type string"}}},
		{"draft 7 additionalItems", `{"$schema":"http://json-schema.org/draft-07/schema#","items":[{}],"additionalItems":false}`, `[1,2]`,
			[]Violation{{"", "additionalItems", "additional items are not allowed"}}},
		{"draft 7 items array with a false schema", `{"$schema":"http://json-schema.org/draft-07/schema#","items":[{},false]}`, `[1,2]`,
			[]Violation{{"/1", "items", "is not allowed"}}},
		{"prefixItems false", `{"prefixItems":[{},false]}`, `[1,2]`,
			[]Violation{{"/1", "prefixItems", "is not allowed"}}},
		{"unevaluatedItems false", `{"prefixItems":[{}],"unevaluatedItems":false}`, `[1,2]`,
			[]Violation{{"/1", "unevaluatedItems", "unevaluated items are not allowed"}}},
		{"contains", `{"contains":{"type":"integer"},"minContains":2,"maxContains":3}`, `["a",1]`,
			[]Violation{{"", "minContains", "must contain at least 2 items valid against contains"}}},
		{"maxContains", `{"contains":{"type":"integer"},"maxContains":1}`, `[1,2]`,
			[]Violation{{"", "maxContains", "must contain at most 1 items valid against contains"}}},
		{"anyOf", `{"anyOf":[{"type":"string"},{"minimum":5}]}`, `1`,
			[]Violation{{"", "anyOf", "must be valid against at least one schema in anyOf"}}},
		{"not and const", `{"not":{"type":"integer"},"const":"x"}`, `1`,
			[]Violation{{"", "const", "must equal the constant value"}, {"", "not", "must not be valid against the schema in not"}}},
		{"if then", `{"if":{"type":"integer"},"then":{"maximum":3}}`, `5`,
			[]Violation{{"", "maximum", "must be at most 3"}}},
		{"empty enum", `{"enum":[]}`, `1`,
			[]Violation{{"", "enum", "must be one of the allowed values (the schema allows none)"}}},
		{"false root", `false`, `1`,
			[]Violation{{"", "false", "is not allowed"}}},
		{"min and max properties", `{"properties":{"o":{"minProperties":2},"p":{"maxProperties":0}}}`, `{"o":{},"p":{"a":1}}`,
			[]Violation{{"/o", "minProperties", "must have at least 2 properties"}, {"/p", "maxProperties", "must have at most 0 properties"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Compile([]byte(tt.schema))
			if err != nil {
				t.Fatal(err)
			}
			var e *Error
			if err := s.Validate([]byte(tt.doc)); !errors.As(err, &e) {
				t.Fatalf("got %v, want *Error", err)
			}
			if fmt.Sprint(e.Violations) != fmt.Sprint(tt.want) {
				t.Errorf("got  %v\nwant %v", e.Violations, tt.want)
			}
		})
	}
}
