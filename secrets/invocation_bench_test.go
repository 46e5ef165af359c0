package secrets

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkInvocation is what a handler pays per invocation for its
// secrets: three Gets (a database password, an API key and a signing key)
// that all hit, in a cache holding those three names or, for a
// multi-tenant function, 1000 names. "serial" is one invocation at a time,
// "parallel" one per P (a function serving concurrent requests).
func BenchmarkInvocation(b *testing.B) {
	for _, cached := range []int{3, 1000} {
		names, p := benchNames(cached)
		c := New(p, WithMaxEntries(cached))
		ctx := context.Background()
		for _, name := range names {
			if _, err := c.Get(ctx, name); err != nil {
				b.Fatal(err)
			}
		}
		read := names[len(names)-3:]
		invoke := func() error {
			for _, name := range read {
				v, err := c.Get(ctx, name)
				if err != nil {
					return err
				}
				if v.buf == nil {
					return fmt.Errorf("empty value for %q", name)
				}
			}
			return nil
		}
		b.Run(fmt.Sprintf("cached=%d/serial", cached), func(b *testing.B) {
			defer reportCPU(b)()
			for b.Loop() {
				if err := invoke(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("cached=%d/parallel", cached), func(b *testing.B) {
			defer reportCPU(b)()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := invoke(); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
