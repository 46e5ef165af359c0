package validate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// rootURL is the base URI of a compiled schema that has no $id, and the
// prefix of the files given with WithFS.
const (
	rootURL  = "fnshield:///schema.json"
	fsPrefix = "fnshield:///"
)

// Schema is a compiled JSON Schema together with the screen limits it was
// compiled with. Compile it once, at start-up, and share it: a Schema is
// immutable and safe for concurrent use. The zero value is not usable;
// use [Compile] or [MustCompile].
type Schema struct {
	js       *jsonschema.Schema
	nodes    map[string]*jsonschema.Schema // every subschema by its absolute location
	maxBytes int64
	maxDepth int
	allowDup bool
	payload  *pointer
	tel      *telemetry
}

// Compile compiles a JSON Schema document. The draft is 2020-12 unless the
// schema's "$schema" names draft 2019-09, 7, 6 or 4. Formats are asserted
// (a "format" that fails is a violation, not an annotation) in every
// draft; content keywords (contentEncoding, contentMediaType) are
// annotations from draft 2019-09 on. A "$ref" may only name the schema itself or a resource
// given with [WithResource] or [WithFS]: any other URL fails with
// [ErrUnknownRef] and the URL in the message. Nothing is fetched, ever.
// The schema and the resources are screened like documents (without the
// size and depth limits): a duplicate member name in any of them is an
// error.
//
// Compile does all the work that can be done once: validating the schema
// against its meta-schema, resolving references, compiling patterns.
func Compile(schema []byte, opts ...Option) (*Schema, error) {
	c := newConfig(opts)
	if len(c.errs) > 0 {
		return nil, errors.Join(c.errs...)
	}
	if err := screen(schema, int64(len(schema)), maxMaxDepth, false); err != nil {
		return nil, fmt.Errorf("validate: schema: %w", err)
	}
	resources, err := c.resourceMap()
	if err != nil {
		return nil, err
	}

	comp := jsonschema.NewCompiler()
	comp.Draft = jsonschema.Draft2020
	comp.AssertFormat = true
	for name, check := range c.formats {
		comp.Formats[name] = func(v any) bool {
			s, ok := v.(string)
			return !ok || check(s)
		}
	}
	var refused []string
	comp.LoadURL = func(u string) (io.ReadCloser, error) {
		if b, ok := resources[u]; ok {
			return io.NopCloser(bytes.NewReader(b)), nil
		}
		refused = append(refused, u)
		return nil, fmt.Errorf("%w: %q", ErrUnknownRef, u)
	}
	if err := comp.AddResource(rootURL, bytes.NewReader(schema)); err != nil {
		return nil, fmt.Errorf("validate: schema: %w", err)
	}
	js, err := comp.Compile(rootURL)
	if err != nil {
		if len(refused) > 0 {
			return nil, fmt.Errorf("validate: schema: %w: %q is neither the schema nor a resource given with WithResource or WithFS (nothing is fetched)", ErrUnknownRef, refused[0])
		}
		return nil, fmt.Errorf("validate: schema: %w", err)
	}
	tel, err := newTelemetry(c.logger, c.meterProvider, c.tracerProvider)
	if err != nil {
		return nil, fmt.Errorf("validate: telemetry: %w", err)
	}
	s := &Schema{
		js:       js,
		nodes:    make(map[string]*jsonschema.Schema),
		maxBytes: c.maxBytes,
		maxDepth: c.maxDepth,
		allowDup: c.allowDup,
		payload:  c.payload,
		tel:      tel,
	}
	index(js, s.nodes)
	return s, nil
}

// MustCompile is like [Compile] but panics if the schema does not compile.
// It is meant for package-level variables holding fixed schemas.
func MustCompile(schema []byte, opts ...Option) *Schema {
	s, err := Compile(schema, opts...)
	if err != nil {
		panic(err)
	}
	return s
}

// resourceMap gathers the WithResource and WithFS documents by URL.
func (c *config) resourceMap() (map[string][]byte, error) {
	m := make(map[string][]byte, len(c.resources))
	for _, r := range c.resources {
		if err := screen(r.schema, int64(len(r.schema)), maxMaxDepth, false); err != nil {
			return nil, fmt.Errorf("validate: WithResource %q: %w", r.url, err)
		}
		m[r.url] = r.schema
	}
	for _, fsys := range c.fsys {
		err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
				return err
			}
			b, err := fs.ReadFile(fsys, path)
			if err != nil {
				return err
			}
			if err := screen(b, int64(len(b)), maxMaxDepth, false); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			m[fsPrefix+path] = b
			var top struct {
				ID string `json:"$id"`
			}
			if json.Unmarshal(b, &top) == nil && top.ID != "" {
				if u, err := url.Parse(top.ID); err == nil && u.IsAbs() {
					u.Fragment = ""
					m[strings.TrimSuffix(u.String(), "#")] = b
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("validate: WithFS: %w", err)
		}
	}
	return m, nil
}

