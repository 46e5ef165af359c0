package secrets

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestGetCoalescesConcurrentMisses(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		p := newCounting(func(ctx context.Context, name string, _ int) ([]byte, error) {
			<-release
			return []byte("v-" + name), nil
		})
		rec := newRecorder()
		c := New(p, rec.options()...)

		const n = 300
		var wg sync.WaitGroup
		got := make([]string, n)
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				v, err := c.Get(context.Background(), "prod/db")
				got[i], errs[i] = v.Reveal(), err
			})
		}
		synctest.Wait() // every Get is now waiting on the one fetch
		if calls := p.n("prod/db"); calls != 1 {
			t.Fatalf("fetches while blocked = %d, want 1", calls)
		}
		close(release)
		wg.Wait()
		for i := range n {
			if errs[i] != nil || got[i] != "v-prod/db" {
				t.Fatalf("Get %d = %q, %v; want %q", i, got[i], errs[i], "v-prod/db")
			}
		}
		if calls := p.n("prod/db"); calls != 1 {
			t.Errorf("fetches = %d, want 1", calls)
		}
		if miss, co := rec.count("fnshield.secrets.cache", "result", "miss"),
			rec.count("fnshield.secrets.cache", "result", "coalesced"); miss != 1 || co != n-1 {
			t.Errorf("miss, coalesced = %d, %d; want 1, %d", miss, co, n-1)
		}
		mustGet(t, c, "prod/db")
		if hits := rec.count("fnshield.secrets.cache", "result", "hit"); hits != 1 {
			t.Errorf("hits = %d, want 1", hits)
		}
	})
}

func TestTTLJitterBounds(t *testing.T) {
	const ttl = 100 * time.Second
	tests := []struct {
		name   string
		jitter float64
	}{
		{"default 10%", DefaultJitter},
		{"25%", 0.25},
		{"none", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p := newCounting(func(_ context.Context, name string, call int) ([]byte, error) {
					return fmt.Appendf(nil, "%s#%d", name, call), nil
				})
				const names = 400
				c := New(p, WithTTL(ttl), WithJitter(tt.jitter), WithMaxEntries(names))
				getAll := func() int {
					before := p.total()
					for i := range names {
						mustGet(t, c, fmt.Sprint("s", i))
					}
					return p.total() - before
				}
				lo := time.Duration(float64(ttl) * (1 - tt.jitter))
				hi := time.Duration(float64(ttl) * (1 + tt.jitter))
				start := time.Now()
				if got := getAll(); got != names {
					t.Fatalf("first pass fetched %d, want %d", got, names)
				}

				time.Sleep(lo - time.Since(start) - time.Millisecond)
				if got := getAll(); got != 0 {
					t.Errorf("fetches just before TTL×(1-jitter) = %d, want 0", got)
				}
				var mid int
				if tt.jitter > 0 {
					time.Sleep(ttl - time.Since(start))
					mid = getAll()
					if mid == 0 || mid == names {
						t.Errorf("fetches at TTL = %d; want some but not all of %d (jitter spreads expiry)", mid, names)
					}
				}
				time.Sleep(hi - time.Since(start) + time.Millisecond)
				if got := getAll(); mid+got != names {
					t.Errorf("fetches by TTL×(1+jitter) = %d, want %d", mid+got, names)
				}
			})
		})
	}
}

