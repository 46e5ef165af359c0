// Package secretsbench sets fnshield's secrets.Cache side by side with the
// cache one writes first: a map of values with expiry times behind one
// sync.Mutex, in front of the same provider.
//
// Both are measured on hits, the path every invocation takes once a value
// is cached; TestParity checks that both return the provider's values.
package secretsbench

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/fnshield/fnshield/secrets"
)

// Implementation names, as they appear in benchmark names and RESULTS.md.
const (
	Fnshield = "fnshield"
	MutexMap = "mutex-map"
)

// TTL is how long both caches keep a value.
const TTL = 5 * time.Minute

// Names returns n realistic secret names and a provider that holds them.
func Names(n int) ([]string, secrets.Provider) {
	names := make([]string, n)
	m := make(map[string]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("prod/service-%06d/db-password", i)
		m[names[i]] = "pw-" + names[i]
	}
	return names, secrets.Static(m)
}

// MutexCache is the baseline: a map and an expiry time per entry behind
// one sync.Mutex, fetching from the provider on a miss. It is safe for
// concurrent use; concurrent misses for one name each fetch.
type MutexCache struct {
	p   secrets.Provider
	ttl time.Duration

	mu sync.Mutex
	m  map[string]mutexEntry
}

type mutexEntry struct {
	v   []byte
	exp time.Time
}

// NewMutexCache returns an empty MutexCache in front of p.
func NewMutexCache(p secrets.Provider, ttl time.Duration) *MutexCache {
	return &MutexCache{p: p, ttl: ttl, m: make(map[string]mutexEntry)}
}

// Get returns the named secret from the map while it is fresh, else from
// the provider.
func (c *MutexCache) Get(ctx context.Context, name string) ([]byte, error) {
	now := time.Now()
	c.mu.Lock()
	e, ok := c.m[name]
	c.mu.Unlock()
	if ok && now.Before(e.exp) {
		return e.v, nil
	}
	v, err := c.p.Fetch(ctx, name)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.m[name] = mutexEntry{v: v, exp: now.Add(c.ttl)}
	c.mu.Unlock()
	return v, nil
}
