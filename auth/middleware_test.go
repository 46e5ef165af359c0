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

func TestMiddleware(t *testing.T) {
	e := newTrEnv(t)
	valid := e.token(map[string]any{"scope": "orders:read orders:write", "groups": []string{"staff"}})
	readOnly := e.token(map[string]any{"scope": "orders:read"})
	expired := e.token(map[string]any{"exp": e.clock().Add(-time.Hour)})
	garbled := e.iss.MintWith(authtest.MintOptions{Claims: map[string]any{"sub": "user-1", "aud": trAudience}, Signature: authtest.SignatureGarbled})
	algNone := e.iss.MintWith(authtest.MintOptions{Claims: map[string]any{"sub": "user-1", "aud": trAudience}, Algorithm: "none"})

	const (
		chMissing   = `Bearer realm="fnshield"`
		chExpired   = `Bearer realm="fnshield", error="invalid_token", error_description="the token has expired"`
		chSignature = `Bearer realm="fnshield", error="invalid_token", error_description="the token signature is invalid"`
		chMalformed = `Bearer realm="fnshield", error="invalid_request", error_description="the request carries malformed bearer credentials"`
	)
	tests := []struct {
		name          string
		opts          []auth.MiddlewareOption
		header        map[string]string
		wantStatus    int
		wantBody      string // for 200
		wantChallenge string
		wantReason    error
	}{
		{name: "valid", header: map[string]string{"Authorization": "Bearer " + valid}, wantStatus: 200, wantBody: "hello user-1"},
		{name: "scheme case-insensitive", header: map[string]string{"Authorization": "bearer " + valid}, wantStatus: 200, wantBody: "hello user-1"},
		{name: "missing", wantStatus: 401, wantChallenge: chMissing, wantReason: auth.ErrMissingToken},
		{name: "basic scheme is missing", header: map[string]string{"Authorization": "Basic dTpw"}, wantStatus: 401, wantChallenge: chMissing, wantReason: auth.ErrMissingToken},
		{name: "expired", header: map[string]string{"Authorization": "Bearer " + expired}, wantStatus: 401, wantChallenge: chExpired, wantReason: auth.ErrExpired},
		{name: "bad signature", header: map[string]string{"Authorization": "Bearer " + garbled}, wantStatus: 401, wantChallenge: chSignature, wantReason: auth.ErrBadSignature},
		{name: "alg none", header: map[string]string{"Authorization": "Bearer " + algNone}, wantStatus: 401, wantReason: auth.ErrBadAlgorithm},
		{name: "two tokens", header: map[string]string{"Authorization": "Bearer " + valid + " " + valid}, wantStatus: 400, wantChallenge: chMalformed, wantReason: auth.ErrMalformed},
		{name: "bad character in a cached token's look-alike", header: map[string]string{"Authorization": "Bearer " + valid[:20] + "!" + valid[21:]}, wantStatus: 400, wantChallenge: chMalformed, wantReason: auth.ErrMalformed},
		{name: "bad cookie", opts: []auth.MiddlewareOption{auth.WithTokenFrom(auth.FromCookie("at"))}, header: map[string]string{"Cookie": "at=a!b"}, wantStatus: 400, wantChallenge: chMalformed, wantReason: auth.ErrMalformed},
		{name: "scope present", opts: []auth.MiddlewareOption{auth.RequireScopes("orders:write")}, header: map[string]string{"Authorization": "Bearer " + valid}, wantStatus: 200, wantBody: "hello user-1"},
		{name: "scope missing", opts: []auth.MiddlewareOption{auth.RequireScopes("orders:read", "orders:write")}, header: map[string]string{"Authorization": "Bearer " + readOnly}, wantStatus: 403,
			wantChallenge: `Bearer realm="fnshield", error="insufficient_scope", error_description="the token lacks a required scope", scope="orders:read orders:write"`, wantReason: auth.ErrInsufficientScope},
		{name: "scopes accumulate", opts: []auth.MiddlewareOption{auth.RequireScopes("orders:read"), auth.RequireScopes("orders:write")}, header: map[string]string{"Authorization": "Bearer " + readOnly}, wantStatus: 403,
			wantChallenge: `Bearer realm="fnshield", error="insufficient_scope", error_description="the token lacks a required scope", scope="orders:write"`, wantReason: auth.ErrInsufficientScope},
		{name: "group any-of", opts: []auth.MiddlewareOption{auth.RequireGroups("admin", "staff")}, header: map[string]string{"Authorization": "Bearer " + valid}, wantStatus: 200, wantBody: "hello user-1"},
		{name: "group missing", opts: []auth.MiddlewareOption{auth.RequireGroups("admin")}, header: map[string]string{"Authorization": "Bearer " + valid}, wantStatus: 403, wantReason: auth.ErrForbidden},
		{name: "require passes", opts: []auth.MiddlewareOption{auth.Require(func(c *auth.Claims) error { return nil })}, header: map[string]string{"Authorization": "Bearer " + valid}, wantStatus: 200, wantBody: "hello user-1"},
		{name: "require fails", opts: []auth.MiddlewareOption{auth.Require(func(c *auth.Claims) error { return errors.New("not the owner") })}, header: map[string]string{"Authorization": "Bearer " + valid}, wantStatus: 403, wantReason: auth.ErrForbidden},
		{name: "optional without token", opts: []auth.MiddlewareOption{auth.Optional()}, wantStatus: 200, wantBody: "anonymous"},
		{name: "optional with token", opts: []auth.MiddlewareOption{auth.Optional()}, header: map[string]string{"Authorization": "Bearer " + valid}, wantStatus: 200, wantBody: "hello user-1"},
		{name: "optional with invalid token", opts: []auth.MiddlewareOption{auth.Optional()}, header: map[string]string{"Authorization": "Bearer " + expired}, wantStatus: 401, wantChallenge: chExpired, wantReason: auth.ErrExpired},
		{name: "optional still checks scopes", opts: []auth.MiddlewareOption{auth.Optional(), auth.RequireScopes("orders:write")}, header: map[string]string{"Authorization": "Bearer " + readOnly}, wantStatus: 403,
			wantChallenge: `Bearer realm="fnshield", error="insufficient_scope", error_description="the token lacks a required scope", scope="orders:write"`, wantReason: auth.ErrInsufficientScope},
		{name: "cookie", opts: []auth.MiddlewareOption{auth.WithTokenFrom(auth.FromCookie("at"))}, header: map[string]string{"Cookie": "at=" + valid}, wantStatus: 200, wantBody: "hello user-1"},
		{name: "cookie source ignores header", opts: []auth.MiddlewareOption{auth.WithTokenFrom(auth.FromCookie("at"))}, header: map[string]string{"Authorization": "Bearer " + valid}, wantStatus: 401, wantChallenge: chMissing, wantReason: auth.ErrMissingToken},
		{name: "header then cookie", opts: []auth.MiddlewareOption{auth.WithTokenFrom(auth.FromHeader("Authorization"), auth.FromCookie("at"))}, header: map[string]string{"Cookie": "at=" + valid}, wantStatus: 200, wantBody: "hello user-1"},
		{name: "first source found decides", opts: []auth.MiddlewareOption{auth.WithTokenFrom(auth.FromHeader("Authorization"), auth.FromCookie("at"))}, header: map[string]string{"Authorization": "Bearer " + expired, "Cookie": "at=" + valid}, wantStatus: 401, wantReason: auth.ErrExpired},
		{name: "custom header", opts: []auth.MiddlewareOption{auth.WithTokenFrom(auth.FromHeader("X-Access-Token"))}, header: map[string]string{"X-Access-Token": valid}, wantStatus: 200, wantBody: "hello user-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var handled error
			opts := append(tt.opts[:len(tt.opts):len(tt.opts)], auth.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
				handled = err
				auth.WriteError(w, auth.DefaultRealm, err)
			}))
			h := auth.Middleware(e.v, opts...)(echo(t))
			r := httptest.NewRequest(http.MethodGet, "/orders", nil)
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)

			if w.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d (body %s)", w.Code, tt.wantStatus, w.Body)
			}
			if got := w.Header().Get("WWW-Authenticate"); (tt.wantChallenge != "" || tt.wantReason == auth.ErrForbidden) && got != tt.wantChallenge {
				t.Errorf("WWW-Authenticate = %q, want %q", got, tt.wantChallenge)
			}
			if tt.wantStatus == 200 {
				if got := w.Body.String(); got != tt.wantBody {
					t.Errorf("body = %q, want %q", got, tt.wantBody)
				}
				if handled != nil {
					t.Errorf("error handler called with %v on success", handled)
				}
				return
			}
			if !errors.Is(handled, tt.wantReason) {
				t.Errorf("handler error = %v, want %v", handled, tt.wantReason)
			}
			p := decodeProblem(t, w.Header().Get("Content-Type"), w.Body.Bytes())
			if p.Status != tt.wantStatus || p.Title != http.StatusText(tt.wantStatus) || p.Type != "about:blank" || p.Detail == "" {
				t.Errorf("problem = %+v, want status %d with its title and a detail", p, tt.wantStatus)
			}
			for _, tok := range []string{valid, readOnly, expired, garbled} {
				sig := tok[strings.LastIndexByte(tok, '.')+1:]
				if strings.Contains(w.Body.String(), sig) || strings.Contains(w.Header().Get("WWW-Authenticate"), sig) {
					t.Errorf("response leaks a token")
				}
			}
		})
	}
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

func TestMiddlewarePanicsOnMisuse(t *testing.T) {
	e := newTrEnv(t)
	tests := []struct {
		name string
		v    *auth.Verifier
		opts []auth.MiddlewareOption
	}{
		{"nil verifier", nil, nil},
		{"gateway claims", e.v, []auth.MiddlewareOption{auth.TrustGatewayClaims()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("Middleware did not panic")
				}
			}()
			auth.Middleware(tt.v, tt.opts...)
		})
	}
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