func TestRefreshAhead(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var fetchDeadline time.Duration
		p := newCounting(func(ctx context.Context, _ string, call int) ([]byte, error) {
			if call == 2 {
				d, _ := ctx.Deadline()
				fetchDeadline = time.Until(d)
				<-release
			}
			return fmt.Appendf(nil, "v%d", call), nil
		})
		c := New(p, WithTTL(100*time.Second), WithJitter(0), WithRefreshAhead(0.5),
			WithFetchTimeout(7*time.Second))

		if got := mustGet(t, c, "k"); got != "v1" {
			t.Fatalf("first Get = %q, want v1", got)
		}
		time.Sleep(49 * time.Second)
		mustGet(t, c, "k")
		if n := p.n("k"); n != 1 {
			t.Fatalf("fetches before f×TTL = %d, want 1", n)
		}
		time.Sleep(2 * time.Second) // past 0.5×TTL
		for range 20 {
			if got := mustGet(t, c, "k"); got != "v1" {
				t.Fatalf("Get during refresh = %q, want the old value v1", got)
			}
		}
		synctest.Wait()
		if n := p.n("k"); n != 2 {
			t.Fatalf("fetches after f×TTL = %d, want 2 (one background refresh)", n)
		}
		if fetchDeadline != 7*time.Second {
			t.Errorf("refresh deadline = %v, want the fetch timeout 7s", fetchDeadline)
		}
		close(release)
		synctest.Wait() // the refresh goroutine has ended
		if got := mustGet(t, c, "k"); got != "v2" {
			t.Errorf("Get after refresh = %q, want v2", got)
		}
		if n := p.n("k"); n != 2 {
			t.Errorf("fetches = %d, want 2", n)
		}
	})
}

func TestRefreshAheadHungProviderEndsAtTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newCounting(func(ctx context.Context, _ string, call int) ([]byte, error) {
			if call > 1 {
				<-ctx.Done() // a provider that hangs until its deadline
				return nil, ctx.Err()
			}
			return []byte("v1"), nil
		})
		rec := newRecorder()
		c := New(p, append(rec.options(), WithTTL(100*time.Second), WithJitter(0),
			WithRefreshAhead(0.5), WithFetchTimeout(3*time.Second))...)
		mustGet(t, c, "k")
		time.Sleep(60 * time.Second)
		if got := mustGet(t, c, "k"); got != "v1" {
			t.Fatalf("Get = %q, want v1", got)
		}
		time.Sleep(3 * time.Second) // the refresh times out and its goroutine ends
		synctest.Wait()
		if got := mustGet(t, c, "k"); got != "v1" {
			t.Errorf("Get after failed refresh = %q, want v1 (still fresh)", got)
		}
		if n := p.n("k"); n != 2 {
			t.Errorf("fetches = %d, want 2: one refresh per value", n)
		}
		if e := rec.count("fnshield.secrets.fetch", "outcome", "error"); e != 1 {
			t.Errorf("fetch errors recorded = %d, want 1", e)
		}
		spans := rec.finished()
		if last := spans[len(spans)-1]; last.attr("error.type") != "timeout" {
			t.Errorf("span error.type = %q, want timeout", last.attr("error.type"))
		}
	})
}

func TestStaleIfError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var failing bool
		var mu sync.Mutex
		errDown := errors.New("provider down")
		p := newCounting(func(_ context.Context, _ string, call int) ([]byte, error) {
			mu.Lock()
			defer mu.Unlock()
			if failing {
				return nil, errDown
			}
			return fmt.Appendf(nil, "v%d", call), nil
		})
		rec := newRecorder()
		c := New(p, append(rec.options(), WithTTL(100*time.Second), WithJitter(0),
			WithStaleIfError(time.Hour))...)
		mustGet(t, c, "k")
		mu.Lock()
		failing = true
		mu.Unlock()

		time.Sleep(101 * time.Second)
		if got := mustGet(t, c, "k"); got != "v1" {
			t.Fatalf("Get after failed refresh = %q, want stale v1", got)
		}
		if got := mustGet(t, c, "k"); got != "v1" {
			t.Fatalf("second Get = %q, want stale v1", got)
		}
		if n := p.n("k"); n != 2 {
			t.Errorf("fetches = %d, want 2: stale value re-served without asking again", n)
		}
		if s := rec.count("fnshield.secrets.cache", "result", "stale"); s != 2 {
			t.Errorf("stale results = %d, want 2", s)
		}
		time.Sleep(staleRetryMax + time.Millisecond)
		if got := mustGet(t, c, "k"); got != "v1" {
			t.Errorf("Get after retry interval = %q, want stale v1", got)
		}
		if n := p.n("k"); n != 3 {
			t.Errorf("fetches = %d, want 3: provider asked again after the retry interval", n)
		}

		time.Sleep(time.Hour)
		_, err := c.Get(context.Background(), "k")
		if !errors.Is(err, errDown) {
			t.Fatalf("Get past the stale limit: err = %v, want %v", err, errDown)
		}
		if strings.Contains(err.Error(), "v1") {
			t.Errorf("error %q contains the value", err)
		}
		if n := entryCount(t, c); n != 0 {
			t.Errorf("entries after an expired value failed = %d, want 0", n)
		}

		mu.Lock()
		failing = false
		mu.Unlock()
		if got := mustGet(t, c, "k"); !strings.HasPrefix(got, "v") {
			t.Errorf("Get after recovery = %q", got)
		}
	})
}

func TestStaleIfErrorOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		errDown := errors.New("provider down")
		p := newCounting(func(_ context.Context, _ string, call int) ([]byte, error) {
			if call > 1 {
				return nil, errDown
			}
			return []byte("v1"), nil
		})
		c := New(p, WithTTL(time.Minute), WithJitter(0), WithStaleIfError(0))
		mustGet(t, c, "k")
		time.Sleep(time.Minute + time.Millisecond)
		if _, err := c.Get(context.Background(), "k"); !errors.Is(err, errDown) {
			t.Errorf("err = %v, want %v", err, errDown)
		}
	})
}

func TestNegativeCaching(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newCounting(func(_ context.Context, name string, _ int) ([]byte, error) {
			return nil, fmt.Errorf("test provider: %w", ErrNotFound)
		})
		rec := newRecorder()
		c := New(p, append(rec.options(), WithNegativeTTL(30*time.Second))...)
		for i := range 3 {
			_, err := c.Get(context.Background(), "gone")
			if !errors.Is(err, ErrNotFound) {
				t.Fatalf("Get %d: err = %v, want ErrNotFound", i, err)
			}
			var fe *FetchError
			if !errors.As(err, &fe) || fe.Name != "gone" {
				t.Errorf("Get %d: err = %#v, want *FetchError for %q", i, err, "gone")
			}
		}
		if n := p.n("gone"); n != 1 {
			t.Errorf("fetches = %d, want 1 (not-found cached)", n)
		}
		if neg := rec.count("fnshield.secrets.cache", "result", "negative"); neg != 2 {
			t.Errorf("negative results = %d, want 2", neg)
		}
		time.Sleep(30*time.Second + time.Millisecond)
		c.Get(context.Background(), "gone")
		if n := p.n("gone"); n != 2 {
			t.Errorf("fetches after negative TTL = %d, want 2", n)
		}
	})
}

func TestNotFoundReplacesValue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var retained []byte
		p := newCounting(func(_ context.Context, _ string, call int) ([]byte, error) {
			if call == 1 {
				retained = []byte("deleted-secret")
				return retained, nil
			}
			return nil, ErrNotFound
		})
		c := New(p, WithTTL(time.Minute), WithJitter(0))
		mustGet(t, c, "k")
		time.Sleep(time.Minute + time.Millisecond)
		if _, err := c.Get(context.Background(), "k"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("err = %v, want ErrNotFound (authoritative, not stale)", err)
		}
		c.Invalidate("k")
		if string(retained) != strings.Repeat("\x00", len("deleted-secret")) {
			t.Errorf("replaced value not zeroed after invalidation: %q", retained)
		}
	})
}

func TestProviderErrorsNotCached(t *testing.T) {
	errBoom := errors.New("transient")
	p := newCounting(func(_ context.Context, _ string, call int) ([]byte, error) {
		if call == 1 {
			return nil, errBoom
		}
		return []byte("ok"), nil
	})
	c := New(p)
	_, err := c.Get(context.Background(), "k")
	if !errors.Is(err, errBoom) {
		t.Fatalf("first Get err = %v, want %v", err, errBoom)
	}
	if n := entryCount(t, c); n != 0 {
		t.Errorf("entries after a failed miss = %d, want 0", n)
	}
	if got := mustGet(t, c, "k"); got != "ok" {
		t.Errorf("second Get = %q, want ok", got)
	}
	if n := p.n("k"); n != 2 {
		t.Errorf("fetches = %d, want 2", n)
	}
}

