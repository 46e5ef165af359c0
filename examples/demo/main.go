// Command demo shows fnshield at work on embedded defaults: nothing to
// install, no cloud account, no network beyond loopback.
//
//	make demo                      # or: go run ./examples/demo
//	make demo ARGS=-tour-only      # the scripted tour only, then exit
//	make demo ARGS='-addr 127.0.0.1:9090'
//
// It serves, on 127.0.0.1:8080:
//
//   - a DEVELOPMENT-ONLY OpenID Connect issuer: discovery, its JWK Set, and
//     GET /dev/token?scope=orders:write minting 15-minute tokens for callers
//     on this machine; its Ed25519 signing key is read through a
//     secrets.Cache, from FNSHIELD_DEMO_SIGNING_KEY (a base64 32-byte seed)
//     or else from a secrets.Static key made for the run;
//   - an orders API, POST /orders and GET /orders/{id}, guarded by
//     auth.Middleware (scope orders:write to place an order), with POST
//     bodies checked by validate.Middleware against order.schema.json;
//   - one JSON log line per request, and one per order received, on stdout
//     through redact.NewHandler: tokens, emails and card numbers are
//     redacted.
//
// It first runs a scripted tour against that server (forged, expired and
// under-scoped tokens, a good one, the same verifier around a Lambda
// handler), then prints curl commands to try and serves until interrupted.
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/fnshield/fnshield/auth"
	"github.com/fnshield/fnshield/redact"
	"github.com/fnshield/fnshield/secrets"
)

func main() {
	var o options
	flag.StringVar(&o.addr, "addr", "127.0.0.1:8080", "loopback `host:port` to serve on (port 0 picks a free one)")
	flag.BoolVar(&o.tourOnly, "tour-only", false, "run the scripted tour and exit, without serving (for tests and CI)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout, o); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// options are the demo's command-line flags.
type options struct {
	addr     string
	tourOnly bool
}

// signingKeyName is the secret holding the dev issuer's key, read from
// FNSHIELD_DEMO_SIGNING_KEY when that is set.
const (
	signingKeyName      = "demo/signing-key"
	signingKeyEnvPrefix = "FNSHIELD_"
)

// run starts the server, runs the tour and, unless o.tourOnly, serves until
// ctx is done.
func run(ctx context.Context, stdout io.Writer, o options) error {
	out := &lockedWriter{w: stdout} // the tour and the server's logs share it
	logger := slog.New(redact.NewHandler(slog.NewJSONHandler(out, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // shorter lines for the demo
			}
			return a
		},
	})))

	if err := checkLoopback(o.addr); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()

	fmt.Fprintf(out, "fnshield demo: everything runs on this machine, on embedded defaults.\n\n")
	keys, keySource := signingKeys()
	cache := secrets.New(keys)
	seedText, err := cache.Get(ctx, signingKeyName)
	if err != nil {
		ln.Close()
		return err
	}
	seed, err := base64.StdEncoding.DecodeString(string(seedText.Reveal()))
	if err != nil {
		ln.Close()
		return errors.New("FNSHIELD_DEMO_SIGNING_KEY must be a base64-encoded 32-byte seed")
	}
	iss, err := newDevIssuer(base, seed, time.Now)
	if err != nil {
		ln.Close()
		return err
	}

	mux := http.NewServeMux()
	iss.register(mux)
	srv := &http.Server{Handler: accessLog(logger, time.Now, mux), ReadHeaderTimeout: 5 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() {
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
	}()

	// The verifier finds the issuer's keys by discovery, over HTTP, from
	// the server just started: exactly as it would from a real issuer.
	v, err := auth.New(ctx,
		auth.WithIssuer(base),
		auth.WithAudience(audience),
		auth.WithLogger(logger),
	)
	if err != nil {
		return err
	}
	a, err := newAPI(logger, time.Now)
	if err != nil {
		return err
	}
	a.routes(mux, v)

	t := &tour{out: out, base: base, iss: iss, verifier: v, api: a, client: &http.Client{Timeout: 10 * time.Second}}
	fmt.Fprintf(out, "The signing key of the development issuer came through a secrets.Cache, from %s;\nprinted with %%v it is %v.\n", keySource, seedText)
	if err := t.run(ctx); err != nil {
		return err
	}
	if o.tourOnly {
		return nil
	}
	printCurls(out, base)
	select {
	case <-ctx.Done():
		fmt.Fprintln(out, "\nInterrupted: shutting down.")
		return nil
	case err := <-served:
		return err
	}
}

// signingKeys returns the provider of the dev issuer's signing key and says
// where it reads it: the environment when FNSHIELD_DEMO_SIGNING_KEY is set
// (tokens then survive restarts), else a key made for this run.
func signingKeys() (secrets.Provider, string) {
	env := signingKeyEnvPrefix + secrets.EnvName(signingKeyName)
	if _, ok := os.LookupEnv(env); ok {
		return secrets.Env(signingKeyEnvPrefix), "the environment (" + env + ")"
	}
	seed := make([]byte, 32)
	_, _ = rand.Read(seed) // never fails (crypto/rand)
	return secrets.Static(map[string]string{signingKeyName: base64.StdEncoding.EncodeToString(seed)}),
		"secrets.Static (a key made for this run; set " + env + " to keep one)"
}

// checkLoopback refuses an address other than loopback: the development
// issuer mints tokens for whoever asks, so it must not be reachable from
// other machines.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr: want host:port: %w", err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return errors.New("-addr: the demo mints development tokens for anyone who can reach it, so it only listens on loopback (127.0.0.1, ::1 or localhost)")
}

// lockedWriter serializes writes from the tour and the server's handlers.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
