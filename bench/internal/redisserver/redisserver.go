// Package redisserver gives a benchmark or test of the bench module the
// address of a real Redis server. It does what fnshield's internal/testredis
// does, which another module cannot import.
//
// With REDIS_ADDR set, that server is used as it is. Otherwise Start runs
// redis-server on a free loopback port, without persistence, and stops it
// when the test or benchmark ends. Without redis-server, the caller is
// skipped, or fails when CI=true, since CI installs redis-server.
package redisserver

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// Start returns the host:port of a Redis server that answers PING.
func Start(tb testing.TB) string {
	tb.Helper()
	if addr := os.Getenv("REDIS_ADDR"); addr != "" {
		if err := ping(addr, 2*time.Second); err != nil {
			unavailable(tb, fmt.Sprintf("REDIS_ADDR=%s does not answer PING: %v", addr, err))
		}
		return addr
	}
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		unavailable(tb, "redis-server is not installed (apt-get install redis-server), or set REDIS_ADDR")
	}
	var lastErr error
	for range 5 {
		addr, err := startOnce(tb, bin)
		if err == nil {
			return addr
		}
		lastErr = err
	}
	tb.Fatalf("redisserver: could not start redis-server: %v", lastErr)
	return ""
}

// unavailable skips tb, or fails it under CI=true.
func unavailable(tb testing.TB, why string) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatal(why)
	}
	tb.Skip(why)
}

// startOnce starts redis-server on a port that was free a moment ago; it
// fails if another process took the port in between.
func startOnce(tb testing.TB, bin string) (string, error) {
	port, err := freePort()
	if err != nil {
		return "", err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	var out bytes.Buffer
	cmd := exec.Command(bin,
		"--port", strconv.Itoa(port),
		"--bind", "127.0.0.1",
		"--save", "",
		"--appendonly", "no",
		"--dir", tb.TempDir(),
	)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			return "", fmt.Errorf("redis-server exited (%v): %s", err, out.String())
		default:
		}
		if ping(addr, 200*time.Millisecond) == nil {
			tb.Cleanup(func() {
				_ = cmd.Process.Kill()
				<-done
			})
			return addr, nil
		}
		time.Sleep(20 * time.Millisecond) // polling a child process: no clock to inject
	}
	_ = cmd.Process.Kill()
	<-done
	return "", fmt.Errorf("redis-server on %s did not answer within 10s: %s", addr, out.String())
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// ping sends an inline PING and expects +PONG.
func ping(addr string, timeout time.Duration) error {
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(timeout))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if line != "+PONG\r\n" {
		return fmt.Errorf("unexpected reply %q", line)
	}
	return nil
}
