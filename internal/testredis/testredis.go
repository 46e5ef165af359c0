// Package testredis gives a test the address of a real Redis server.
//
// With REDIS_ADDR set, that server is used as it is. Otherwise Start runs
// redis-server on a free loopback port, without persistence, and stops it
// when the test ends. Without redis-server the test is skipped, or fails
// under CI=true (see internal/testtool).
package testredis

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

	"github.com/fnshield/fnshield/internal/testtool"
)

// Start returns the host:port of a Redis server that accepts commands.
func Start(t testing.TB) string {
	t.Helper()
	if addr := os.Getenv("REDIS_ADDR"); addr != "" {
		if err := ping(addr, 2*time.Second); err != nil {
			testtool.Unavailable(t, fmt.Sprintf("REDIS_ADDR=%s does not answer PING: %v", addr, err))
		}
		return addr
	}
	bin := testtool.Require(t, "redis-server", "install it with: apt-get install redis-server, or set REDIS_ADDR")
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		addr, err := startOnce(t, bin)
		if err == nil {
			return addr
		}
		lastErr = err
	}
	t.Fatalf("testredis: could not start redis-server: %v", lastErr)
	return ""
}

func startOnce(t testing.TB, bin string) (string, error) {
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
		"--dir", t.TempDir(),
	)
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			// Exited early: most often the port was taken in between.
			return "", fmt.Errorf("redis-server exited (%v): %s", err, out.String())
		default:
		}
		if ping(addr, 200*time.Millisecond) == nil {
			t.Cleanup(func() {
				_ = cmd.Process.Kill()
				<-done
			})
			return addr, nil
		}
		time.Sleep(20 * time.Millisecond)
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
