package auth_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fnshield/fnshield/auth"
	"github.com/fnshield/fnshield/auth/authtest"
)

// trEnv is an issuer and a verifier that trusts it, sharing one
// controllable clock.
type trEnv struct {
	iss *authtest.Issuer
	v   *auth.Verifier

	mu  sync.Mutex
	now time.Time
}

const trAudience = "orders-api"

func (e *trEnv) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *trEnv) advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
}

// newTrEnv starts an issuer and a verifier fetching its keys over HTTP.
func newTrEnv(t testing.TB, opts ...auth.Option) *trEnv {
	t.Helper()
	e := &trEnv{now: time.Unix(1_750_000_000, 0)}
	e.iss = authtest.NewIssuer(t, authtest.WithClock(e.clock))
	opts = append([]auth.Option{
		auth.WithIssuerJWKS(e.iss.URL(), e.iss.JWKSURL()),
		auth.WithAudience(trAudience),
		auth.WithHTTPClient(e.iss.Client()),
		auth.WithClock(e.clock),
	}, opts...)
	v, err := auth.New(context.Background(), opts...)
	if err != nil {
		t.Fatalf("auth.New: %v", err)
	}
	e.v = v
	return e
}

// token mints a token for trAudience with the given extra claims.
func (e *trEnv) token(claims map[string]any) string {
	m := map[string]any{"sub": "user-1", "aud": trAudience}
	for k, v := range claims {
		m[k] = v
	}
	return e.iss.Mint(m)
}

// problemBody is the decoded problem+json body.
type problemBody struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
}

// decodeProblem checks the problem+json response shape and decodes it. It
// fails if the body has members beyond type, title, status and detail.
func decodeProblem(t *testing.T, contentType string, body []byte) problemBody {
	t.Helper()
	if contentType != "application/problem+json" {
		t.Errorf("Content-Type = %q, want application/problem+json", contentType)
	}
	var members map[string]any
	if err := json.Unmarshal(body, &members); err != nil {
		t.Fatalf("body %q is not JSON: %v", body, err)
	}
	for k := range members {
		if k != "type" && k != "title" && k != "status" && k != "detail" {
			t.Errorf("problem body has member %q, want only type/title/status/detail", k)
		}
	}
	var p problemBody
	_ = json.Unmarshal(body, &p)
	return p
}

// echo is the protected handler: it reports the subject it was given.
func echo(t *testing.T) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok := auth.ClaimsFromContext(r.Context())
		if !ok {
			_, _ = io.WriteString(w, "anonymous")
			return
		}
		_, _ = io.WriteString(w, "hello "+c.Subject)
	})
}

