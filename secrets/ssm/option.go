package ssm

import "fmt"

// An Option configures a [Provider] built by [New].
type Option interface{ apply(*config) }

// DefaultMaxParameters is the default bound on the parameters LoadPath
// returns.
const DefaultMaxParameters = 1000

type config struct {
	prefix        string
	maxParameters int
}

func newConfig(opts []Option) config {
	c := config{maxParameters: DefaultMaxParameters}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	return c
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithPrefix makes Fetch(ctx, name) read the parameter prefix+name, so that
// names can be relative to a hierarchy such as "/prod/app/" (give the
// trailing slash). The default is no prefix. LoadPath does not use it.
func WithPrefix(prefix string) Option {
	return optionFunc(func(c *config) { c.prefix = prefix })
}

// WithMaxParameters bounds the number of parameters LoadPath reads; a path
// holding more makes LoadPath fail with [ErrTooManyParameters] rather than
// return part of it. The default is [DefaultMaxParameters]; n must be at
// least 1, or [New] panics (a programming error caught at construction).
func WithMaxParameters(n int) Option {
	return optionFunc(func(c *config) {
		if n < 1 {
			panic(fmt.Sprintf("ssm: WithMaxParameters(%d): the bound must be at least 1", n))
		}
		c.maxParameters = n
	})
}
