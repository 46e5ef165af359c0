package secrets

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// recordingProvider answers every name with "<tag>:<name>".
type recordingProvider struct{ tag string }

func (p recordingProvider) Fetch(_ context.Context, name string) ([]byte, error) {
	return []byte(p.tag + ":" + name), nil
}

func TestRoute(t *testing.T) {
	r, err := Route(map[string]Provider{
		"sm:":      recordingProvider{"sm"},
		"ssm:":     recordingProvider{"ssm"},
		"ssm:/db/": recordingProvider{"ssm-db"},
		"env:":     Env("ROUTE_TEST_"),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("ROUTE_TEST_PROD_API", "from-env")
	tests := []struct {
		name, secret string
		want         string
		wantErr      error
	}{
		{"secrets manager", "sm:prod/db#AWSPREVIOUS", "sm:prod/db#AWSPREVIOUS", nil},
		{"parameter store", "ssm:/prod/key", "ssm:/prod/key", nil},
		{"longest prefix wins", "ssm:/db/password", "ssm-db:password", nil},
		{"env", "env:prod/api", "from-env", nil},
		{"env missing", "env:prod/none", "", ErrNotFound},
		{"no prefix", "prod/db", "", ErrInvalidName},
		{"prefix only", "sm:", "", ErrInvalidName},
		{"prefix is case-sensitive", "SM:prod/db", "", ErrInvalidName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Fetch(context.Background(), tt.secret)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Fetch(%q) error = %v, want %v", tt.secret, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Fetch(%q): %v", tt.secret, err)
			}
			if string(got) != tt.want {
				t.Errorf("Fetch(%q) = %q, want %q", tt.secret, got, tt.want)
			}
		})
	}
}

func TestRouteDefault(t *testing.T) {
	r, err := Route(map[string]Provider{"": recordingProvider{"default"}, "env:": recordingProvider{"env"}})
	if err != nil {
		t.Fatal(err)
	}
	for secret, want := range map[string]string{
		"prod/db":  "default:prod/db",
		"env:x":    "env:x",
		"envy:x":   "default:envy:x",
		"sm:other": "default:sm:other",
	} {
		if got, err := r.Fetch(context.Background(), secret); err != nil || string(got) != want {
			t.Errorf("Fetch(%q) = %q, %v; want %q", secret, got, err, want)
		}
	}
}

// TestRouteOneCache checks that one Cache serves every route with its own
// entries, and that errors name the full name.
func TestRouteOneCache(t *testing.T) {
	sm := newCounting(func(_ context.Context, name string, _ int) ([]byte, error) { return []byte("sm-" + name), nil })
	ssm := newCounting(func(_ context.Context, name string, _ int) ([]byte, error) { return []byte("ssm-" + name), nil })
	r, err := Route(map[string]Provider{"sm:": sm, "ssm:": ssm})
	if err != nil {
		t.Fatal(err)
	}
	c := New(r)
	for range 3 {
		if got := mustGet(t, c, "sm:db"); got != "sm-db" {
			t.Fatalf("sm:db = %q", got)
		}
		if got := mustGet(t, c, "ssm:db"); got != "ssm-db" {
			t.Fatalf("ssm:db = %q", got)
		}
	}
	if sm.n("db") != 1 || ssm.n("db") != 1 {
		t.Errorf("fetches sm=%d ssm=%d, want 1 each", sm.n("db"), ssm.n("db"))
	}
	_, err = c.Get(context.Background(), "vault:db")
	if !errors.Is(err, ErrInvalidName) || !strings.Contains(err.Error(), `"vault:db"`) {
		t.Errorf("unrouted name: err = %v, want ErrInvalidName naming vault:db", err)
	}
}

func TestRouteInvalid(t *testing.T) {
	ok := recordingProvider{"ok"}
	tests := []struct {
		name   string
		routes map[string]Provider
	}{
		{"no routes", nil},
		{"nil provider", map[string]Provider{"sm:": ok, "ssm:": nil}},
		{"control character", map[string]Provider{"sm\n:": ok}},
		{"invalid UTF-8", map[string]Provider{"sm\xff:": ok}},
		{"too long", map[string]Provider{strings.Repeat("p", MaxNameLen+1): ok}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r, err := Route(tt.routes); !errors.Is(err, ErrInvalidOption) || r != nil {
				t.Errorf("Route = %v, %v; want nil, ErrInvalidOption", r, err)
			}
		})
	}
}

// FuzzRoute checks that a name goes to the provider of the longest prefix
// it starts with, without that prefix, and that nothing else is routed.
func FuzzRoute(f *testing.F) {
	prefixes := []string{"", "s", "sm:", "ssm:", "ssm:/a/", "é:"}
	routes := map[string]Provider{}
	for _, p := range prefixes {
		routes[p] = recordingProvider{"<" + p + ">"}
	}
	withDefault, err := Route(routes)
	if err != nil {
		f.Fatal(err)
	}
	delete(routes, "")
	noDefault, err := Route(routes)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"sm:db", "ssm:/a/b", "ssm:/a/", "s", "", "x", "é:z", "ssm:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		for _, r := range []*Router{withDefault, noDefault} {
			best := -1
			for i, p := range prefixes {
				if (r == withDefault || p != "") && strings.HasPrefix(name, p) && (best < 0 || len(p) > len(prefixes[best])) {
					best = i
				}
			}
			got, err := r.Fetch(context.Background(), name)
			switch {
			case best < 0 || len(name) == len(prefixes[best]):
				if !errors.Is(err, ErrInvalidName) {
					t.Fatalf("Fetch(%q) = %q, %v; want ErrInvalidName", name, got, err)
				}
			case err != nil:
				t.Fatalf("Fetch(%q): %v", name, err)
			default:
				p := prefixes[best]
				if want := "<" + p + ">:" + name[len(p):]; string(got) != want {
					t.Fatalf("Fetch(%q) = %q, want %q", name, got, want)
				}
			}
		}
	})
}