func TestEvictionBound(t *testing.T) {
	p := newCounting(func(_ context.Context, name string, _ int) ([]byte, error) {
		return []byte(name), nil
	})
	const max = 8
	c := New(p, WithMaxEntries(max))
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				name := fmt.Sprintf("n%d", (i*7+g)%50)
				v, err := c.Get(context.Background(), name)
				if err != nil {
					t.Errorf("Get(%q): %v", name, err)
					return
				}
				// The value may have been evicted and zeroed by another
				// goroutine already; it must never be another name's.
				if got := v.Reveal(); got != "" && got != name {
					t.Errorf("Get(%q) = %q", name, got)
				}
			}
		})
	}
	for range 100 {
		c.mu.Lock()
		n := len(c.ring)
		c.mu.Unlock()
		if n > max {
			t.Fatalf("entries = %d, want ≤ %d", n, max)
		}
	}
	wg.Wait()
	if n := entryCount(t, c); n > max {
		t.Errorf("entries = %d, want ≤ %d", n, max)
	}
}

func TestEvictionPrefersUnused(t *testing.T) {
	p := newCounting(func(_ context.Context, name string, _ int) ([]byte, error) {
		return []byte(name), nil
	})
	c := New(p, WithMaxEntries(3))
	for _, n := range []string{"a", "b", "c"} {
		mustGet(t, c, n)
	}
	mustGet(t, c, "a") // a is used again; b and c are not
	mustGet(t, c, "c")
	mustGet(t, c, "d") // evicts b, the only entry not used since insertion
	cached := func(name string) bool { return c.lookup(name) != nil }
	for name, want := range map[string]bool{"a": true, "b": false, "c": true, "d": true} {
		if got := cached(name); got != want {
			t.Errorf("after inserting d: %s cached = %v, want %v", name, got, want)
		}
	}
	mustGet(t, c, "a")
	mustGet(t, c, "c")
	if n := p.n("a") + p.n("c"); n != 2 {
		t.Errorf("recently used entries were fetched again: %d fetches, want 2", n)
	}
}

func TestCallerCancellationDoesNotCancelFetch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var fetchErr error
		p := newCounting(func(ctx context.Context, _ string, _ int) ([]byte, error) {
			<-release
			fetchErr = ctx.Err()
			return []byte("v"), nil
		})
		c := New(p)
		ctx, cancel := context.WithCancel(context.Background())
		var firstErr error
		firstDone := make(chan struct{})
		go func() {
			defer close(firstDone)
			_, firstErr = c.Get(ctx, "k") // starts the fetch
		}()
		synctest.Wait()
		var second string
		var secondErr error
		secondDone := make(chan struct{})
		go func() {
			defer close(secondDone)
			v, err := c.Get(context.Background(), "k")
			second, secondErr = v.Reveal(), err
		}()
		synctest.Wait()
		cancel()
		synctest.Wait()
		select {
		case <-firstDone:
		default:
			t.Fatal("the cancelled caller is still waiting")
		}
		if !errors.Is(firstErr, context.Canceled) {
			t.Errorf("cancelled caller err = %v, want context.Canceled", firstErr)
		}
		select {
		case <-secondDone:
			t.Fatal("the other caller returned before the fetch ended")
		default:
		}
		close(release)
		<-secondDone
		if secondErr != nil || second != "v" {
			t.Errorf("other caller = %q, %v; want v", second, secondErr)
		}
		if fetchErr != nil {
			t.Errorf("fetch context err = %v, want nil (not cancelled with the caller)", fetchErr)
		}
		if got := mustGet(t, c, "k"); got != "v" || p.n("k") != 1 {
			t.Errorf("cached = %q after %d fetches, want v after 1", got, p.n("k"))
		}
	})
}

func TestCancelledContextBeforeGet(t *testing.T) {
	p := newCounting(func(context.Context, string, int) ([]byte, error) { return []byte("v"), nil })
	c := New(p)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Get(ctx, "k"); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if n := p.total(); n != 0 {
		t.Errorf("fetches = %d, want 0", n)
	}
}

