package auth

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const extractJWTLike = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl"

func TestExtractHeader(t *testing.T) {
	tests := []struct {
		name    string
		source  TokenSource
		values  []string // Authorization (or the source's header) values
		want    string
		wantErr error
	}{
		{name: "bearer", values: []string{"Bearer " + extractJWTLike}, want: extractJWTLike},
		{name: "scheme is case-insensitive", values: []string{"bEARER " + extractJWTLike}, want: extractJWTLike},
		{name: "b64token padding", values: []string{"Bearer abc+/=="}, want: "abc+/=="},
		{name: "no header", wantErr: ErrMissingToken},
		{name: "empty header", values: []string{""}, wantErr: ErrMissingToken},
		{name: "basic scheme", values: []string{"Basic dXNlcjpwYXNz"}, wantErr: ErrMissingToken},
		{name: "longer scheme name", values: []string{"Bearerish " + extractJWTLike}, wantErr: ErrMissingToken},
		{name: "short value", values: []string{"Bea"}, wantErr: ErrMissingToken},
		{name: "scheme without token", values: []string{"Bearer"}, wantErr: ErrMalformed},
		{name: "scheme and space only", values: []string{"Bearer "}, wantErr: ErrMalformed},
		{name: "two spaces", values: []string{"Bearer  " + extractJWTLike}, wantErr: ErrMalformed},
		{name: "tab separator", values: []string{"Bearer\t" + extractJWTLike}, wantErr: ErrMalformed},
		{name: "two tokens", values: []string{"Bearer " + extractJWTLike + " " + extractJWTLike}, wantErr: ErrMalformed},
		{name: "trailing space", values: []string{"Bearer " + extractJWTLike + " "}, wantErr: ErrMalformed},
		{name: "control character", values: []string{"Bearer abc\x00def"}, wantErr: ErrMalformed},
		{name: "comma joined duplicates", values: []string{"Bearer a, Bearer b"}, wantErr: ErrMalformed},
		{name: "padding in the middle", values: []string{"Bearer ab=cd"}, wantErr: ErrMalformed},
		{name: "only padding", values: []string{"Bearer =="}, wantErr: ErrMalformed},
		{name: "non-ASCII", values: []string{"Bearer tök"}, wantErr: ErrMalformed},
		{name: "repeated header", values: []string{"Bearer " + extractJWTLike, "Bearer " + extractJWTLike}, wantErr: ErrMalformed},
		{name: "too long", values: []string{"Bearer " + strings.Repeat("a", MaxTokenLength+1)}, wantErr: ErrMalformed},
		{name: "longest accepted", values: []string{"Bearer " + strings.Repeat("a", MaxTokenLength)}, want: strings.Repeat("a", MaxTokenLength)},
		{name: "custom header takes the whole value", source: FromHeader("x-api-token"), values: []string{extractJWTLike}, want: extractJWTLike},
		{name: "custom header rejects a scheme", source: FromHeader("X-Api-Token"), values: []string{"Bearer " + extractJWTLike}, wantErr: ErrMalformed},
		{name: "proxy authorization uses the scheme", source: FromHeader("proxy-authorization"), values: []string{"Bearer " + extractJWTLike}, want: extractJWTLike},
		{name: "lower-case authorization", source: FromHeader("authorization"), values: []string{"Bearer " + extractJWTLike}, want: extractJWTLike},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			for _, v := range tt.values {
				r.Header.Add(tt.source.headerName(), v)
			}
			got, err := tt.source.Extract(r)
			checkExtract(t, got, err, tt.want, tt.wantErr)
			for _, v := range tt.values {
				if err != nil && len(v) > 3 && strings.Contains(err.Error(), v) {
					t.Errorf("error %q contains the header value", err)
				}
			}
		})
	}
}

// checkExtract compares an extraction result with the wanted token or
// reason, and checks the status and RFC 6750 code of the error.
func checkExtract(t *testing.T, got string, err error, want string, wantErr error) {
	t.Helper()
	if wantErr == nil {
		if err != nil || got != want {
			t.Fatalf("Extract = %q, %v; want %q, nil", got, err, want)
		}
		return
	}
	if !errors.Is(err, wantErr) {
		t.Fatalf("Extract err = %v, want %v", err, wantErr)
	}
	if got != "" {
		t.Errorf("Extract token = %q alongside an error, want empty", got)
	}
	var ae *Error
	if !errors.As(err, &ae) {
		t.Fatalf("Extract err is %T, want *Error", err)
	}
	wantStatus, wantCode := http.StatusUnauthorized, ""
	if wantErr == ErrMalformed {
		wantStatus, wantCode = http.StatusBadRequest, "invalid_request"
	}
	if ae.Status != wantStatus || ae.Code != wantCode {
		t.Errorf("status, code = %d, %q; want %d, %q", ae.Status, ae.Code, wantStatus, wantCode)
	}
}