// Validate screens data (size, depth, syntax, UTF-8, duplicate member
// names, number literals; see the package documentation), then validates
// it, or the document WithPayload selects in it, against the schema.
//
// It returns nil, an [*Error] listing the violations (errors.Is
// [ErrInvalid]), or a [*ScreenError] whose Err is one of the screen
// sentinels. No error text contains a value from data. Numbers are compared
// exactly, without rounding through float64.
func (s *Schema) Validate(data []byte) error {
	_, _, err := s.check(context.Background(), sourceDirect, data)
	return err
}

// Decode validates data as [Schema.Validate] does, then decodes the
// document (or the WithPayload selection) into v as encoding/json does,
// except that numbers stored in an interface value are json.Number, which
// keeps their exact text. Nothing is decoded into v when validation fails.
func (s *Schema) Decode(data []byte, v any) error {
	sel, tree, err := s.check(context.Background(), sourceDirect, data)
	if err != nil {
		return err
	}
	if sel == nil { // a non-string value selected by WithPayload
		if sel, err = json.Marshal(tree); err != nil {
			return fmt.Errorf("validate: decode: %w", err)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(sel))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("validate: decode: %w", err)
	}
	return nil
}

// check runs the screen and the schema on data, and records the outcome.
// It returns the selected document's bytes (nil when WithPayload selected
// a non-string value) and its decoded tree.
func (s *Schema) check(ctx context.Context, src string, data []byte) ([]byte, any, error) {
	sel, tree, err := s.run(data)
	s.tel.record(ctx, src, err)
	return sel, tree, err
}

func (s *Schema) run(data []byte) ([]byte, any, error) {
	if err := screen(data, s.maxBytes, s.maxDepth, s.allowDup); err != nil {
		return nil, nil, err
	}
	tree, err := decodeTree(data)
	if err != nil {
		return nil, nil, err
	}
	sel := data
	if s.payload != nil {
		if sel, tree, err = s.selectPayload(tree); err != nil {
			return nil, nil, err
		}
	}
	if err := s.js.Validate(tree); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			return nil, nil, s.violations(ve, tree)
		}
		return nil, nil, fmt.Errorf("validate: %w", err)
	}
	return sel, tree, nil
}

// selectPayload applies the WithPayload pointer to the decoded document.
func (s *Schema) selectPayload(tree any) ([]byte, any, error) {
	v, ok := s.payload.resolve(tree)
	if !ok {
		return nil, nil, &ScreenError{Err: ErrPayload}
	}
	str, ok := v.(string)
	if !ok {
		return nil, v, nil
	}
	inner := []byte(str)
	if err := screen(inner, s.maxBytes, s.maxDepth, s.allowDup); err != nil {
		var se *ScreenError
		if errors.As(err, &se) {
			se.Payload = true
		}
		return nil, nil, err
	}
	tree, err := decodeTree(inner)
	if err != nil {
		return nil, nil, err
	}
	return inner, tree, nil
}

// decodeTree decodes screened JSON into the generic form the engine
// validates, keeping numbers exact.
func decodeTree(d []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(d))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		// The screen accepts only what the decoder accepts; this is a
		// safety net, not an expected path.
		return nil, &ScreenError{Err: ErrSyntax}
	}
	return v, nil
}

// index records every subschema reachable from s by its location, and
// makes an empty enum reject every value.
func index(s *jsonschema.Schema, m map[string]*jsonschema.Schema) {
	if s == nil {
		return
	}
	if _, ok := m[s.Location]; ok {
		return
	}
	m[s.Location] = s
	if s.Enum != nil && len(s.Enum) == 0 && s.Always == nil {
		// jsonschema/v5 skips an empty enum; it allows no value at all.
		s.Always = new(bool)
	}
	for _, sub := range []*jsonschema.Schema{s.Ref, s.RecursiveRef, s.DynamicRef, s.Not, s.If, s.Then, s.Else,
		s.PropertyNames, s.UnevaluatedProperties, s.Items2020, s.Contains, s.UnevaluatedItems, s.ContentSchema} {
		index(sub, m)
	}
	for _, list := range [][]*jsonschema.Schema{s.AllOf, s.AnyOf, s.OneOf, s.PrefixItems} {
		for _, sub := range list {
			index(sub, m)
		}
	}
	for _, sub := range s.Properties {
		index(sub, m)
	}
	for _, sub := range s.PatternProperties {
		index(sub, m)
	}
	for _, sub := range s.DependentSchemas {
		index(sub, m)
	}
	for _, dep := range s.Dependencies {
		if sub, ok := dep.(*jsonschema.Schema); ok {
			index(sub, m)
		}
	}
	for _, v := range []any{s.AdditionalProperties, s.AdditionalItems, s.Items} {
		switch v := v.(type) {
		case *jsonschema.Schema:
			index(v, m)
		case []*jsonschema.Schema:
			for _, sub := range v {
				index(sub, m)
			}
		}
	}
}
