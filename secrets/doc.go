// Package secrets retrieves secrets through a bounded, coalescing cache and
// hands them out as values that cannot be logged by accident.
//
// A [Cache] wraps a [Provider] (AWS Secrets Manager, SSM Parameter Store, the
// AWS Parameters and Secrets Lambda Extension, environment variables, files
// or a static map, or several of them behind a [Router]). Concurrent misses
// make one fetch, failed refreshes can serve the previous value for a
// bounded time, and no lock is held while a provider is called. A [Value]
// prints as [REDACTED] through every formatting path; Reveal is the only way
// to the plaintext.
//
// # Usage
//
// Build the Cache once, at cold start, and share it between invocations:
//
//	func main() {
//		cfg, err := config.LoadDefaultConfig(context.Background())
//		if err != nil {
//			log.Fatal(err)
//		}
//		lambda.Start(newApp(cfg).handle)
//	}
//
//	func newApp(cfg aws.Config) *app {
//		return &app{secrets: secrets.New(awssm.NewFromConfig(cfg), secrets.WithTTL(10*time.Minute))}
//	}
//
//	func (a *app) handle(ctx context.Context, e events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
//		var db struct {
//			Username string
//			Password secrets.Value // prints as [REDACTED]; Reveal when dialling
//		}
//		if err := a.secrets.GetJSON(ctx, "prod/db", &db); err != nil {
//			return events.APIGatewayV2HTTPResponse{StatusCode: 500}, err
//		}
//		...
//	}
//
// newApp and handle are the package's Example_lambda, which compiles and
// runs with the tests.
//
// # Typed secrets and fields
//
// [Cache.GetJSON] decodes a JSON secret into a struct or map; fields of
// type Value receive JSON strings (unescaped), numbers and booleans (as
// written: 5432 gives "5432") and stay redacted when the struct is printed
// or logged. An object or array cannot fill a Value. [Cache.GetField] returns one key of a JSON object secret, the
// shape of Secrets Manager's key/value secrets, as a Value:
//
//	pw, err := cache.GetField(ctx, "prod/db", "password")
//
// The field is an argument rather than part of the name, so it never
// collides with a provider's version syntax ("prod/db#AWSPREVIOUS").
//
// # Several sources
//
// [Route] builds a Provider that picks a provider by name prefix, so one
// Cache, with one TTL and stale policy, serves secrets from Secrets
// Manager, Parameter Store and the environment:
//
//	r, err := secrets.Route(map[string]secrets.Provider{
//		"sm:":  awssm.NewFromConfig(cfg),
//		"ssm:": ssm.NewFromConfig(cfg),
//		"env:": secrets.Env("APP_"),
//	})
//	cache := secrets.New(r)
//	key, err := cache.Get(ctx, "ssm:/prod/api-key")
//
// Values loaded in bulk at cold start (such as ssm.LoadPath's) enter a
// cache with [Cache.Prime] and are refreshed from the provider like any
// other.
//
// # Lambda
//
// The cache starts no goroutine that outlives a call: values are fetched
// again lazily, by the first Get after they expire, or (with
// [WithRefreshAhead]) by one background fetch that a Get starts once a
// value has aged, which ends by itself within the fetch timeout. Expiry uses
// runtime timers, which cost nothing while the sandbox is frozen.
//
// # Names
//
// Secret names are at most [MaxNameLen] (4096) bytes of UTF-8 without
// control characters, room for the longest names and ARNs AWS accepts
// (2048 characters) with a version suffix and a routing prefix. The
// built-in providers map them as follows: [Env] upper-cases the name and
// turns other characters into "_" after a prefix ("prod/db" →
// PREFIX_PROD_DB with prefix "PREFIX_"); [Dir] reads the file of that
// relative path under its directory and refuses names that leave it;
// [Static] looks the name up in its map; a [Router] strips the prefix it
// routes on.
//
// # Errors
//
// Errors never contain a secret's value. Every provider, including those of
// packages awssm, ssm and extension, reports the same reasons with the
// same sentinels, so callers branch with errors.Is whichever provider
// answered: [ErrNotFound] for a missing secret, version or field (and a
// Secrets Manager secret scheduled for deletion), [ErrAccessDenied] for
// refused credentials, [ErrInvalidName] for a name the cache or the
// provider refuses. Provider detail (the AWS error code, the HTTP status)
// stays in the provider's error type, reached with errors.As. Get wraps
// provider errors in a [*FetchError] naming the secret.
package secrets
