package guard

import (
	"context"
	"log/slog"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

// Audit writes the audit record of one rejected request that the package
// answered itself rather than through Middleware or Lambda (a Lambda
// authorizer's denial, say): the same record, with status the HTTP status
// the client gets. It does nothing without a Logger.
func (g *Guard) Audit(req *Request, status int, err error) {
	if g.Logger != nil {
		g.logRejection(req, status, err)
	}
}

// logRejection writes the audit record of one rejected request. Its
// attributes are fixed and carry no header value, token or body.
func (g *Guard) logRejection(req *Request, status int, err error) {
	ctx := req.ctx
	if !g.Logger.Enabled(ctx, slog.LevelWarn) {
		return
	}
	attrs := make([]slog.Attr, 0, 7)
	attrs = append(attrs,
		slog.String("package", g.Package),
		slog.String("reason", g.reason(err)),
		slog.Int("status", status),
		slog.String("method", req.Method()),
		slog.String("path", req.Path()),
		slog.String("source_ip", req.SourceIP()),
	)
	attrs = appendRequestID(ctx, attrs)
	if g.LogAttrs != nil {
		attrs = append(attrs, g.LogAttrs(err)...)
	}
	g.Logger.LogAttrs(ctx, slog.LevelWarn, g.Package+": request rejected", attrs...)
}

// logRecord writes the audit record of one rejected event record.
func (g *Guard) logRecord(ctx context.Context, src Source, id string, err error) {
	if g.Logger == nil || !g.Logger.Enabled(ctx, slog.LevelWarn) {
		return
	}
	attrs := make([]slog.Attr, 0, 5)
	attrs = append(attrs,
		slog.String("package", g.Package),
		slog.String("reason", g.reason(err)),
		slog.String("source", string(src)),
		slog.String("record_id", id),
	)
	attrs = appendRequestID(ctx, attrs)
	if g.LogAttrs != nil {
		attrs = append(attrs, g.LogAttrs(err)...)
	}
	g.Logger.LogAttrs(ctx, slog.LevelWarn, g.Package+": record rejected", attrs...)
}

// appendRequestID adds the Lambda request ID when ctx carries one.
func appendRequestID(ctx context.Context, attrs []slog.Attr) []slog.Attr {
	if lc, ok := lambdacontext.FromContext(ctx); ok && lc.AwsRequestID != "" {
		attrs = append(attrs, slog.String("request_id", lc.AwsRequestID))
	}
	return attrs
}
