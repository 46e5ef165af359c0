package ratelimit

import (
	"errors"
	"time"
)

// Sentinel errors, for errors.Is. (ErrInvalidLimit and ErrInvalidMaxKeys
// are with the types they guard.)
var (
	// ErrInvalidN is returned by [Limiter.AllowN] for an n below 1 or above
	// the bucket size: such a request could never be allowed.
	ErrInvalidN = errors.New("ratelimit: n outside 1..Capacity")
	// ErrStore wraps every error a [Store] returned: the store made no
	// decision, and the Limiter applied its failure policy.
	ErrStore = errors.New("ratelimit: store failed")
	// ErrNoKey is returned by a [KeyFunc] that finds no key in the request.
	ErrNoKey = errors.New("ratelimit: no key in the request")
	// ErrLimited is the reason of the [*Error] the transports return for a
	// request over the limit.
	ErrLimited = errors.New("ratelimit: rate limit exceeded")
)

// Error is the error the transports hand to the error handler when they
// reject a request. Its text never contains the request's key.
type Error struct {
	// Reason is [ErrLimited] (429), [ErrNoKey] (400) or [ErrStore] (503,
	// when the store failed and the limiter fails closed).
	Reason error
	// Decision is the limiter's decision; for ErrNoKey it is the zero
	// Decision.
	Decision Decision
	// Err is the underlying cause, if any (a key function's or a store's
	// error).
	Err error
}

// Error returns the reason's text, followed by the cause's when there is
// one.
func (e *Error) Error() string {
	msg := "ratelimit: rejected"
	if e.Reason != nil {
		msg = e.Reason.Error()
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns Reason and Err (the non-nil ones).
func (e *Error) Unwrap() []error {
	out := make([]error, 0, 2)
	if e.Reason != nil {
		out = append(out, e.Reason)
	}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// RetryAfter returns the Retry-After the response carries: the decision's
// RetryAfter rounded up to whole seconds, at least 1 second.
func (e *Error) RetryAfter() time.Duration {
	return time.Duration(retryAfterSeconds(e.Decision.RetryAfter)) * time.Second
}
