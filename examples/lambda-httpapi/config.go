package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// config is the function's configuration, read once at cold start from its
// environment. README.md documents every variable.
type config struct {
	issuer     string   // ISSUER_URL, required
	audience   string   // AUDIENCE, required
	scopes     []string // REQUIRED_SCOPE, default orders:write
	rate       rate     // RATE_LIMIT, default 100/1m
	redisAddr  string   // REDIS_ADDR, empty for the in-memory store
	secretName string   // SECRET_NAME, required
	source     string   // SECRETS_SOURCE: extension (default), awssm or env
}

// rate is a parsed RATE_LIMIT: count requests per period, burst at once.
type rate struct {
	count  int
	period time.Duration
	burst  int // 0: the same as count
}

// errConfig marks a configuration error: the function cannot start.
var errConfig = errors.New("invalid configuration")

// maxRatePeriod bounds RATE_LIMIT's period: a longer window is almost
// always a typo (100/1000h) and would lock callers out for months.
const maxRatePeriod = 24 * time.Hour

// loadConfig reads the configuration through getenv (os.Getenv in main).
// Its errors name the variable at fault but never repeat its value.
func loadConfig(getenv func(string) string) (config, error) {
	c := config{
		issuer:     getenv("ISSUER_URL"),
		audience:   getenv("AUDIENCE"),
		scopes:     strings.Fields(getenv("REQUIRED_SCOPE")),
		redisAddr:  strings.TrimSpace(getenv("REDIS_ADDR")),
		secretName: getenv("SECRET_NAME"),
		source:     strings.ToLower(strings.TrimSpace(getenv("SECRETS_SOURCE"))),
	}
	if len(c.scopes) == 0 {
		c.scopes = []string{"orders:write"}
	}
	if c.source == "" {
		c.source = "extension"
	}
	spec := getenv("RATE_LIMIT")
	if spec == "" {
		spec = "100/1m"
	}
	var err error
	if c.rate, err = parseRate(spec); err != nil {
		return config{}, fmt.Errorf("%w: RATE_LIMIT: %w", errConfig, err)
	}
	switch {
	case c.issuer == "":
		return config{}, fmt.Errorf("%w: ISSUER_URL is required", errConfig)
	case c.audience == "":
		return config{}, fmt.Errorf("%w: AUDIENCE is required", errConfig)
	case c.secretName == "":
		return config{}, fmt.Errorf("%w: SECRET_NAME is required", errConfig)
	case c.source != "extension" && c.source != "awssm" && c.source != "env":
		return config{}, fmt.Errorf("%w: SECRETS_SOURCE must be extension, awssm or env", errConfig)
	}
	return c, nil
}

// parseRate parses "<count>/<period>" or "<count>/<period>,<burst>", where
// period is a Go duration ("1s", "1m", "1h30m"): "100/1m,20" is 100 requests
// a minute with bursts of up to 20.
func parseRate(s string) (rate, error) {
	spec, burstText, hasBurst := strings.Cut(s, ",")
	countText, periodText, ok := strings.Cut(spec, "/")
	if !ok {
		return rate{}, errors.New(`want <count>/<period>[,<burst>], like "100/1m,20"`)
	}
	var r rate
	var err error
	if r.count, err = positive(countText); err != nil {
		return rate{}, fmt.Errorf("count: %w", err)
	}
	if r.period, err = time.ParseDuration(strings.TrimSpace(periodText)); err != nil {
		return rate{}, errors.New(`period: want a duration such as "1s", "1m" or "1h"`)
	}
	if r.period <= 0 || r.period > maxRatePeriod {
		return rate{}, fmt.Errorf("period: want more than 0 and at most %v", maxRatePeriod)
	}
	if int64(r.count) > int64(r.period) {
		return rate{}, errors.New("count: more than one request per nanosecond")
	}
	if hasBurst {
		if r.burst, err = positive(burstText); err != nil {
			return rate{}, fmt.Errorf("burst: %w", err)
		}
	}
	return r, nil
}

// maxCount bounds a count or burst: beyond a billion, a limit limits nothing.
const maxCount = 1_000_000_000

// positive parses a decimal integer in 1..maxCount.
func positive(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > maxCount {
		return 0, fmt.Errorf("want a whole number from 1 to %d", maxCount)
	}
	return n, nil
}
