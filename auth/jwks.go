package auth

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// Refresh policy of a remote key set.
const (
	// staleIfError is how long past its expiry a key set keeps being used
	// while refreshes fail.
	staleIfError = 24 * time.Hour
	// unknownKidInterval is the minimum time between two refreshes
	// triggered by tokens naming an unknown kid (per issuer).
	unknownKidInterval = time.Minute
	// retryInterval is the minimum time between two refreshes after a
	// failed one, so that an outage does not make every request wait.
	retryInterval = time.Minute
	// refreshTimeout bounds a refresh, which runs detached from the
	// cancellation of the requests waiting for it.
	refreshTimeout = defaultTimeout
)

var errRefreshSkipped = errors.New("refresh not attempted")

// keyState is an immutable snapshot: a key set and when it goes stale.
type keyState struct {
	set     *keySet
	expires time.Time
}

// remoteKeys is the lazily refreshed cache of one issuer's JWK Set.
// Refreshes happen on access, never on a timer, coalesced so that
// concurrent callers share one fetch. The fetch runs in a goroutine of its
// own that ends with it, detached from the cancellation of the request
// that started it: a client hanging up must not abort the refresh every
// other request waits for, nor count as a failed fetch (which would start
// the retry back-off). Each caller waits for it only as long as its own
// context lets it.
type remoteKeys struct {
	issuer  string
	url     string
	fetcher *fetcher
	now     func() time.Time

	state atomic.Pointer[keyState] // never nil after load

	// mu guards the fields below.
	mu         sync.Mutex
	call       *keyCall  // the fetch in flight, if any
	lastForced time.Time // start of the last unknown-kid refresh
	nextRetry  time.Time // no scheduled refresh before this, after a failure
}

// keyCall is one in-flight fetch; done is closed when set, err and
// panicked are final.
type keyCall struct {
	done     chan struct{}
	set      *keySet
	err      error
	panicked any // the fetch's panic value, re-raised in every waiter
}

// load fetches the key set for the first time (in New). It does not count
// against the unknown-kid rate limit.
func (r *remoteKeys) load(ctx context.Context) error {
	set, ttl, err := r.fetch(ctx)
	if err != nil {
		return err
	}
	set.gen = 1
	r.state.Store(&keyState{set: set, expires: r.now().Add(ttl)})
	return nil
}

// fetch downloads and parses the key set.
func (r *remoteKeys) fetch(ctx context.Context) (*keySet, time.Duration, error) {
	body, ttl, err := r.fetcher.get(ctx, "fnshield.auth.jwks", r.issuer, r.url)
	if err != nil {
		return nil, 0, err
	}
	set, err := parseJWKS(body)
	if err != nil {
		return nil, 0, err
	}
	set.digest = sha256.Sum256(body)
	return set, ttl, nil
}

// keys returns the current key set, refreshing it first when it is past
// its lifetime. While refreshes fail the old set is served up to
// staleIfError past its expiry; after that the result is
// ErrKeysUnavailable.
func (r *remoteKeys) keys(ctx context.Context) (*keySet, error) {
	st := r.state.Load()
	now := r.now()
	if now.Before(st.expires) {
		return st.set, nil
	}
	if set, err := r.refresh(ctx, nil); err == nil {
		return set, nil
	}
	st = r.state.Load() // another caller may have refreshed meanwhile
	now = r.now()
	if now.Before(st.expires.Add(staleIfError)) {
		return st.set, nil
	}
	return nil, ErrKeysUnavailable
}

// refreshForKid refreshes the key set because a token names a kid that
// seen, the set the caller looked in, lacks. When a refresh has replaced
// seen since, its set is returned without another fetch: the caller that
// read the set just before that refresh finished must not be refused by
// the rate limit the refresh itself set. It never waits for the rate
// limit: when a refresh is not allowed yet it returns errRefreshSkipped at
// once. A fetch already in flight is joined.
func (r *remoteKeys) refreshForKid(ctx context.Context, seen *keySet) (*keySet, error) {
	return r.refresh(ctx, seen)
}

// refresh starts or joins a fetch and waits for it (see wait). A non-nil
// seen makes it an unknown-kid refresh (see refreshForKid), under the
// unknown-kid rate limit; otherwise the post-failure retry interval
// applies.
func (r *remoteKeys) refresh(ctx context.Context, seen *keySet) (*keySet, error) {
	forced := seen != nil
	r.mu.Lock()
	if c := r.call; c != nil {
		r.mu.Unlock()
		return wait(ctx, c)
	}
	// A refresh may have finished since the caller looked: then its set
	// is the answer, and no fetch (or rate limit) is needed.
	now := r.now()
	cur := r.state.Load()
	if (forced && cur.set != seen) || (!forced && now.Before(cur.expires)) {
		r.mu.Unlock()
		return cur.set, nil
	}
	if forced {
		if !r.lastForced.IsZero() && now.Sub(r.lastForced) < unknownKidInterval {
			r.mu.Unlock()
			return nil, errRefreshSkipped
		}
		r.lastForced = now
	} else if now.Before(r.nextRetry) {
		r.mu.Unlock()
		return nil, errRefreshSkipped
	}
	c := &keyCall{done: make(chan struct{})}
	r.call = c
	r.mu.Unlock()

	go r.run(context.WithoutCancel(ctx), c)
	return wait(ctx, c)
}

// run performs the fetch of c and publishes its result. ctx carries the
// starting caller's values (its span, for tracing) but not its
// cancellation; the fetch has its own timeout. A panic in the fetch (from
// a caller's http.Client, say) counts as a failed fetch and is re-raised
// in the goroutines waiting for it, as singleflight does, rather than
// crashing the process from this goroutine.
func (r *remoteKeys) run(ctx context.Context, c *keyCall) {
	ctx, cancel := context.WithTimeout(ctx, refreshTimeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			c.panicked = p
			r.finish(c, nil, 0, errRefreshSkipped)
		}
	}()
	set, ttl, err := r.fetch(ctx)
	r.finish(c, set, ttl, err)
}

// finish publishes the outcome of the fetch c: on success the new key set
// (keeping the generation when the content is unchanged), on failure the
// retry back-off. Then it releases the waiters.
func (r *remoteKeys) finish(c *keyCall, set *keySet, ttl time.Duration, err error) {
	r.mu.Lock()
	if err != nil {
		r.nextRetry = r.now().Add(retryInterval)
	} else {
		old := r.state.Load()
		set.gen = old.set.gen
		if set.digest != old.set.digest {
			set.gen++
		} else {
			set = old.set // unchanged: keep the same set and generation
		}
		r.state.Store(&keyState{set: set, expires: r.now().Add(ttl)})
		r.nextRetry = time.Time{}
	}
	r.call = nil
	r.mu.Unlock()
	c.set, c.err = set, err
	close(c.done)
}

// wait returns the outcome of c, or ctx's error as soon as ctx ends: a
// waiter stops waiting when its own request does, and the fetch goes on.
func wait(ctx context.Context, c *keyCall) (*keySet, error) {
	select {
	case <-c.done:
		if c.panicked != nil {
			panic(c.panicked)
		}
		return c.set, c.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
