// Package validate checks request bodies and event payloads against JSON
// Schemas compiled once at start-up.
//
// A compiled [Schema] validates bytes and reports each failure as a
// Violation with a JSON Pointer, the keyword that failed and a message that
// never echoes the rejected value. Network $ref resolution is impossible;
// schemas referenced by URL must be supplied up front. Thin transports wrap
// the decision for net/http and for Lambda events (HTTP-shaped events, SQS
// and Kinesis batches with partial batch failures, SNS and EventBridge).
//
//	var orderSchema = validate.MustCompile(schemaJSON)
//
//	if err := orderSchema.Decode(body, &order); err != nil {
//		var verr *validate.Error // errors.Is(err, validate.ErrInvalid)
//		...
//	}
//
// A Schema is immutable and safe for concurrent use.
//
// # Schemas
//
// The draft is 2020-12 unless "$schema" names 2019-09, 7, 6 or 4. The
// "format" keyword is asserted in every draft: an invalid email, date-time,
// uuid, ipv4, ipv6, uri (and the other built-in formats listed on
// [WithFormat]) is a violation, not an annotation. [WithFormat] adds formats.
// "contentEncoding" and "contentMediaType" are annotations in drafts
// 2019-09 and 2020-12, as those drafts say; draft 7 asserts them.
//
// A "$ref" (and "$schema") resolves only to the schema itself, to a
// document given with [WithResource], or to a file of an fs.FS given with
// [WithFS] (see there how paths map to URLs). Any other URL, http, https or
// file, makes Compile fail with [ErrUnknownRef] and the URL in the message:
// nothing is ever fetched or read from disk.
//
// The engine is github.com/santhosh-tekuri/jsonschema/v5, which passes the
// official JSON Schema Test Suite for draft 2020-12 but for one $dynamicRef
// case; fnshield adds that an empty "enum" rejects every value.
//
// # The screen
//
// Before the schema runs, a single pass over the raw bytes rejects, with a
// [*ScreenError] that gives the byte offset and never the content:
//
//   - documents longer than [WithMaxBytes] (default 1 MiB): [ErrTooLarge],
//     before any parsing;
//   - objects and arrays nested deeper than [WithMaxDepth] (default 64):
//     [ErrTooDeep], as soon as the limit is crossed;
//   - anything encoding/json would reject, truncated documents included:
//     [ErrSyntax];
//   - strings that are not Unicode text (invalid UTF-8, or a \u escape of a
//     lone UTF-16 surrogate), which encoding/json would silently turn into
//     U+FFFD: [ErrEncoding];
//   - an object with the same member name twice, compared after unescaping
//     ({"a":1,"\u0061":2} is a duplicate), at any depth: [ErrDuplicateKey].
//     One parser keeps the first value, another the last, and a payload
//     such as {"role":"user","role":"admin"} means different things to
//     each. [AllowDuplicateKeys] turns this off;
//   - number literals longer than 256 bytes or with an exponent beyond ±400:
//     [ErrNumber]. Numbers are compared exactly (9007199254740993 is not
//     rounded to 9007199254740992), and exact arithmetic on 1e1000000
//     would take the validator seconds.
//
// Apart from these rules the screen accepts exactly what encoding/json
// accepts. It runs at several hundred MB/s and allocates nothing on
// ordinary documents.
//
// # Nested payloads
//
// [WithPayload] takes an RFC 6901 JSON Pointer to the document to validate
// inside the one received. When the selected value is a JSON string, its
// content is the document, screened like the outer one: an SNS message
// forwarded to SQS carries the publisher's JSON as the string "Message", so
// WithPayload("/Message") validates that. Otherwise the value itself is the
// document: WithPayload("/detail") for an EventBridge event read whole.
//
// # Violations
//
// A document that fails the schema gives an [*Error] whose Violations are
// sorted by instance path, without duplicates and at most [MaxViolations]
// long (Omitted counts the rest). Each names the failing keyword and says
// what the schema wants ("must be at most 100", "must have required
// property \"id\"", "must be a valid email"). Messages are written by
// fnshield from the schema, never from the value: the engine's own messages
// quote values and are not used. Instance paths may contain member names the
// client sent, because they locate the failure, but a member the schema
// forbids outright (additionalProperties or unevaluatedProperties false, a
// failed propertyNames) is reported at its enclosing object, so its name is
// not echoed. An anyOf or oneOf with no matching branch is one violation,
// not one per branch.
//
// Mind that some keywords cost more than the size of the document: a
// "uniqueItems" array is compared pairwise, so bound such arrays with
// "maxItems".
//
// # Transports
//
// [Middleware] and [Lambda] run the same check on an HTTP request: a JSON
// Content-Type (application/json or +json, charset UTF-8 if given) or 415,
// at most the WithMaxBytes limit read or 413, then the screen and the
// schema, 400 with the violations in a problem+json body ([WriteError]).
// The handler gets the body intact. [WithResponseSchema] checks what the
// handler answers; a failure is a 500 that says nothing about why.
//
// Lambda accepts what every fnshield Lambda wrapper accepts: the four
// HTTP-shaped event kinds (REST API, HTTP API, ALB, Function URL) with
// their own response types, a rejection being returned as that response.
// Because validate reads payloads, it also accepts record events:
// SQS and Kinesis batches, whose invalid records become batch item
// failures and are left out of the batch the handler gets, and SNS and
// EventBridge events, where an invalid message or detail is an error naming
// the record. WithPayload applies to each record's payload.
//
// # Observability
//
// Each validation adds one to the counter fnshield.validate.results with
// the attributes result (valid, invalid or error: a screen rejection) and
// source (direct for Validate and Decode; http, sqs, kinesis, sns or
// eventbridge in the transports; response for WithResponseSchema). The
// transports run each validation in a span, fnshield.validate, with the
// attributes fnshield.validate.result, fnshield.validate.source and, for a
// document the schema rejects, fnshield.validate.violations (the count).
// [WithLogger] logs each rejection once, at Warn, with paths, keywords and
// offsets, never values.
package validate