func TestExtractCookie(t *testing.T) {
	tests := []struct {
		name    string
		cookie  string // raw Cookie header
		want    string
		wantErr error
	}{
		{name: "cookie", cookie: "session=" + extractJWTLike, want: extractJWTLike},
		{name: "among others", cookie: "a=1; session=" + extractJWTLike + "; b=2", want: extractJWTLike},
		{name: "quoted", cookie: `session="` + extractJWTLike + `"`, want: extractJWTLike},
		{name: "absent", cookie: "other=" + extractJWTLike, wantErr: ErrMissingToken},
		{name: "no cookie header", wantErr: ErrMissingToken},
		{name: "empty", cookie: "session=", wantErr: ErrMissingToken},
		{name: "bad characters", cookie: "session=a%20b", wantErr: ErrMalformed},
		{name: "bearer prefix is not stripped", cookie: `session="Bearer ` + extractJWTLike + `"`, wantErr: ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			if tt.cookie != "" {
				r.Header.Set("Cookie", tt.cookie)
			}
			got, err := FromCookie("session").Extract(r)
			checkExtract(t, got, err, tt.want, tt.wantErr)
		})
	}
}

func TestExtractFromRequest(t *testing.T) {
	custom := errors.New("query parameter repeated")
	tests := []struct {
		name    string
		fn      func(*http.Request) (string, error)
		want    string
		wantErr error
	}{
		{name: "token", fn: func(r *http.Request) (string, error) { return r.URL.Query().Get("access_token"), nil }, want: extractJWTLike},
		{name: "empty is missing", fn: func(*http.Request) (string, error) { return "", nil }, wantErr: ErrMissingToken},
		{name: "missing sentinel", fn: func(*http.Request) (string, error) { return "", ErrMissingToken }, wantErr: ErrMissingToken},
		{name: "other error", fn: func(*http.Request) (string, error) { return "", custom }, wantErr: custom},
		{name: "returned token is checked", fn: func(*http.Request) (string, error) { return "a b", nil }, wantErr: ErrMalformed},
		{name: "nil function", wantErr: ErrMissingToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/?access_token="+extractJWTLike, nil)
			got, err := FromRequest(tt.fn).Extract(r)
			if tt.wantErr == custom {
				if !errors.Is(err, custom) || !errors.Is(err, ErrMalformed) {
					t.Fatalf("err = %v, want both the cause and ErrMalformed", err)
				}
				return
			}
			checkExtract(t, got, err, tt.want, tt.wantErr)
		})
	}
}

func TestZeroTokenSourceReadsAuthorization(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Authorization", "Bearer "+extractJWTLike)
	got, err := TokenSource{}.Extract(r)
	checkExtract(t, got, err, extractJWTLike, nil)
}

// extractErrorTexts are the only texts extraction errors may have: fixed
// strings, so no input ever reaches an error message.
var extractErrorTexts = map[string]bool{
	ErrMissingToken.Error(): true,
	ErrMalformed.Error() + ": " + errMalformedCredentials.Error(): true,
	ErrMalformed.Error() + ": " + errRepeatedHeader.Error():       true,
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"Bearer " + extractJWTLike, "bearer abc", "Bearer", "Bearer ", "Basic x", "Bearer a b",
		"Bearer \x00", "Bearer ==", "Bearer a==", "Bearer a=b", "Bearerx", "BEARER\tx", "",
	} {
		f.Add(s, "session="+s)
	}
	f.Fuzz(func(t *testing.T, authz, cookie string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header["Authorization"] = []string{authz}
		r.Header["Cookie"] = []string{cookie}
		for _, src := range []TokenSource{{}, FromHeader("X-Token"), FromCookie("session")} {
			if src.kind == tokenInHeader {
				r.Header["X-Token"] = []string{authz}
			}
			tok, err := src.Extract(r)
			if err != nil {
				if !errors.Is(err, ErrMissingToken) && !errors.Is(err, ErrMalformed) {
					t.Fatalf("err = %v, want ErrMissingToken or ErrMalformed", err)
				}
				if !extractErrorTexts[err.Error()] {
					t.Fatalf("unexpected error text %q", err.Error())
				}
				continue
			}
			if tok == "" || len(tok) > MaxTokenLength {
				t.Fatalf("accepted a token of length %d", len(tok))
			}
			if strings.IndexFunc(tok, func(c rune) bool { return c <= ' ' || c >= 0x7f || c == '"' || c == ',' || c == ';' }) >= 0 {
				t.Fatalf("accepted token %q with a separator or control character", tok)
			}
			if src.kind == tokenInAuthorization && !strings.EqualFold(authz, "Bearer "+tok) {
				t.Fatalf("token %q from header %q", tok, authz)
			}
			if src.kind == tokenInHeader && tok != authz {
				t.Fatalf("token %q from custom header %q", tok, authz)
			}
		}
	})
}

func TestB64TokenCharTable(t *testing.T) {
	for c := 0; c < 256; c++ {
		want := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~+/", byte(c)) >= 0
		if got := isB64TokenChar(byte(c)); got != want {
			t.Errorf("isB64TokenChar(%#x) = %v, want %v", c, got, want)
		}
	}
}
