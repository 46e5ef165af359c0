package secrets

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

var errNoRoute = fmt.Errorf("%w: no provider for its prefix", ErrInvalidName)

// A Router is a [Provider] that passes each name to one of several
// providers chosen by the name's prefix, so that one [Cache], with one TTL
// and stale policy, serves secrets from several sources. Create one with
// [Route]. It is immutable and safe for concurrent use when its providers
// are.
type Router struct {
	routes []route // longest prefix first
}

type route struct {
	prefix string
	p      Provider
}

// Route returns a Router over routes, which maps name prefixes to
// providers, for example:
//
//	r, err := secrets.Route(map[string]secrets.Provider{
//		"sm:":  awssm.NewFromConfig(cfg),
//		"ssm:": ssm.NewFromConfig(cfg),
//		"env:": secrets.Env("APP_"),
//	})
//	cache := secrets.New(r)
//	db, err := cache.Get(ctx, "sm:prod/db")      // awssm fetches "prod/db"
//	key, err := cache.Get(ctx, "ssm:/prod/key")  // ssm fetches "/prod/key"
//
// Prefixes are the caller's choice. A name goes to the provider of the
// longest prefix it starts with, and that provider is passed the name with
// the prefix removed; the cache, its spans and its errors keep the full
// name. The empty prefix "" matches every name, so it names the provider
// for names without a known prefix; without it such names, and names that
// are nothing but a prefix, fail with an error wrapping [ErrInvalidName]
// before any provider is called. Errors of the providers are returned as
// they are.
//
// Route copies routes. It fails with an error wrapping [ErrInvalidOption]
// if routes is empty, a provider is nil, or a prefix is longer than
// [MaxNameLen] bytes, not valid UTF-8 or contains a control character.
func Route(routes map[string]Provider) (*Router, error) {
	if len(routes) == 0 {
		return nil, fmt.Errorf("%w: Route needs at least one route", ErrInvalidOption)
	}
	r := &Router{routes: make([]route, 0, len(routes))}
	for prefix, p := range routes {
		switch {
		case p == nil:
			return nil, fmt.Errorf("%w: nil provider for prefix %q", ErrInvalidOption, prefix)
		case len(prefix) > MaxNameLen || !utf8.ValidString(prefix) || hasControl(prefix):
			return nil, fmt.Errorf("%w: route prefix is too long, not UTF-8 or has a control character", ErrInvalidOption)
		}
		r.routes = append(r.routes, route{prefix, p})
	}
	slices.SortFunc(r.routes, func(a, b route) int {
		return cmp.Or(cmp.Compare(len(b.prefix), len(a.prefix)), strings.Compare(a.prefix, b.prefix))
	})
	return r, nil
}

// Fetch passes name, without its prefix, to the provider of the longest
// prefix it starts with.
func (r *Router) Fetch(ctx context.Context, name string) ([]byte, error) {
	p, rest, ok := r.pick(name)
	if !ok {
		return nil, errNoRoute
	}
	if rest == "" {
		return nil, errNameEmpty
	}
	return p.Fetch(ctx, rest)
}

// pick returns the provider for name and the name without its prefix.
func (r *Router) pick(name string) (Provider, string, bool) {
	for _, rt := range r.routes {
		if rest, ok := strings.CutPrefix(name, rt.prefix); ok {
			return rt.p, rest, true
		}
	}
	return nil, "", false
}
