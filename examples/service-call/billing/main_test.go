package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// urlEvent is a Function URL event for POST /charge with the IAM caller
// AWS records after verifying the SigV4 signature (none for an empty arn).
func urlEvent(account, arn string) events.LambdaFunctionURLRequest {
	e := events.LambdaFunctionURLRequest{Version: "2.0", RawPath: "/charge", Body: `{"id":"o-1","amount":42}`,
		Headers: map[string]string{"content-type": "application/json"}}
	e.RequestContext.HTTP.Method = "POST"
	e.RequestContext.HTTP.Path = "/charge"
	if arn != "" {
		e.RequestContext.Authorizer = &events.LambdaFunctionURLRequestContextAuthorizerDescription{
			IAM: &events.LambdaFunctionURLRequestContextAuthorizerIAMDescription{AccountID: account, UserARN: arn, CallerID: "AROAEXAMPLE:orders"},
		}
	}
	return e
}

func TestIAMMode(t *testing.T) {
	env := map[string]string{"ALLOWED_CALLERS": "arn:aws:iam::123456789012:role/orders-role"}
	h, err := newHandler(context.Background(), func(k string) string { return env[k] }, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, account, arn string
		want               int
	}{
		{"the orders role", "123456789012", "arn:aws:sts::123456789012:assumed-role/orders-role/orders-fn", 200},
		{"another role", "123456789012", "arn:aws:sts::123456789012:assumed-role/reports-role/reports-fn", 403},
		{"the same role name in another account", "999999999999", "arn:aws:sts::999999999999:assumed-role/orders-role/x", 403},
		{"no IAM caller: the URL lacks AuthType AWS_IAM", "", "", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := h(context.Background(), urlEvent(tt.account, tt.arn))
			if err != nil || resp.StatusCode != tt.want {
				t.Fatalf("got %d, %v; want %d", resp.StatusCode, err, tt.want)
			}
			if tt.want == 200 {
				var body struct{ Caller string }
				if json.Unmarshal([]byte(resp.Body), &body) != nil || body.Caller != "role/orders-role" {
					t.Errorf("body %s, want the caller role/orders-role", resp.Body)
				}
			}
		})
	}
}

func TestConfigurationErrors(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"no allowed callers": {},
		"bad caller":         {"ALLOWED_CALLERS": "not-an-arn"},
		"unknown mode":       {"AUTH_MODE": "apikey"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := newHandler(context.Background(), func(k string) string { return env[k] }, slog.Default()); err == nil {
				t.Error("newHandler accepted the configuration")
			}
		})
	}
}