func TestProviderPanic(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		p := newCounting(func(_ context.Context, _ string, call int) ([]byte, error) {
			if call == 1 {
				<-release
				panic("boom")
			}
			return []byte("v"), nil
		})
		c := New(p)
		var recovered any
		go func() {
			defer func() { recovered = recover() }()
			c.Get(context.Background(), "k")
		}()
		synctest.Wait()
		var waiterErr error
		go func() { _, waiterErr = c.Get(context.Background(), "k") }()
		synctest.Wait()
		close(release)
		synctest.Wait()
		if recovered != "boom" {
			t.Errorf("initiating caller recovered %v, want boom", recovered)
		}
		if !errors.Is(waiterErr, ErrProviderPanic) {
			t.Errorf("waiter err = %v, want ErrProviderPanic", waiterErr)
		}
		if got := mustGet(t, c, "k"); got != "v" {
			t.Errorf("Get after panic = %q, want v (panic not cached)", got)
		}
	})
}

func TestZeroingOnEviction(t *testing.T) {
	var mu sync.Mutex
	returned := map[string][]byte{}
	p := ProviderFunc(func(_ context.Context, name string) ([]byte, error) {
		b := []byte("secret-of-" + name)
		mu.Lock()
		returned[name] = b
		mu.Unlock()
		return b, nil
	})
	c := New(p, WithMaxEntries(1))
	va, _ := c.Get(context.Background(), "a")
	if got := va.Reveal(); got != "secret-of-a" {
		t.Fatalf("Reveal = %q", got)
	}
	mustGet(t, c, "b") // evicts a
	if b := returned["a"]; string(b) != strings.Repeat("\x00", len(b)) {
		t.Errorf("evicted backing array = %q, want zeroed", b)
	}
	if got := va.Reveal(); got != "" {
		t.Errorf("Reveal of an evicted Value = %q, want \"\"", got)
	}
	if got := va.Bytes(); got != nil {
		t.Errorf("Bytes of an evicted Value = %q, want nil", got)
	}
	c.Invalidate("b")
	if b := returned["b"]; string(b) != strings.Repeat("\x00", len(b)) {
		t.Errorf("invalidated backing array = %q, want zeroed", b)
	}
}

func TestZeroingOnReplacement(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var gens [][]byte
		p := newCounting(func(_ context.Context, _ string, call int) ([]byte, error) {
			b := fmt.Appendf(nil, "gen-%d", call)
			gens = append(gens, b)
			return b, nil
		})
		c := New(p, WithTTL(time.Minute), WithJitter(0))
		v1, _ := c.Get(context.Background(), "k")
		time.Sleep(time.Minute + time.Millisecond)
		mustGet(t, c, "k") // gen-2 replaces gen-1
		if got := v1.Reveal(); got != "gen-1" {
			t.Errorf("Value handed out before a replacement = %q, want gen-1 (kept one generation)", got)
		}
		time.Sleep(time.Minute + time.Millisecond)
		mustGet(t, c, "k") // gen-3 replaces gen-2: gen-1 is zeroed
		if string(gens[0]) != "\x00\x00\x00\x00\x00" {
			t.Errorf("gen-1 after two replacements = %q, want zeroed", gens[0])
		}
		if string(gens[1]) != "gen-2" {
			t.Errorf("gen-2 = %q, want intact (one generation of grace)", gens[1])
		}
		c.Invalidate("k")
		for i, g := range gens {
			if string(g) != strings.Repeat("\x00", len(g)) {
				t.Errorf("gen-%d after Invalidate = %q, want zeroed", i+1, g)
			}
		}
	})
}

func TestInvalidate(t *testing.T) {
	p := newCounting(func(_ context.Context, _ string, call int) ([]byte, error) {
		return fmt.Appendf(nil, "v%d", call), nil
	})
	c := New(p)
	mustGet(t, c, "k")
	c.Invalidate("k")
	c.Invalidate("never-cached")
	if got := mustGet(t, c, "k"); got != "v2" {
		t.Errorf("Get after Invalidate = %q, want v2", got)
	}
}

