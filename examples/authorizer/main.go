// Command authorizer is a template for an API Gateway REST API Lambda
// authorizer built on fnshield's auth package. One binary serves both
// authorizer types; AUTHORIZER_TYPE picks the one API Gateway calls it as:
//
//   - TOKEN: API Gateway passes the identity header (Authorization) as
//     authorizationToken; auth.TokenAuthorizer verifies it.
//   - REQUEST: API Gateway passes the whole request (headers, query, path);
//     auth.RequestAuthorizer reads the bearer token from its headers.
//
// A valid token that carries REQUIRED_SCOPE gets an IAM policy allowing the
// method, with the subject as principalId and the token's sub, iss, scope and
// client_id in the authorizer context (the integration reads them from
// requestContext.authorizer). A valid token without the scope gets an explicit
// Deny (API Gateway answers 403); a missing or invalid token gets the error
// "Unauthorized" (401). When the issuer's keys cannot be fetched the
// authorizer fails closed with another error (500, not cached).
//
// Configuration, read once at cold start (see README.md):
//
//	ISSUER_URL       OpenID Connect issuer; keys come from its discovery document (required)
//	AUDIENCE         accepted "aud" value (required)
//	REQUIRED_SCOPE   scope every caller needs (optional; space-separated for several)
//	AUTHORIZER_TYPE  TOKEN (default) or REQUEST
//	CONTEXT_CLAIMS   extra claims copied into the authorizer context, comma-separated (optional)
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/fnshield/fnshield/auth"
	"github.com/fnshield/fnshield/redact"
)

// config is the authorizer's configuration, read from the environment.
type config struct {
	issuer, audience string
	scopes           []string
	kind             string // "TOKEN" or "REQUEST"
	contextClaims    []string
}

// errConfig marks a configuration error: the function cannot start.
var errConfig = errors.New("invalid configuration")

// loadConfig reads the configuration through getenv (os.Getenv in main).
func loadConfig(getenv func(string) string) (config, error) {
	c := config{
		issuer:        getenv("ISSUER_URL"),
		audience:      getenv("AUDIENCE"),
		scopes:        strings.Fields(getenv("REQUIRED_SCOPE")),
		kind:          strings.ToUpper(strings.TrimSpace(getenv("AUTHORIZER_TYPE"))),
		contextClaims: splitList(getenv("CONTEXT_CLAIMS")),
	}
	if c.kind == "" {
		c.kind = "TOKEN"
	}
	switch {
	case c.issuer == "":
		return config{}, fmt.Errorf("%w: ISSUER_URL is required", errConfig)
	case c.audience == "":
		return config{}, fmt.Errorf("%w: AUDIENCE is required", errConfig)
	case c.kind != "TOKEN" && c.kind != "REQUEST":
		return config{}, fmt.Errorf("%w: AUTHORIZER_TYPE must be TOKEN or REQUEST", errConfig)
	}
	return c, nil
}

// splitList splits a comma-separated list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// verifier builds the token verifier. It fetches the issuer's discovery
// document and keys, so a wrong ISSUER_URL fails the cold start.
func (c config) verifier(ctx context.Context, logger *slog.Logger) (*auth.Verifier, error) {
	return auth.New(ctx,
		auth.WithIssuer(c.issuer),
		auth.WithAudience(c.audience),
		auth.WithLogger(logger), // denials, never the token
	)
}

// options are the authorizer's checks and context claims.
func (c config) options() []auth.AuthorizerOption {
	var opts []auth.AuthorizerOption
	if len(c.scopes) > 0 {
		opts = append(opts, auth.RequireScopes(c.scopes...))
	}
	if len(c.contextClaims) > 0 {
		opts = append(opts, auth.WithContextClaims(c.contextClaims...))
	}
	return opts
}

func main() {
	// Logs go to stdout, which Lambda sends to CloudWatch; the redacting
	// handler keeps tokens and personal data out of them.
	logger := slog.New(redact.NewHandler(slog.NewJSONHandler(os.Stdout, nil)))
	cfg, err := loadConfig(os.Getenv)
	if err != nil {
		logger.Error("authorizer cannot start", "err", err)
		os.Exit(1)
	}
	v, err := cfg.verifier(context.Background(), logger)
	if err != nil {
		// A cold start that cannot load the keys fails loudly: Lambda
		// reports the init error and API Gateway answers 500.
		logger.Error("authorizer cannot load the issuer's keys", "err", err)
		os.Exit(1)
	}
	switch cfg.kind {
	case "REQUEST":
		lambda.Start(auth.RequestAuthorizer(v, cfg.options()...))
	default:
		lambda.Start(auth.TokenAuthorizer(v, cfg.options()...))
	}
}
