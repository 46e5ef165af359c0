// Package ratelimit limits requests per key, in memory or shared across
// function instances through a Store such as Redis.
//
// The decision, Limiter.Allow, returns a Decision carrying what the IETF
// RateLimit headers need. Thin transports wrap it for net/http and Lambda
// and answer 429 with Retry-After, RateLimit and RateLimit-Policy headers.
//
//	l, err := ratelimit.New(ratelimit.Limit{Rate: 100, Period: time.Minute, Burst: 20})
//	d, err := l.Allow(ctx, key)
//	if !d.Allowed { /* too many: retry after d.RetryAfter */ }
//
// # Transports
//
// [Middleware] guards a net/http handler and [Lambda] an AWS Lambda
// handler, with the same decision and the same answers:
//
//	mux := ratelimit.Middleware(l, ratelimit.WithKey(ratelimit.ByIP(lbPrefix)))(mux)
//	lambda.Start(ratelimit.Lambda(l, handle))
//
// Every response the limiter decided carries RateLimit-Policy and
// RateLimit (not those let through because the store failed); a request over
// the limit gets 429 Too Many Requests with Retry-After and an RFC 9457
// application/problem+json body ([WriteError]; replace it with
// [WithErrorHandler]). A request without a key gets 400, or shares one
// bucket with [WithMissingKey].
//
// The Lambda wrapper accepts the HTTP-shaped events only: API Gateway REST
// and HTTP APIs, ALB target groups and Function URLs, each with its own
// response type. Record events (SQS, Kinesis, SNS, EventBridge) have no
// client to key and no response to carry Retry-After, so wrapping one
// panics at cold start.
//
// # Limits
//
// A [Limit] is Rate events per Period with a bucket of Burst (Burst 0 means
// Rate). The algorithm is GCRA, the token bucket kept as a single
// timestamp per key, computed in whole nanoseconds (microseconds in
// Redis): no floating point, no drift, no background refill. Invalid limits are errors from [New].
//
// # Keys
//
// Any string is a key. The transports compute it from the request with a
// [KeyFunc]: [ByIP] (the client address, reading X-Forwarded-For only
// through the proxies you name; IPv6 by /64) or [ByHeader] (an API key,
// hashed before it is stored). [WithName] prefixes every key with the
// policy name, so limiters sharing a store never share buckets.
//
// # Stores
//
// By default each Limiter keeps its buckets in its own [MemoryStore] of
// [DefaultMaxKeys] keys: bounded, evicting keys not used recently,
// with no background goroutine. In Lambda every instance has its own
// memory, so the limit is per instance; for one limit across instances use
// package ratelimit/redisstore (Redis, ElastiCache, Valkey), which runs
// each decision as one Lua script on one key with the server's clock.
// Other stores implement the small [Store] interface.
//
// # When the store fails
//
// A shared store can fail or time out. The Limiter then fails open by
// default (the request is allowed; see [WithFailOpen] for why and when to
// choose otherwise), counts the failure and logs it when [WithLogger] is
// set. [Limiter.AllowN] documents exactly what it returns in each mode.
//
// # Headers
//
// [Limiter.SetHeaders] writes the fields of draft-ietf-httpapi-ratelimit-headers:
//
//	RateLimit-Policy: "default";q=100;w=60
//	RateLimit: "default";r=19;t=1
//
// plus Retry-After (whole seconds, rounded up) on a denial.
// [SetLegacyHeaders] writes X-RateLimit-Limit, -Remaining and -Reset for
// older clients.
//
// # Observability
//
// Through the OpenTelemetry API only (a no-op without an SDK): the counter
// fnshield.ratelimit.decisions (attributes result = allowed, denied or
// error, and policy), the counter fnshield.ratelimit.store.errors and the
// histogram fnshield.ratelimit.store.duration (seconds) for stores other
// than the memory store, and a client span around each such store call.
package ratelimit
