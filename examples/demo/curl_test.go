package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestPrintedCurlFlows builds the demo, starts it as `make demo` does (on a
// free port), and runs the curl commands it prints, with net/http: each
// command's comment announces a status, which it must get. Then the demo
// must stop cleanly on SIGINT, its log free of the order's personal data
// and of the token.
func TestPrintedCurlFlows(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the demo binary test in -short mode")
	}
	bin := filepath.Join(t.TempDir(), "demo")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	out := &transcript{ready: make(chan struct{})}
	copied := make(chan struct{})
	go func() { out.copyFrom(stdout); close(copied) }()
	exited := make(chan error, 1)
	go func() { <-copied; exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		if t.Failed() {
			t.Logf("demo output:\n%s\nstderr:\n%s", out.String(), stderr.String())
		}
	})
	select {
	case <-out.ready:
	case err := <-exited:
		t.Fatalf("the demo exited before serving: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the demo printed no curl commands within 30s")
	}

	flows := parseFlows(t, out.String())
	if len(flows) < 5 {
		t.Fatalf("found %d curl flows, want at least 5 (401, token, 201, 400, 429)", len(flows))
	}
	vars := map[string]string{}
	client := &http.Client{Timeout: 10 * time.Second}
	var seen []int
	for _, f := range flows {
		t.Run(f.comment, func(t *testing.T) {
			var statuses []int
			var last *http.Response
			var body string
			for range f.repeat {
				args, err := shellWords(f.command, vars)
				if err != nil {
					t.Fatalf("%s: %v", f.command, err)
				}
				last, body, err = runCurl(client, args)
				if err != nil {
					t.Fatalf("%s: %v", f.command, err)
				}
				statuses = append(statuses, last.StatusCode)
			}
			if f.assign != "" {
				if last.StatusCode != http.StatusOK {
					t.Fatalf("%s: status %d, want 200", f.command, last.StatusCode)
				}
				vars[f.assign] = strings.TrimSpace(body)
				return
			}
			if f.want == 0 {
				t.Fatalf("the comment %q announces no status", f.comment)
			}
			if got := statuses[len(statuses)-1]; got != f.want {
				t.Fatalf("statuses %v, want the last to be %d (body %s)", statuses, f.want, body)
			}
			if f.want == http.StatusTooManyRequests && last.Header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
			if f.want == http.StatusBadRequest && !strings.Contains(body, `"violations":[{"instancePath":`) {
				t.Errorf("400 body %s, want a problem document listing violations", body)
			}
			seen = append(seen, f.want)
		})
	}
	for _, want := range []int{401, 201, 400, 429} {
		if !strings.Contains(fmt.Sprint(seen), strconv.Itoa(want)) {
			t.Errorf("no printed flow showed %d (saw %v)", want, seen)
		}
	}

	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("the demo exited with %v on SIGINT, want success", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the demo did not stop within 10s of SIGINT")
	}
	// The log lines, not the printed commands, which carry the order.
	var logs strings.Builder
	for line := range strings.Lines(out.String()) {
		if strings.HasPrefix(line, "{") {
			logs.WriteString(line)
		}
	}
	if !strings.Contains(logs.String(), `"msg":"order received"`) {
		t.Error("the order placed by curl was not logged")
	}
	for _, leak := range []string{"jane.doe@example.com", "4111 1111 1111 1111", vars["TOKEN"]} {
		if leak != "" && strings.Contains(logs.String(), leak) {
			t.Errorf("the demo's output leaks %.16q…", leak)
		}
	}
}

// transcript collects the demo's stdout and signals when the curl commands
// have been printed.
type transcript struct {
	mu    sync.Mutex
	b     strings.Builder
	ready chan struct{}
	once  sync.Once
}

func (tr *transcript) copyFrom(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		tr.mu.Lock()
		tr.b.WriteString(sc.Text() + "\n")
		tr.mu.Unlock()
		if strings.HasPrefix(sc.Text(), "Request logs follow") {
			tr.once.Do(func() { close(tr.ready) })
		}
	}
}

func (tr *transcript) String() string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.b.String()
}

// flow is one printed command and the comment above it.
type flow struct {
	comment string
	want    int    // the status the comment announces, 0 if none
	assign  string // NAME for NAME=$(command)
	command string // a curl command line
	repeat  int    // for i in ...; do command; done
}

var (
	statusComment = regexp.MustCompile(`^# (\d{3})\b`)
	assignment    = regexp.MustCompile(`^([A-Z_]+)=\$\((curl .*)\)$`)
	loop          = regexp.MustCompile(`^for \w+ in ([0-9 ]+); do (curl .*); done$`)
)

