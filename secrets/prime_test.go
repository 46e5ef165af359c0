package secrets

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

func TestPrime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newCounting(func(_ context.Context, name string, call int) ([]byte, error) {
			if call == 2 {
				return nil, errors.New("provider down")
			}
			return []byte("fetched-" + name), nil
		})
		c := New(p, WithTTL(time.Minute), WithJitter(0), WithStaleIfError(time.Hour))
		loaded := NewValue([]byte("primed"))
		if err := c.Prime("db/password", loaded); err != nil {
			t.Fatal(err)
		}
		if got := mustGet(t, c, "db/password"); got != "primed" {
			t.Fatalf("Get after Prime = %q, want primed", got)
		}
		if n := p.total(); n != 0 {
			t.Errorf("fetches after Prime = %d, want 0", n)
		}
		if got := loaded.Reveal(); got != "primed" {
			t.Errorf("primed Value reads %q after Prime, want its own copy kept", got)
		}

		time.Sleep(time.Minute + time.Second) // fake clock: past the TTL
		if got := mustGet(t, c, "db/password"); got != "fetched-db/password" {
			t.Fatalf("Get after TTL = %q, want the provider's value", got)
		}
		time.Sleep(time.Minute + time.Second)
		if got := mustGet(t, c, "db/password"); got != "fetched-db/password" {
			t.Errorf("Get with provider down = %q, want the stale value", got)
		}
		if n := p.n("db/password"); n != 2 {
			t.Errorf("fetches = %d, want 2", n)
		}
	})
}

func TestPrimeReplacesNotFound(t *testing.T) {
	c := New(Static(nil))
	if _, err := c.Get(context.Background(), "k"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	old := NewValue([]byte("one"))
	if err := c.Prime("k", old); err != nil {
		t.Fatal(err)
	}
	first, err := c.Get(context.Background(), "k")
	if err != nil || first.Reveal() != "one" {
		t.Fatalf("Get = %q, %v; want one", first.Reveal(), err)
	}
	if err := c.Prime("k", NewValue([]byte("two"))); err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, c, "k"); got != "two" {
		t.Errorf("Get after second Prime = %q, want two", got)
	}
	if err := c.Prime("k", Value{}); err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, c, "k"); got != "" {
		t.Errorf("Get after priming the zero Value = %q, want empty", got)
	}
	if got := first.Reveal(); got != "" {
		t.Errorf("Value replaced twice still reads %q, want zeroed", got)
	}
}

func TestPrimeErrors(t *testing.T) {
	tests := []struct {
		name  string
		cache *Cache
		key   string
		want  error
	}{
		{"zero Cache", &Cache{}, "k", ErrInvalidOption},
		{"invalid option", New(Static(nil), WithTTL(-1)), "k", ErrInvalidOption},
		{"empty name", New(Static(nil)), "", ErrInvalidName},
		{"long name", New(Static(nil)), strings.Repeat("k", MaxNameLen+1), ErrInvalidName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.cache.Prime(tt.key, NewValue([]byte("v"))); !errors.Is(err, tt.want) {
				t.Errorf("Prime error = %v, want %v", err, tt.want)
			}
		})
	}
}
