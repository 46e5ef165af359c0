package validate

import (
	"cmp"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// The engine's messages quote rejected values ("'abc' is not valid email",
// "must be <= 10 but found 12"). fnshield writes its own from the schema
// node that failed, found through the error's absolute keyword location in
// Schema.nodes, so that no message can carry a value.

// violations turns the engine's error tree into an *Error.
func (s *Schema) violations(ve *jsonschema.ValidationError, doc any) *Error {
	var out []Violation
	s.collect(ve, doc, &out)
	slices.SortFunc(out, func(a, b Violation) int {
		return cmp.Or(strings.Compare(a.InstancePath, b.InstancePath),
			strings.Compare(a.Keyword, b.Keyword), strings.Compare(a.Message, b.Message))
	})
	out = slices.Compact(out)
	e := &Error{Violations: out}
	if len(out) > MaxViolations {
		e.Violations = out[:MaxViolations:MaxViolations]
		e.Omitted = len(out) - MaxViolations
	}
	return e
}

// collect appends the violations under ve. Combinators whose branches all
// failed (anyOf, oneOf, contains) are one violation: their branches'
// failures would only confuse. Other wrappers ($ref, allOf, if/then/else,
// the root) are replaced by their causes.
func (s *Schema) collect(ve *jsonschema.ValidationError, doc any, out *[]Violation) {
	node, rest := s.nodeOf(ve.AbsoluteKeywordLocation)
	kw := ""
	if len(rest) > 0 {
		kw = rest[0]
	}
	switch kw {
	case "anyOf", "oneOf", "minContains":
	default:
		if len(ve.Causes) > 0 {
			for _, c := range ve.Causes {
				s.collect(c, doc, out)
			}
			return
		}
	}
	path := ve.InstanceLocation
	if inPropertyNames(ve.KeywordLocation) {
		*out = append(*out, Violation{parentPointer(path), "propertyNames", "has a property name that propertyNames does not allow"})
		return
	}
	if node == nil { // not expected: every location is indexed
		*out = append(*out, Violation{path, kw, "must be valid against the schema"})
		return
	}
	if kw == "" && node.Enum != nil && len(node.Enum) == 0 {
		*out = append(*out, Violation{path, "enum", "must be one of the allowed values (the schema allows none)"})
		return
	}
	if kw == "" && (node.Always == nil || *node.Always) {
		// The keyword's value is the subschema at node, which matched
		// when it must not: "not".
		kw = keywordOfFalse(node.Location)
		*out = append(*out, Violation{path, kw, message(kw, nil, node)})
		return
	}
	if kw == "" { // the false schema
		kw = keywordOfFalse(node.Location)
		switch kw {
		case "additionalProperties":
			*out = append(*out, Violation{parentPointer(path), kw, "additional properties are not allowed"})
		case "unevaluatedProperties":
			*out = append(*out, Violation{parentPointer(path), kw, "unevaluated properties are not allowed"})
		case "unevaluatedItems":
			*out = append(*out, Violation{path, kw, "unevaluated items are not allowed"})
		default:
			*out = append(*out, Violation{path, kw, "is not allowed"})
		}
		return
	}
	if kw == "required" {
		obj, _ := valueAt(doc, path)
		m, _ := obj.(map[string]any)
		for _, name := range node.Required {
			if _, ok := m[name]; !ok {
				*out = append(*out, Violation{path, kw, "must have required property " + strconv.Quote(name)})
			}
		}
		return
	}
	*out = append(*out, Violation{path, kw, message(kw, rest[1:], node)})
}

// message is the text for a failed keyword kw of node; rest is the rest of
// the keyword path (for dependentRequired, the member names and index).
func message(kw string, rest []string, node *jsonschema.Schema) string {
	switch kw {
	case "type":
		return "must be of type " + strings.Join(node.Types, " or ")
	case "const":
		return "must equal the constant value"
	case "enum":
		return "must be one of the allowed values"
	case "format":
		return "must be a valid " + node.Format
	case "minimum":
		return "must be at least " + ratString(node.Minimum)
	case "exclusiveMinimum":
		return "must be greater than " + ratString(node.ExclusiveMinimum)
	case "maximum":
		return "must be at most " + ratString(node.Maximum)
	case "exclusiveMaximum":
		return "must be less than " + ratString(node.ExclusiveMaximum)
	case "multipleOf":
		return "must be a multiple of " + ratString(node.MultipleOf)
	case "minLength":
		return "must be at least " + strconv.Itoa(node.MinLength) + " characters long"
	case "maxLength":
		return "must be at most " + strconv.Itoa(node.MaxLength) + " characters long"
	case "pattern":
		return "must match the pattern"
	case "minItems":
		return "must have at least " + strconv.Itoa(node.MinItems) + " items"
	case "maxItems":
		return "must have at most " + strconv.Itoa(node.MaxItems) + " items"
	case "uniqueItems":
		return "must not contain duplicate items"
	case "additionalItems":
		return "additional items are not allowed"
	case "minContains":
		if node.MinContains == 1 {
			return "must contain at least 1 item valid against contains"
		}
		return "must contain at least " + strconv.Itoa(node.MinContains) + " items valid against contains"
	case "maxContains":
		return "must contain at most " + strconv.Itoa(node.MaxContains) + " items valid against contains"
	case "minProperties":
		return "must have at least " + strconv.Itoa(node.MinProperties) + " properties"
	case "maxProperties":
		return "must have at most " + strconv.Itoa(node.MaxProperties) + " properties"
	case "additionalProperties":
		return "additional properties are not allowed"
	case "dependentRequired", "dependencies":
		if len(rest) == 2 {
			dname, _ := unescapeToken(rest[0])
			i, _ := strconv.Atoi(rest[1])
			var names []string
			if kw == "dependentRequired" {
				names = node.DependentRequired[dname]
			} else {
				names, _ = node.Dependencies[dname].([]string)
			}
			if i < len(names) {
				return "must have property " + strconv.Quote(names[i]) + " when " + strconv.Quote(dname) + " is present"
			}
		}
		return "must have the properties the schema's " + kw + " requires"
	case "not":
		return "must not be valid against the schema in not"
	case "anyOf":
		return "must be valid against at least one schema in anyOf"
	case "oneOf":
		return "must be valid against exactly one schema in oneOf"
	case "contentEncoding":
		return "must be " + node.ContentEncoding + " encoded"
	case "contentMediaType":
		return "must be of media type " + node.ContentMediaType
	case "contentSchema":
		return "must contain valid JSON"
	}
	return "must be valid against " + kw
}

// nodeOf finds the subschema whose keyword failed at loc, an absolute
// keyword location, and returns it with the keyword path below it.
func (s *Schema) nodeOf(loc string) (*jsonschema.Schema, []string) {
	var rest []string
	for {
		if n, ok := s.nodes[loc]; ok {
			slices.Reverse(rest)
			return n, rest
		}
		i := strings.LastIndexByte(loc, '/')
		if i < 0 || strings.IndexByte(loc, '#') > i {
			return nil, nil
		}
		rest = append(rest, loc[i+1:])
		loc = loc[:i]
	}
}

// nameKeywords are the keywords whose next token is a member name or an
// index, not a keyword.
var nameKeywords = map[string]bool{
	"properties": true, "patternProperties": true, "$defs": true, "definitions": true,
	"dependentSchemas": true, "dependentRequired": true, "dependencies": true,
	"allOf": true, "anyOf": true, "oneOf": true, "prefixItems": true,
}

// inPropertyNames reports whether the keyword location (the evaluation
// path) passes through a propertyNames keyword.
func inPropertyNames(kwLoc string) bool {
	if !strings.Contains(kwLoc, "propertyNames") {
		return false
	}
	tokens := strings.Split(strings.TrimPrefix(kwLoc, "/"), "/")
	for i := 0; i < len(tokens); i++ {
		switch {
		case tokens[i] == "propertyNames":
			return true
		case nameKeywords[tokens[i]]:
			i++
		case tokens[i] == "items" && i+1 < len(tokens) && isIndex(tokens[i+1]):
			i++
		}
	}
	return false
}

func isIndex(t string) bool {
	_, ok := arrayIndex(t)
	return ok
}

// keywordOfFalse names the keyword whose value is the subschema at loc
// (a false schema, or the schema of "not"): "…/additionalProperties" → additionalProperties,
// "…/properties/name" → properties, "…/prefixItems/0" → prefixItems.
func keywordOfFalse(loc string) string {
	frag := loc[strings.IndexByte(loc, '#')+1:]
	tokens := strings.Split(strings.TrimPrefix(frag, "/"), "/")
	if len(tokens) == 0 || tokens[0] == "" {
		return "false"
	}
	last := tokens[len(tokens)-1]
	if len(tokens) >= 2 && (nameKeywords[tokens[len(tokens)-2]] || tokens[len(tokens)-2] == "items" && isIndex(last)) {
		return tokens[len(tokens)-2]
	}
	return last
}

// ratString prints a schema limit: integers exactly, others as the
// shortest float64 text.
func ratString(r *big.Rat) string {
	if r == nil {
		return "the schema's limit"
	}
	if r.IsInt() {
		return r.Num().String()
	}
	f, _ := r.Float64()
	return strconv.FormatFloat(f, 'g', -1, 64)
}