// parseFlows reads the commands between "Try" and "Request logs follow".
func parseFlows(t *testing.T, out string) []flow {
	t.Helper()
	_, block, ok := strings.Cut(out, "Try, from another terminal:")
	if !ok {
		t.Fatal("no curl commands in the output")
	}
	block, _, _ = strings.Cut(block, "Request logs follow")
	var flows []flow
	var comment string
	for line := range strings.Lines(block) {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasPrefix(line, "#"):
			comment = line
		default:
			f := flow{comment: comment, command: line, repeat: 1}
			if m := statusComment.FindStringSubmatch(comment); m != nil {
				f.want, _ = strconv.Atoi(m[1])
			}
			if m := assignment.FindStringSubmatch(line); m != nil {
				f.assign, f.command = m[1], m[2]
			} else if m := loop.FindStringSubmatch(line); m != nil {
				f.repeat, f.command = len(strings.Fields(m[1])), m[2]
			} else if !strings.HasPrefix(line, "curl ") {
				t.Fatalf("unexpected printed command %q", line)
			}
			flows = append(flows, f)
			comment = ""
		}
	}
	return flows
}

// shellWords splits a command line as a POSIX shell would for the subset
// the demo prints: blanks, single quotes, double quotes and $NAME.
func shellWords(line string, vars map[string]string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == ' ' || c == '\t':
			if inWord {
				words, inWord = append(words, cur.String()), false
				cur.Reset()
			}
		case c == '\'':
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("unterminated single quote")
			}
			cur.WriteString(line[i+1 : i+1+j])
			i, inWord = i+1+j, true
		case c == '"':
			j := strings.IndexByte(line[i+1:], '"')
			if j < 0 {
				return nil, errors.New("unterminated double quote")
			}
			s, err := expand(line[i+1:i+1+j], vars)
			if err != nil {
				return nil, err
			}
			cur.WriteString(s)
			i, inWord = i+1+j, true
		case c == '\\':
			return nil, errors.New("backslashes are outside the subset")
		default:
			j := strings.IndexAny(line[i:], " \t'\"\\")
			if j < 0 {
				j = len(line) - i
			}
			s, err := expand(line[i:i+j], vars)
			if err != nil {
				return nil, err
			}
			cur.WriteString(s)
			i, inWord = i+j-1, true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

var variable = regexp.MustCompile(`\$[A-Z_]+`)

func expand(s string, vars map[string]string) (string, error) {
	var err error
	s = variable.ReplaceAllStringFunc(s, func(v string) string {
		val, ok := vars[v[1:]]
		if !ok {
			err = fmt.Errorf("%s is not set by an earlier command", v)
		}
		return val
	})
	return s, err
}

// runCurl performs the request a curl command line describes, for the
// options the demo prints: -s -i (no effect here), -X, -H, -d, -o, -w.
func runCurl(client *http.Client, args []string) (*http.Response, string, error) {
	if len(args) == 0 || args[0] != "curl" {
		return nil, "", errors.New("not a curl command")
	}
	method, url := "", ""
	var body io.Reader
	header := http.Header{}
	for i := 1; i < len(args); i++ {
		a := args[i]
		switch a {
		case "-s", "-i":
		case "-X", "-H", "-d", "-o", "-w":
			if i+1 == len(args) {
				return nil, "", fmt.Errorf("%s without a value", a)
			}
			i++
			switch a {
			case "-X":
				method = args[i]
			case "-H":
				k, v, ok := strings.Cut(args[i], ":")
				if !ok {
					return nil, "", fmt.Errorf("header %q without a colon", args[i])
				}
				header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
			case "-d":
				body = strings.NewReader(args[i])
				if method == "" {
					method = http.MethodPost
				}
			}
		default:
			if strings.HasPrefix(a, "-") || url != "" {
				return nil, "", fmt.Errorf("unexpected argument %q", a)
			}
			url = a
		}
	}
	if method == "" {
		method = http.MethodGet
	}
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		return nil, "", err
	}
	req.Header = header
	resp, err := client.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp, string(b), err
}

func TestShellWords(t *testing.T) {
	vars := map[string]string{"TOKEN": "abc"}
	tests := []struct {
		line    string
		want    []string
		wantErr bool
	}{
		{line: `curl -s 'a b' "c $TOKEN" d$TOKEN`, want: []string{"curl", "-s", "a b", "c abc", "dabc"}},
		{line: `curl -d '{"k":"v w"}'`, want: []string{"curl", "-d", `{"k":"v w"}`}},
		{line: `curl '$TOKEN'`, want: []string{"curl", "$TOKEN"}},
		{line: `curl "$OTHER"`, wantErr: true},
		{line: `curl 'open`, wantErr: true},
		{line: `curl a\ b`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			got, err := shellWords(tt.line, vars)
			if (err != nil) != tt.wantErr || fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.want) {
				t.Fatalf("shellWords = %q, %v; want %q (error %v)", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// The demo binary gets the test's environment; make sure a developer's own
// signing key does not change what the test sees.
func init() { os.Unsetenv("FNSHIELD_DEMO_SIGNING_KEY") }