func TestInvalidateDuringFetch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		p := newCounting(func(_ context.Context, _ string, call int) ([]byte, error) {
			if call == 1 {
				<-release
			}
			return fmt.Appendf(nil, "v%d", call), nil
		})
		c := New(p)
		var got string
		go func() { got = mustGet(t, c, "k") }()
		synctest.Wait()
		c.Invalidate("k")
		close(release)
		synctest.Wait()
		if got != "v1" {
			t.Errorf("waiter got %q, want v1", got)
		}
		if got := mustGet(t, c, "k"); got != "v2" {
			t.Errorf("Get after Invalidate = %q, want v2 (result of the invalidated fetch not kept)", got)
		}
	})
}

func TestNameValidation(t *testing.T) {
	tests := []struct {
		name   string
		secret string
	}{
		{"empty", ""},
		{"too long", strings.Repeat("n", MaxNameLen+1)},
		{"NUL", "prod\x00db"},
		{"newline", "prod\ndb"},
		{"DEL", "prod\x7fdb"},
		{"C1 control", "prod\u0085db"},
		{"invalid UTF-8", "prod\xffdb"},
	}
	p := newCounting(func(context.Context, string, int) ([]byte, error) { return []byte("v"), nil })
	c := New(p)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Get(context.Background(), tt.secret)
			if !errors.Is(err, ErrInvalidName) {
				t.Fatalf("err = %v, want ErrInvalidName", err)
			}
			if tt.secret != "" && strings.Contains(err.Error(), tt.secret) {
				t.Errorf("error %q echoes the name", err)
			}
		})
	}
	if n := p.total(); n != 0 {
		t.Errorf("fetches = %d, want 0", n)
	}
	for _, n := range []int{512, 2048, MaxNameLen} {
		if got := mustGet(t, c, strings.Repeat("n", n)); got != "v" {
			t.Errorf("%d-byte name: Get = %q, want v", n, got)
		}
	}
}

func TestInvalidConfiguration(t *testing.T) {
	ok := ProviderFunc(func(context.Context, string) ([]byte, error) { return []byte("v"), nil })
	tests := []struct {
		name  string
		cache *Cache
	}{
		{"zero Cache", &Cache{}},
		{"nil provider", New(nil)},
		{"TTL 0", New(ok, WithTTL(0))},
		{"jitter negative", New(ok, WithJitter(-0.1))},
		{"jitter above 0.5", New(ok, WithJitter(0.6))},
		{"max entries 0", New(ok, WithMaxEntries(0))},
		{"refresh-ahead 1", New(ok, WithRefreshAhead(1))},
		{"refresh-ahead 0", New(ok, WithRefreshAhead(0))},
		{"stale-if-error negative", New(ok, WithStaleIfError(-1))},
		{"negative TTL negative", New(ok, WithNegativeTTL(-1))},
		{"fetch timeout 0", New(ok, WithFetchTimeout(0))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.cache.Get(context.Background(), "k"); !errors.Is(err, ErrInvalidOption) {
				t.Errorf("err = %v, want ErrInvalidOption", err)
			}
		})
	}
}

func TestGetJSON(t *testing.T) {
	const secretPart = "s3cr3t-fragment"
	c := New(Static(map[string]string{
		"ok":       `{"user":"app","password":"` + secretPart + `"}`,
		"syntax":   `{"user":"app","password":` + secretPart + `}`,
		"type":     `{"user":"app","password":12345678901}`,
		"trailing": `{"user":"app"} ` + secretPart,
	}))
	var dst struct {
		User     string `json:"user"`
		Password string `json:"password"`
	}
	if err := c.GetJSON(context.Background(), "ok", &dst); err != nil {
		t.Fatalf("GetJSON(ok): %v", err)
	}
	if dst.User != "app" || dst.Password != secretPart {
		t.Errorf("decoded %+v", dst)
	}
	for _, name := range []string{"syntax", "type", "trailing"} {
		t.Run(name, func(t *testing.T) {
			err := c.GetJSON(context.Background(), name, &dst)
			if !errors.Is(err, ErrDecode) {
				t.Fatalf("err = %v, want ErrDecode", err)
			}
			for _, leak := range []string{secretPart, "12345678901", "s3cr3t"} {
				if strings.Contains(err.Error(), leak) || strings.Contains(fmt.Sprintf("%+v", err), leak) {
					t.Errorf("error %q contains %q", err, leak)
				}
			}
		})
	}
	if err := c.GetJSON(context.Background(), "missing", &dst); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing: err = %v, want ErrNotFound", err)
	}
	if err := c.GetJSON(context.Background(), "ok", dst); err == nil || errors.Is(err, ErrDecode) {
		t.Errorf("non-pointer target: err = %v, want json.InvalidUnmarshalError", err)
	}
}

