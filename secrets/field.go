package secrets

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/fnshield/fnshield/internal/jsonwalk"
)

var (
	errNotObject      = fmt.Errorf("%w: secret is not a JSON object", ErrDecode)
	errDuplicateField = fmt.Errorf("%w: field appears more than once", ErrDecode)
	errFieldNotFound  = fmt.Errorf("field %w", ErrNotFound)
)

// GetField returns the field named field of the named secret, which must
// be a JSON object: the shape Secrets Manager's console gives key/value
// secrets ({"username":"app","password":"..."}). The secret is read
// through the cache like [Cache.Get]; the field is selected on every call
// (a scan of the document, a few hundred nanoseconds for a typical
// secret), so the secret and its field are never out of step.
//
// The field is named separately from the secret, not inside the name, so
// it cannot be mistaken for a version or stage suffix such as awssm's
// "prod/db#AWSPREVIOUS": GetField(ctx, "prod/db#AWSPREVIOUS", "password")
// reads the password of the previous version. Field names match exactly
// (case-sensitive), after JSON unescaping, and follow the rules of secret
// names (non-empty UTF-8 without control characters, at most [MaxNameLen]
// bytes), else the error wraps [ErrInvalidName].
//
// A JSON string field gives its unescaped text; a number, boolean, object
// or array gives its JSON text as written. A missing field, or one whose
// value is null, gives a [*FetchError] wrapping [ErrNotFound] with Field
// set; a secret that is not a JSON object, or that holds the field more
// than once, gives a *FetchError wrapping [ErrDecode]. Errors never include
// any part of the secret. The returned Value is a copy that no cache owns
// and that is never zeroed.
func (c *Cache) GetField(ctx context.Context, name, field string) (Value, error) {
	if err := checkName(field); err != nil {
		return Value{}, err
	}
	v, err := c.Get(ctx, name)
	if err != nil {
		return Value{}, err
	}
	var out Value
	err = v.with(func(doc []byte) error {
		raw, err := objectField(doc, field)
		switch {
		case err != nil:
			return err
		case raw == nil || string(raw) == "null":
			return errFieldNotFound
		case raw[0] != '"':
			out.buf = newBuffer(append([]byte(nil), raw...))
			return nil
		}
		b, err := appendUnquoted(make([]byte, 0, len(raw)-2), raw)
		if err != nil { // objectField validated the document
			clear(b)
			return errNotObject
		}
		out.buf = newBuffer(b)
		return nil
	})
	if err != nil {
		return Value{}, &FetchError{Name: name, Field: field, Err: err}
	}
	return out, nil
}

// objectField returns the raw JSON value of the member key of the JSON
// object doc, nil if there is none. It fails with errNotObject if doc is
// not one valid JSON object and with errDuplicateField if key is there more
// than once. Keys are compared after unescaping, as encoding/json decodes
// them into a map.
func objectField(doc []byte, key string) ([]byte, error) {
	if !json.Valid(doc) {
		return nil, errNotObject
	}
	i := jsonwalk.SkipSpace(doc, 0)
	if doc[i] != '{' {
		return nil, errNotObject
	}
	var found []byte
	var scratch []byte
	for i = jsonwalk.SkipSpace(doc, i+1); doc[i] != '}'; {
		end := jsonwalk.SkipString(doc, i)
		k := doc[i:end]
		i = jsonwalk.SkipSpace(doc, jsonwalk.SkipSpace(doc, end)+1) // past ':'
		vend := jsonwalk.SkipValue(doc, i)
		if keyIs(k, key, &scratch) {
			if found != nil {
				return nil, errDuplicateField
			}
			found = doc[i:vend]
		}
		i = jsonwalk.SkipSpace(doc, vend)
		if doc[i] == ',' {
			i = jsonwalk.SkipSpace(doc, i+1)
		}
	}
	return found, nil
}

// keyIs reports whether the JSON string literal k decodes to key, using
// scratch for keys with escapes.
func keyIs(k []byte, key string, scratch *[]byte) bool {
	plain := true
	for _, c := range k {
		if c == '\\' || c >= 0x80 {
			plain = false
			break
		}
	}
	if plain {
		return string(k[1:len(k)-1]) == key
	}
	b, err := appendUnquoted((*scratch)[:0], k)
	*scratch = b
	return err == nil && string(b) == key
}
