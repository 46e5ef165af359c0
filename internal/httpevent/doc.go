// Package httpevent is the one place that knows the shape of HTTP-like
// Lambda events. It turns API Gateway (REST and HTTP API), ALB and Function
// URL events into an *http.Request view, and renders a status, headers and
// body back into the matching response type. The adapter for an event and
// response pair is chosen once, from the static types, when a handler is
// wrapped.
package httpevent
