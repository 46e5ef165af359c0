package auth_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/fnshield/fnshield/auth"
	"github.com/golang-jwt/jwt/v5"
)

func ExampleVerifier_Verify() {
	// A shared secret is an explicit opt-in; most services use WithIssuer
	// (OIDC discovery) or WithCognito instead.
	secret := []byte("an-example-secret-of-at-least-32-bytes")
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)

	v, err := auth.New(context.Background(),
		auth.WithHMAC("https://issuer.example.com", secret),
		auth.WithAudience("orders-api"),
		auth.WithClock(func() time.Time { return now }),
	)
	if err != nil {
		fmt.Println(err)
		return
	}

	token, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"iss":   "https://issuer.example.com",
		"sub":   "user-42",
		"aud":   "orders-api",
		"exp":   now.Add(time.Hour).Unix(),
		"scope": "orders:read orders:write",
	}).SignedString(secret)

	claims, err := v.Verify(context.Background(), token)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(claims.Subject, claims.Scopes, claims.HasScopes("orders:write"))

	// Tampered tokens fail with a sentinel error that never quotes the token.
	_, err = v.Verify(context.Background(), token+"x")
	fmt.Println(errors.Is(err, auth.ErrBadSignature), err)
	// Output:
	// user-42 [orders:read orders:write] true
	// true auth: invalid signature
}
