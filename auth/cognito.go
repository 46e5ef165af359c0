package auth

import (
	"errors"
	"slices"
	"strings"
)

// WithCognito trusts the Amazon Cognito user pool userPoolID in region. Its
// issuer is https://cognito-idp.<region>.amazonaws.com/<userPoolID> and its
// keys are loaded from <issuer>/.well-known/jwks.json (no discovery).
//
// Cognito tokens are checked by their "token_use":
//   - "access" tokens carry no "aud"; their "client_id" must be one of
//     clientIDs;
//   - "id" tokens must have an "aud" that is one of clientIDs;
//   - any other token_use, or none, is rejected with [ErrBadTokenType].
//
// [WithAudience] does not apply to Cognito issuers. New returns an error
// when clientIDs is empty, unless [WithoutAudienceCheck] is given (then any
// client of the pool is accepted, token_use is still checked).
func WithCognito(region, userPoolID string, clientIDs ...string) Option {
	clientIDs = slices.Clone(clientIDs)
	return optionFunc(func(c *config) {
		if !validCognitoPart(region) {
			c.errorf("WithCognito: invalid region %q (want letters, digits, '-' and '_', at most 64)", region)
			return
		}
		if !validCognitoPart(userPoolID) {
			c.errorf("WithCognito: invalid user pool ID %q (want letters, digits, '-' and '_', at most 64)", userPoolID)
			return
		}
		c.issuers = append(c.issuers, issuerConfig{
			kind:      sourceCognito,
			issuer:    "https://cognito-idp." + region + ".amazonaws.com/" + userPoolID,
			region:    region,
			poolID:    userPoolID,
			clientIDs: clientIDs,
		})
	})
}

// WithCognitoEndpoint replaces the base URL Cognito keys are fetched from,
// https://cognito-idp.<region>.amazonaws.com, for every Cognito issuer: keys
// are then loaded from <endpoint>/<userPoolID>/.well-known/jwks.json. The
// issuer the tokens must carry does not change. It exists for tests
// against a loopback server and for private endpoints; endpoint follows the
// https-or-loopback rule of [WithIssuer].
func WithCognitoEndpoint(endpoint string) Option {
	return optionFunc(func(c *config) {
		c.cognitoEndpoint = strings.TrimSuffix(endpoint, "/")
	})
}

// validCognitoPart accepts the characters AWS region names and pool IDs use,
// so that neither can change the URL's host or path.
func validCognitoPart(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
		default:
			return false
		}
	}
	return true
}

// cognitoJWKSURL is where the pool's keys are fetched.
func cognitoJWKSURL(ic *issuerConfig, endpoint string) string {
	if endpoint == "" {
		return ic.issuer + "/.well-known/jwks.json"
	}
	return endpoint + "/" + ic.poolID + "/.well-known/jwks.json"
}

var (
	errTokenUse = errors.New("token_use is neither access nor id")
	errClientID = errors.New("client not allowed")
)

// checkCognito applies the token_use and client rules to verified claims.
// clientIDs nil means any client (WithoutAudienceCheck).
func checkCognito(c *Claims, clientIDs []string) *Error {
	switch c.TokenUse {
	case "access":
		if clientIDs != nil && !slices.Contains(clientIDs, c.ClientID) {
			return newError(ErrBadAudience, errClientID)
		}
	case "id":
		if clientIDs != nil && !containsAny(c.Audience, clientIDs) {
			return newError(ErrBadAudience, errClientID)
		}
	default:
		return newError(ErrBadTokenType, errTokenUse)
	}
	return nil
}

func containsAny(have, want []string) bool {
	for _, w := range want {
		if slices.Contains(have, w) {
			return true
		}
	}
	return false
}