func TestMiddlewareDefaultErrorHandler(t *testing.T) {
	e := newTrEnv(t)
	tests := []struct {
		name          string
		opts          []auth.MiddlewareOption
		wantChallenge string
	}{
		{"default realm", nil, `Bearer realm="fnshield"`},
		{"custom realm", []auth.MiddlewareOption{auth.WithRealm("orders")}, `Bearer realm="orders"`},
		{"realm is escaped", []auth.MiddlewareOption{auth.WithRealm(`a "b" \ c` + "\n")}, `Bearer realm="a \"b\" \\ c"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			auth.Middleware(e.v, tt.opts...)(echo(t)).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
			if w.Code != http.StatusUnauthorized {
				t.Fatalf("status = %d, want 401", w.Code)
			}
			if got := w.Header().Get("WWW-Authenticate"); got != tt.wantChallenge {
				t.Errorf("WWW-Authenticate = %q, want %q", got, tt.wantChallenge)
			}
			p := decodeProblem(t, w.Header().Get("Content-Type"), w.Body.Bytes())
			want := problemBody{Type: "about:blank", Title: "Unauthorized", Status: 401, Detail: "a bearer token is required"}
			if p != want {
				t.Errorf("problem = %+v, want %+v", p, want)
			}
		})
	}
}

func TestMiddlewareKeysUnavailable(t *testing.T) {
	e := newTrEnv(t)
	// The JWKS endpoint fails and the cached keys age past their
	// stale-if-error limit: the verifier fails closed with 503.
	e.iss.SetJWKSFailure(http.StatusInternalServerError)
	e.advance(48 * time.Hour)
	tok := e.token(nil)
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	auth.Middleware(e.v)(echo(t)).ServeHTTP(w, r)
	if w.Code != http.StatusServiceUnavailable {
		t.Fatalf("status = %d, want 503 (body %s)", w.Code, w.Body)
	}
	if got := w.Header().Get("Retry-After"); got != auth.RetryAfterSeconds {
		t.Errorf("Retry-After = %q, want %q", got, auth.RetryAfterSeconds)
	}
	if got := w.Header().Get("WWW-Authenticate"); got != "" {
		t.Errorf("WWW-Authenticate = %q, want none: the client is not at fault", got)
	}
	decodeProblem(t, w.Header().Get("Content-Type"), w.Body.Bytes())
}

func TestMiddlewareDoesNotMutateRequest(t *testing.T) {
	e := newTrEnv(t)
	tok := e.token(nil)
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	ctxBefore := r.Context()
	headerBefore := r.Header.Clone()

	var inner *http.Request
	auth.Middleware(e.v)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { inner = r })).ServeHTTP(httptest.NewRecorder(), r)

	if inner == nil || inner == r {
		t.Fatalf("next got the caller's request (%p), want a copy", inner)
	}
	if r.Context() != ctxBefore {
		t.Error("the caller's request context was replaced")
	}
	if _, ok := auth.ClaimsFromContext(r.Context()); ok {
		t.Error("the caller's request context carries claims")
	}
	if got := r.Header.Get("Authorization"); got != headerBefore.Get("Authorization") || len(r.Header) != len(headerBefore) {
		t.Error("the caller's headers changed")
	}
	c, ok := auth.ClaimsFromContext(inner.Context())
	if !ok || c.Subject != "user-1" || c.Issuer != e.iss.URL() {
		t.Errorf("claims in next's context = %+v, %v; want subject user-1 from the issuer", c, ok)
	}
}

func TestMiddlewareCustomErrorHandler(t *testing.T) {
	e := newTrEnv(t)
	tok := e.token(map[string]any{"scope": "a"})
	var got *auth.Error
	h := auth.Middleware(e.v, auth.RequireScopes("b"), auth.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
		if !errors.As(err, &got) {
			t.Errorf("handler error is %T, want *auth.Error", err)
		}
		w.WriteHeader(http.StatusTeapot)
	}))(echo(t))
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusTeapot {
		t.Errorf("status = %d, want the handler's 418", w.Code)
	}
	if got == nil || got.Status != 403 || got.Code != "insufficient_scope" || strings.Join(got.Scopes, " ") != "b" {
		t.Errorf("handler error = %+v, want 403 insufficient_scope for scope b", got)
	}
	if strings.Contains(got.Error(), tok) {
		t.Error("error text contains the token")
	}
}

func TestMiddlewareRequireCustomError(t *testing.T) {
	e := newTrEnv(t)
	tok := e.token(nil)
	custom := &auth.Error{Reason: auth.ErrBadAudience, Code: "invalid_token", Status: 401, Description: "wrong tenant"}
	h := auth.Middleware(e.v, auth.Require(func(*auth.Claims) error { return custom }))(echo(t))
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	want := `Bearer realm="fnshield", error="invalid_token", error_description="wrong tenant"`
	if w.Code != 401 || w.Header().Get("WWW-Authenticate") != want {
		t.Errorf("got %d %q, want 401 %q", w.Code, w.Header().Get("WWW-Authenticate"), want)
	}
}

func TestMiddlewarePanicsOnNilVerifier(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Middleware did not panic")
		}
	}()
	auth.Middleware(nil)
}

func TestWriteErrorWithPlainError(t *testing.T) {
	w := httptest.NewRecorder()
	auth.WriteError(w, "r", errors.New("something with eyJhbGciOi.secret.token"))
	if w.Code != 401 {
		t.Errorf("status = %d, want 401", w.Code)
	}
	if strings.Contains(w.Body.String(), "secret") {
		t.Errorf("body %q echoes the error text", w.Body)
	}
	if got, want := w.Header().Get("WWW-Authenticate"), `Bearer realm="r", error="invalid_token", error_description="the token is invalid"`; got != want {
		t.Errorf("WWW-Authenticate = %q, want %q", got, want)
	}
}
