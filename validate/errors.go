package validate

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. Every error that [Schema.Validate] and [Schema.Decode]
// return for bad input matches exactly one of them with errors.Is: an
// [*Error] matches ErrInvalid, a [*ScreenError] matches the sentinel in its
// Err field.
var (
	// ErrInvalid: the document is well-formed JSON but violates the schema.
	ErrInvalid = errors.New("validate: document does not match the schema")
	// ErrTooLarge: the document is longer than the WithMaxBytes limit.
	ErrTooLarge = errors.New("validate: document too large")
	// ErrTooDeep: objects and arrays nest deeper than the WithMaxDepth limit.
	ErrTooDeep = errors.New("validate: document nested too deeply")
	// ErrDuplicateKey: an object has the same member name twice (compared
	// after unescaping), which parsers resolve differently.
	ErrDuplicateKey = errors.New("validate: duplicate object key")
	// ErrSyntax: the document is not JSON (RFC 8259), or is truncated.
	ErrSyntax = errors.New("validate: invalid JSON")
	// ErrEncoding: a string holds invalid UTF-8 or a \u escape of a lone
	// UTF-16 surrogate, neither of which is Unicode text.
	ErrEncoding = errors.New("validate: invalid UTF-8 or lone surrogate escape")
	// ErrNumber: a number literal is longer than 256 bytes or its exponent
	// is beyond ±400. Exact arithmetic on such numbers costs the validator
	// time out of all proportion to their size.
	ErrNumber = errors.New("validate: number literal too long or exponent out of range")
	// ErrPayload: the WithPayload pointer does not resolve in the document.
	ErrPayload = errors.New("validate: payload not found")
	// ErrUnknownRef: a schema references a URL that is neither the schema
	// itself nor a resource given with WithResource or WithFS. Compile
	// returns it; nothing is ever fetched.
	ErrUnknownRef = errors.New("validate: reference to an unknown schema")
)

// ScreenError reports a document rejected before the schema runs. Its text
// gives the reason and the byte offset, never any part of the document.
type ScreenError struct {
	Err    error // ErrTooLarge, ErrTooDeep, ErrDuplicateKey, ErrSyntax, ErrEncoding, ErrNumber or ErrPayload
	Offset int64 // byte offset in the screened document where the problem was found
	// Payload is true when the problem is in the document selected by
	// WithPayload (the offset is then within that document) rather than in
	// the document as received.
	Payload bool
}

// Error returns the reason and where it was found.
func (e *ScreenError) Error() string {
	where := " at byte "
	if e.Payload {
		where = " in the selected payload at byte "
	}
	reason := "validate: document rejected"
	if e.Err != nil {
		reason = e.Err.Error()
	}
	return reason + where + strconv.FormatInt(e.Offset, 10)
}

// Unwrap returns the sentinel.
func (e *ScreenError) Unwrap() error { return e.Err }

// MaxViolations is the most violations an [Error] lists. Further ones are
// counted in Error.Omitted.
const MaxViolations = 20

// Error reports a document that violates the schema. It matches
// [ErrInvalid] with errors.Is.
type Error struct {
	// Violations are sorted by instance path, then keyword, then message,
	// without duplicates, and at most MaxViolations long.
	Violations []Violation
	// Omitted counts the violations left out beyond MaxViolations.
	Omitted int
}

// Violation is one failed schema keyword.
//
// InstancePath is an RFC 6901 JSON Pointer to the failing value ("" is the
// whole document). It may contain member names the client sent, escaped as
// RFC 6901 says, because they locate the failure; it never contains a value.
// When the schema forbids a member outright (additionalProperties or
// unevaluatedProperties false, or a failed propertyNames), the pointer names
// the enclosing object, not the forbidden member.
//
// Keyword is the JSON Schema keyword that failed ("type", "required",
// "maximum", …). Message is a fixed English sentence built from the schema
// (limits, type names, required member names, format names); it never
// quotes the rejected value.
type Violation struct {
	InstancePath string `json:"instancePath"`
	Keyword      string `json:"keyword"`
	Message      string `json:"message"`
}

// Error lists the violations, for logs and Lambda error text. It contains
// no value from the document.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(ErrInvalid.Error())
	for i, v := range e.Violations {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		if v.InstancePath == "" {
			b.WriteString("(document)")
		} else {
			b.WriteString(v.InstancePath)
		}
		b.WriteString(": ")
		b.WriteString(v.Message)
	}
	if e.Omitted > 0 {
		b.WriteString("; and ")
		b.WriteString(strconv.Itoa(e.Omitted))
		b.WriteString(" more")
	}
	return b.String()
}

// Unwrap returns ErrInvalid.
func (e *Error) Unwrap() error { return ErrInvalid }