func TestFetchSpans(t *testing.T) {
	const value = "span-must-not-see-this"
	rec := newRecorder()
	c := New(Static(map[string]string{"k": value}), rec.options()...)
	mustGet(t, c, "k")
	c.Get(context.Background(), "missing")
	spans := rec.finished()
	if len(spans) != 2 {
		t.Fatalf("spans = %d, want 2", len(spans))
	}
	want := []string{"ok", "not_found"}
	for i, s := range spans {
		if s.name != "secrets.fetch" {
			t.Errorf("span name = %q", s.name)
		}
		if got := s.attr("outcome"); got != want[i] {
			t.Errorf("span %d outcome = %q, want %q", i, got, want[i])
		}
		if got := s.attr("fnshield.secrets.provider"); got != "*secrets.StaticProvider" {
			t.Errorf("span provider = %q", got)
		}
		if strings.Contains(fmt.Sprint(s.attrs, s.desc), value) {
			t.Errorf("span %d contains the value", i)
		}
	}
	if ok := rec.count("fnshield.secrets.fetch", "outcome", "ok"); ok != 1 {
		t.Errorf("ok fetches = %d, want 1", ok)
	}
}

func TestHitPathDoesNotAllocate(t *testing.T) {
	c := New(Static(map[string]string{"k": "v"}))
	mustGet(t, c, "k")
	ctx := context.Background()
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := c.Get(ctx, "k"); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("allocs per hit = %v, want 0", allocs)
	}
}

// TestConcurrentStress runs Gets, Invalidates, evictions, refresh-ahead and
// failures together, for the race detector and the entry-count invariant.
func TestConcurrentStress(t *testing.T) {
	errFlaky := errors.New("flaky")
	p := newCounting(func(_ context.Context, name string, call int) ([]byte, error) {
		switch call % 7 {
		case 3:
			return nil, errFlaky
		case 5:
			return nil, ErrNotFound
		}
		return []byte(name), nil
	})
	c := New(p, WithMaxEntries(5), WithTTL(time.Millisecond), WithRefreshAhead(0.5),
		WithNegativeTTL(time.Millisecond), WithStaleIfError(time.Millisecond))
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 300 {
				name := fmt.Sprint("n", (i+g)%9)
				if i%17 == 0 {
					c.Invalidate(name)
				}
				v, err := c.Get(context.Background(), name)
				if got := v.Reveal(); err == nil && got != "" && got != name {
					t.Errorf("Get(%q) = %q", name, got)
				}
				if err != nil && !errors.Is(err, errFlaky) && !errors.Is(err, ErrNotFound) {
					t.Errorf("Get(%q): unexpected error %v", name, err)
				}
			}
		})
	}
	wg.Wait()
	if n := entryCount(t, c); n > 5 {
		t.Errorf("entries = %d, want ≤ 5", n)
	}
}

func TestLargeCacheEviction(t *testing.T) {
	p := newCounting(func(_ context.Context, name string, _ int) ([]byte, error) {
		return []byte(name), nil
	})
	c := New(p, WithMaxEntries(3000))
	for i := range 3100 { // 100 more than fit
		name := fmt.Sprint("svc/", i)
		if got := mustGet(t, c, name); got != name {
			t.Fatalf("Get(%q) = %q", name, got)
		}
	}
	if n := entryCount(t, c); n != 3000 {
		t.Errorf("entries = %d, want 3000", n)
	}
	c.Invalidate("svc/3099")
	if n := entryCount(t, c); n != 2999 {
		t.Errorf("entries after Invalidate = %d, want 2999", n)
	}
	if e := c.lookup("svc/3099"); e != nil {
		t.Errorf("lookup after Invalidate found %q", e.name)
	}
}
