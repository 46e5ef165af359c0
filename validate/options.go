package validate

import (
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"slices"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// Option configures [Compile]. Options are applied in order; an invalid
// option makes Compile return an error.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// Defaults and bounds.
const (
	defaultMaxBytes = 1 << 20
	defaultMaxDepth = 64
	// maxMaxDepth is encoding/json's own nesting limit: deeper documents
	// could pass the screen and then fail to decode.
	maxMaxDepth = 10000
)

type resource struct {
	url    string
	schema []byte
}

type config struct {
	maxBytes       int64
	maxDepth       int
	allowDup       bool
	formats        map[string]func(string) bool
	resources      []resource
	fsys           []fs.FS
	payload        *pointer
	logger         *slog.Logger
	meterProvider  metric.MeterProvider
	tracerProvider trace.TracerProvider
	errs           []error
}

func newConfig(opts []Option) *config {
	c := &config{maxBytes: defaultMaxBytes, maxDepth: defaultMaxDepth}
	for _, o := range opts {
		if o != nil {
			o.apply(c)
		}
	}
	return c
}

func (c *config) errorf(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("validate: "+format, args...))
}

// WithMaxBytes sets the largest document accepted, in bytes; longer ones
// fail with [ErrTooLarge] before any parsing. The default is 1 MiB; n must
// be positive.
func WithMaxBytes(n int64) Option {
	return optionFunc(func(c *config) {
		if n <= 0 {
			c.errorf("WithMaxBytes: the limit must be positive")
			return
		}
		c.maxBytes = n
	})
}

// WithMaxDepth sets how deeply objects and arrays may nest (a scalar
// document has depth 0, [] has depth 1, [{}] depth 2); deeper documents fail
// with [ErrTooDeep] as soon as the limit is crossed. The default is 64; n
// must be between 1 and 10000.
func WithMaxDepth(n int) Option {
	return optionFunc(func(c *config) {
		if n < 1 || n > maxMaxDepth {
			c.errorf("WithMaxDepth: the depth must be between 1 and %d", maxMaxDepth)
			return
		}
		c.maxDepth = n
	})
}

// AllowDuplicateKeys accepts objects that repeat a member name; the last
// value then wins, as in encoding/json. By default a repeated name (compared
// after unescaping, so "a" and "\u0061" are the same) fails with
// [ErrDuplicateKey]: parsers disagree on which value wins, which lets a
// payload look valid to one and mean something else to another.
func AllowDuplicateKeys() Option {
	return optionFunc(func(c *config) { c.allowDup = true })
}

// WithFormat adds the format name, or replaces the built-in check of that
// name. check receives string values only; values of other types pass, as
// the specification says. check must be safe for concurrent use. Formats are
// asserted: a value that fails check is a violation with keyword "format".
//
// Built in: date-time, date, time, duration, hostname, email, ipv4, ipv6,
// uri, uri-reference, iri, iri-reference, uri-template, regex,
// json-pointer, relative-json-pointer and uuid. Unknown format names are
// ignored.
func WithFormat(name string, check func(string) bool) Option {
	return optionFunc(func(c *config) {
		if name == "" || check == nil {
			c.errorf("WithFormat: empty name or nil check")
			return
		}
		if c.formats == nil {
			c.formats = make(map[string]func(string) bool)
		}
		c.formats[name] = check
	})
}

// WithResource makes schema available to $ref under rawURL, an absolute URL
// without a fragment (a schema's $id inside it is honoured too). It is the
// way to supply a schema referenced by URL: Compile never fetches anything,
// and a reference to any URL that is neither the compiled schema nor a
// resource fails with [ErrUnknownRef].
func WithResource(rawURL string, schema []byte) Option {
	schema = slices.Clone(schema)
	return optionFunc(func(c *config) {
		u, err := url.Parse(rawURL)
		if err != nil || !u.IsAbs() || u.Fragment != "" || rawURL[len(rawURL)-1] == '#' {
			c.errorf("WithResource: %q is not an absolute URL without a fragment", rawURL)
			return
		}
		c.resources = append(c.resources, resource{url: rawURL, schema: schema})
	})
}

// WithFS makes every file whose name ends in ".json" in fsys available to
// $ref, read once during Compile:
//
//   - a file at path p (as fs.WalkDir names it, such as "defs/money.json") is
//     the resource "fnshield:///p". The compiled schema, unless it has an
//     $id, is "fnshield:///schema.json", so a relative reference such as
//     {"$ref": "defs/money.json#/$defs/amount"} finds that file;
//   - a file whose top-level "$id" is an absolute URL is also the resource
//     at that URL, so schemas that reference each other by $id work as
//     published.
//
// Nothing outside fsys is read and nothing is fetched.
func WithFS(fsys fs.FS) Option {
	return optionFunc(func(c *config) {
		if fsys == nil {
			c.errorf("WithFS: nil fs.FS")
			return
		}
		c.fsys = append(c.fsys, fsys)
	})
}

// WithPayload selects the document to validate inside the one received,
// by an RFC 6901 JSON Pointer such as "/detail" or "/Records/0/body". When
// the selected value is a JSON string, its content is the document (it is
// screened like the outer one: the string form of an SNS message inside an
// SQS body, or of an S3 notification); otherwise the value itself is. The
// outer document is screened first. A pointer that does not resolve fails
// with [ErrPayload]. Decode decodes the selected document. By default the
// whole document is validated.
func WithPayload(jsonPointer string) Option {
	return optionFunc(func(c *config) {
		p, err := parsePointer(jsonPointer)
		if err != nil {
			c.errorf("WithPayload: %v", err)
			return
		}
		c.payload = p
	})
}

// WithLogger logs each rejected document once, at Warn, never with a
// value: the screen's cause and byte offset or the violations' instance
// paths and keywords, the Lambda request ID when there is one, and for the
// transports the attributes every fnshield package logs a rejection with
// (package, reason, status, method, path, source_ip; source and record_id
// for a record). By default nothing is logged.
func WithLogger(logger *slog.Logger) Option {
	return optionFunc(func(c *config) { c.logger = logger })
}

// WithMeterProvider sets the OpenTelemetry meter provider for the
// fnshield.validate.results counter. The default is the global provider
// (otel.GetMeterProvider), a no-op until an SDK is installed.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(c *config) { c.meterProvider = mp })
}

// WithTracerProvider sets the OpenTelemetry tracer provider for the spans
// the transports start around each validation. The default is the global
// provider (otel.GetTracerProvider), a no-op until an SDK is installed.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return optionFunc(func(c *config) { c.tracerProvider = tp })
}
