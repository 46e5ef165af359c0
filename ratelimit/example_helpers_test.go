package ratelimit_test

import "context"

// request is a minimal ratelimit.Request for the examples.
type request struct{ ip, xff string }

func (r request) Context() context.Context { return context.Background() }
func (r request) Header(name string) string {
	if name == "X-Forwarded-For" {
		return r.xff
	}
	return ""
}
func (r request) Values(name string) []string {
	if v := r.Header(name); v != "" {
		return []string{v}
	}
	return nil
}
func (r request) SourceIP() string { return r.ip }
