package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fnshield/fnshield/internal/testtool"
)

// Bounds on the emulator tests, so that a hung function fails the test
// rather than the whole run.
const (
	startTimeout  = 20 * time.Second // the emulator listening
	invokeTimeout = 30 * time.Second // one invocation
)

// binDir holds the example binaries, built once per test binary.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "fnshield-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// repoRoot is the module root, two levels above this package.
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found: %v", err)
	}
	return root
}

var builds sync.Map // example name → *build

type build struct {
	once sync.Once
	path string
	err  error
}

// bootstrap builds examples/<name> into a bootstrap binary, the way the
// provided.al2023 runtime expects it, once per test binary.
func bootstrap(t testing.TB, name string) string {
	t.Helper()
	v, _ := builds.LoadOrStore(name, &build{})
	b := v.(*build)
	b.once.Do(func() {
		b.path = filepath.Join(binDir, name, "bootstrap")
		// The build settings of the test binary itself (no CGO_ENABLED=0,
		// unlike the Makefiles' cross-builds), so that the standard library
		// and the dependencies come from the build cache.
		cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", b.path, "./examples/"+name)
		cmd.Dir = repoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build ./examples/%s: %v\n%s", name, err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

// emulatorPath returns the emulator's path, or skips t (fails under CI).
func emulatorPath(t testing.TB) string {
	t.Helper()
	rie := testtool.Require(t, "aws-lambda-rie", "run 'make tools' to build it into .bin/")
	if testing.Short() {
		t.Skip("skipping the emulator tests in -short mode")
	}
	return rie
}

// function is a compiled example running under the emulator.
type function struct {
	url  string      // the invocation endpoint
	logs *syncBuffer // everything the emulator and the function printed
}

// startFunction runs bin under the emulator with env added to the test's
// environment, and stops it when the test ends.
func startFunction(t *testing.T, bin string, env ...string) *function {
	t.Helper()
	rie := emulatorPath(t)
	invokeAddr, runtimeAddr := freeAddr(t), freeAddr(t)
	logs := &syncBuffer{}
	cmd := exec.Command(rie,
		"--runtime-interface-emulator-address", invokeAddr,
		"--runtime-api-address", runtimeAddr,
		bin)
	cmd.Env = append(os.Environ(), "AWS_LAMBDA_FUNCTION_TIMEOUT=30", "AWS_REGION=eu-west-3", "LOG_LEVEL=error")
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the emulator: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
		if t.Failed() {
			t.Logf("emulator output:\n%s", logs.String())
		}
	})
	deadline := time.Now().Add(startTimeout)
	for {
		c, err := net.DialTimeout("tcp", invokeAddr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		select {
		case <-done:
			t.Fatalf("the emulator exited before listening:\n%s", logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the emulator did not listen on %s within %v: %v", invokeAddr, startTimeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return &function{url: "http://" + invokeAddr + "/2015-03-31/functions/function/invocations", logs: logs}
}

// invoke sends event (marshalled to JSON) and returns the function's raw
// result: the response document, or an error document
// {"errorMessage": …, "errorType": …}.
func (f *function) invoke(t *testing.T, event any) []byte {
	t.Helper()
	payload, err := json.Marshal(event)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), invokeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.url, bytes.NewReader(payload))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("invoke: %v", err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 6<<20)) // Lambda's response limit
	if err != nil {
		t.Fatalf("read the invocation result: %v", err)
	}
	return out
}

// invokeInto invokes the function and decodes its result into out, failing
// the test if the function returned an error.
func (f *function) invokeInto(t *testing.T, event, out any) {
	t.Helper()
	raw := f.invoke(t, event)
	var fail lambdaError
	if json.Unmarshal(raw, &fail) == nil && fail.ErrorMessage != "" {
		t.Fatalf("the function returned an error: %s", raw)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("decode the invocation result %s: %v", raw, err)
	}
}

// lambdaError is the document a handler's error becomes.
type lambdaError struct {
	ErrorMessage string `json:"errorMessage"`
	ErrorType    string `json:"errorType"`
}

// waitForLog waits until the function's output contains want: log lines
// reach the emulator's stdout shortly after the invocation returns.
func (f *function) waitForLog(t *testing.T, want string) string {
	t.Helper()
	return f.waitForLogs(t, want, 1)
}

// waitForLogs waits until the function's output contains want n times.
func (f *function) waitForLogs(t *testing.T, want string, n int) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		out := f.logs.String()
		if strings.Count(out, want) >= n {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("the function's output has %q fewer than %d times:\n%s", want, n, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// assertNoLeak fails t if the function's output contains any of secrets.
func (f *function) assertNoLeak(t *testing.T, secrets ...string) {
	t.Helper()
	out := f.logs.String()
	for _, s := range secrets {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("the function's output leaks %.12q…", s)
		}
	}
}

func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// syncBuffer collects output written from the emulator's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
