package main

import (
	"bufio"
	"os"
	"strings"
)

// area describes one benchmark function for RESULTS.md.
type area struct {
	Name  string // the benchmark function without "Benchmark"
	Title string
	About string // what is measured, in Markdown
	Peers []peer
	// Parity says what the parity tests check, and where peers differ.
	Parity string
	// Group, when set, names the group of cases a case belongs to in the
	// summary, for cases too different to share one mean (a cache hit and
	// a signature check, one key and a million).
	Group func(caseName string) string
}

// realisticOrAttacker is a Group function setting attacker-sized inputs
// apart from realistic ones.
func realisticOrAttacker(c string) string {
	if strings.HasPrefix(c, "attacker") {
		return "attacker-sized"
	}
	return "realistic"
}

// segment returns a Group function naming a case by its i-th element.
func segment(i int) func(string) string {
	return func(c string) string {
		parts := strings.Split(c, "/")
		if i < len(parts) {
			return parts[i]
		}
		return ""
	}
}

// peer names the module behind an implementation name, so that RESULTS.md
// can give its version from go.mod.
type peer struct {
	Impl   string
	Module string // empty for a baseline written in this module
	About  string
}

// packages are the benchmark packages, in the order they run.
var packages = []string{"authbench", "validatebench", "redactbench", "ratelimitbench", "secretsbench", "chainbench"}

