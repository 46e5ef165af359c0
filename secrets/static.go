package secrets

import (
	"context"
	"fmt"
)

// A StaticProvider serves secrets from a fixed map. Create one with
// [Static]. It is safe for concurrent use.
type StaticProvider struct {
	m map[string]string
}

// Static returns a Provider serving the secrets of m, which it copies: later
// changes to m are not seen. It suits tests and local development. A name
// not in m is reported as [ErrNotFound].
func Static(m map[string]string) *StaticProvider {
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return &StaticProvider{m: c}
}

// Fetch returns a fresh copy of the value of name.
func (p *StaticProvider) Fetch(_ context.Context, name string) ([]byte, error) {
	v, ok := p.m[name]
	if !ok {
		return nil, fmt.Errorf("secrets: static: %w", ErrNotFound)
	}
	return []byte(v), nil
}
