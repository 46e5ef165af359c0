// Package ratelimit limits requests per key, in memory or shared across
// function instances through a Store such as Redis.
//
// The decision, Limiter.Allow, returns a Decision carrying what the IETF
// RateLimit headers need. Thin transports wrap it for net/http and Lambda
// and answer 429 with Retry-After, RateLimit and RateLimit-Policy headers.
package ratelimit