// areas are the benchmark functions, in the order RESULTS.md shows them.
var areas = []area{
	{
		Name:  "Auth",
		Title: "auth: verifying a bearer token",
		About: "A typical access token (registered claims, scope, client_id, one custom claim) from a loopback OIDC issuer, " +
			"verified for signature, issuer, audience and exp (required) with a 30 s leeway, one algorithm allowed. " +
			"Keys come from the issuer's JWK Set, held in each library's own cache; the golang-jwt floor is handed the key. " +
			"`fresh`: fnshield's token cache is off, so each call pays the signature check, as a first-seen token does. " +
			"`repeated`: the cache is on and the same token comes back; the peers have no token cache and pay the check again. " +
			"MB/s counts token bytes.",
		Peers: []peer{
			{"golang-jwt", "github.com/golang-jwt/jwt/v5", "`Parser.ParseWithClaims` with a fixed key and `RegisteredClaims`: the floor"},
			{"auth0-validator", "github.com/auth0/go-jwt-middleware/v2", "`validator.ValidateToken` with `jwks.CachingProvider`"},
			{"keyfunc+golang-jwt", "github.com/MicahParks/keyfunc/v3", "keyfunc's JWK Set storage as golang-jwt's `Keyfunc`"},
			{"jwx", "github.com/lestrrat-go/jwx/v3", "`jwt.ParseString` with a fetched `jwk.Set`"},
			{"go-oidc", "github.com/coreos/go-oidc/v3", "`IDTokenVerifier.Verify` with its remote key set"},
		},
		Group: segment(1),
		Parity: "`TestParity` checks that every verifier accepts the benchmark token and 2 other valid ones, and rejects " +
			"15 bad ones (expired, not yet valid, wrong or missing audience, wrong issuer, garbled, stripped or foreign " +
			"signature, alg none, HS256 with the public key, malformed), for each algorithm, with fnshield's cache off and on. " +
			"Left out and pinned in `TestParityDifferences`: a token without exp, which auth0's validator accepts (exp is " +
			"optional there, with no setting to require it) and the others reject. go-oidc has no leeway setting; it is given " +
			"a clock 30 s behind, which is the same leeway on exp.",
	},
	{
		Name:  "Validate",
		Title: "validate: JSON Schema validation of a payload",
		About: "An order schema (required members, types, lengths, patterns, enums, ranges, an array of line items; " +
			"only keywords that mean the same in draft-07, gojsonschema's latest, and 2020-12) compiled once. " +
			"Each validator gets the payload as bytes and decodes it itself. Small (103 B) and 1 KiB payloads, valid and " +
			"invalid (the 1 KiB invalid one fails in its last line item), and two attacker-sized invalid ones: arrays nested " +
			"10,000 deep where a string belongs, and 10,000 line items where 100 are allowed (350 KB). MB/s counts payload bytes.",
		Peers: []peer{
			{"santhosh-tekuri-v5", "github.com/santhosh-tekuri/jsonschema/v5", "the validator fnshield builds on, called directly: the floor"},
			{"gojsonschema", "github.com/xeipuuv/gojsonschema", "`Schema.Validate` with a bytes loader"},
			{"kaptinlin", "github.com/kaptinlin/jsonschema", "`Schema.ValidateJSON` (v0.9.8: later versions need a newer Go than 1.26)"},
		},
		Group: realisticOrAttacker,
		Parity: "`TestParity` checks every validator's verdict on the benchmark payloads and 12 others (missing member, " +
			"extra member, pattern, enum, exclusiveMinimum, integer, empty array, a null where allowed, root type, broken JSON, empty input; " +
			"2.0 as an integer is accepted by all). Pinned in `TestParityDifferences`: trailing data after the JSON value, " +
			"which gojsonschema accepts, and duplicate member names, which fnshield (by default) and kaptinlin reject and " +
			"the other two accept, keeping the last value.",
	},
	{
		Name:  "Redact",
		Title: "redact: redacting a log line",
		About: "JSON and text log lines with nothing to redact (the common case) and with findings, a 4 KiB clean " +
			"line such as a logged request body, and an attacker-sized 64 KiB line of card-shaped digit groups that fail " +
			"the Luhn check. MB/s counts line bytes.",
		Peers: []peer{
			{"regexp-set", "", "one Go `regexp` per detector (the same detectors), each run over the line: the usual approach"},
		},
		Group: realisticOrAttacker,
		Parity: "`TestParity` checks that both remove every planted secret from the dirty lines and leave the clean ones " +
			"unchanged; `TestParityRegexpSetCoversDetectors` checks each of the baseline's detectors on its own.",
	},
	{
		Name:  "Ratelimit",
		Title: "ratelimit: one decision in memory",
		About: "`Allow` for one hot key and for keys rotating through 1,000,000, on one goroutine (serial) and on every core (parallel).",
		Peers: []peer{
			{"xtime-rate-map", "golang.org/x/time", "a `rate.Limiter` per key in a map behind a mutex: the naive approach"},
			{"sethvargo-go-limiter", "github.com/sethvargo/go-limiter", "`memorystore`"},
			{"throttled", "github.com/throttled/throttled/v2", "`GCRARateLimiterCtx` with `memstore`"},
			{"ulule-limiter", "github.com/ulule/limiter/v3", "`Limiter.Get` with the memory store"},
		},
		Group: segment(0),
		Parity: "Every limiter gets 100 events per hour with a burst of 100 (throttled: MaxBurst 99, as it allows one more); " +
			"`TestParity` checks that each allows exactly 100 events for a new key and denies the 101st.",
	},
	{
		Name:  "RatelimitRedis",
		Title: "ratelimit: one decision through Redis",
		About: "`ratelimit/redisstore` against go-redis/redis_rate on a real redis-server on loopback (started by the benchmark, no persistence).",
		Peers: []peer{
			{"redis_rate", "github.com/go-redis/redis_rate/v10", "`Limiter.Allow` (GCRA in a Lua script)"},
		},
		Group: segment(0),
		Parity: "`TestParityRedis` checks the same burst of 100 on both. redisstore is given the go-redis client's 3 s read " +
			"timeout, which redis_rate relies on, instead of its own 100 ms default.",
	},
	{
		Name:  "Secrets",
		Title: "secrets: reading a cached secret",
		About: "`Cache.Get` hits for one name and for names drawn in turn from 100 and 1,000, serial and parallel, from a " +
			"`secrets.Static` provider. `cold_fill_1000`: each operation fills a new cache with 1,000 names (all misses).",
		Peers: []peer{
			{"mutex-map", "", "a map of values with expiry times behind one `sync.Mutex`: the baseline"},
		},
		Group: func(c string) string {
			if strings.HasPrefix(c, "cold_fill") {
				return "cold fill"
			}
			return "hits"
		},
		Parity: "`TestParity` checks that both return the provider's value for every name, on the miss and on the hit, " +
			"and ErrNotFound for a missing name.",
	},
	{
		Name:  "Chain",
		Title: "chain: a guarded Lambda invocation against a bare handler",
		About: "An API Gateway HTTP API (payload 2.0) `POST /orders` event with an ES256 bearer token and the 103 B order " +
			"through `auth.Lambda(v, ratelimit.Lambda(l, validate.Lambda(s, handle)), auth.RequireScopes(...))`, the handler " +
			"logging one line through `redact.NewHandler`, against the same handler unwrapped, logging through the plain " +
			"`slog.JSONHandler`. Both answer 201. `fresh_token`: the token cache is off, so each request pays the signature " +
			"check; `repeated_token`: the cache is on. Here the ratio is not a race between peers: it is what the whole " +
			"shield costs over a handler that does almost nothing, and its ns/op difference is the time added per invocation.",
		Peers: []peer{
			{"bare", "", "the same handler unwrapped, logging without redaction"},
		},
		Group: segment(0),
		Parity: "`TestParity` checks that the guarded handler answers the benchmark request with 201 and a redacted log " +
			"line, and that a missing or forged token (401), a missing scope (403) or an invalid payload (400) never " +
			"reaches the handler.",
	},
}

// areaByName returns the description of the named area, or a bare one.
func areaByName(name string) area {
	for _, a := range areas {
		if a.Name == name {
			return a
		}
	}
	return area{Name: name, Title: name}
}

// moduleVersions reads the require lines of a go.mod file.
func moduleVersions(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	inBlock := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "require (":
			inBlock = true
			continue
		case inBlock && line == ")":
			inBlock = false
			continue
		case strings.HasPrefix(line, "require "):
			line = strings.TrimPrefix(line, "require ")
		case !inBlock:
			continue
		}
		if f := strings.Fields(line); len(f) >= 2 {
			out[f[0]] = f[1]
		}
	}
	return out, sc.Err()
}
