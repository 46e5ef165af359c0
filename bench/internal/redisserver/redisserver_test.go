package redisserver

import (
	"os"
	"testing"
	"time"
)

func TestStartServesAndStops(t *testing.T) {
	var addr string
	t.Run("server", func(t *testing.T) {
		addr = Start(t)
		if err := ping(addr, time.Second); err != nil {
			t.Fatalf("ping %s: %v", addr, err)
		}
	})
	if addr == "" || os.Getenv("REDIS_ADDR") != "" {
		return
	}
	if err := ping(addr, 200*time.Millisecond); err == nil {
		t.Fatalf("redis-server on %s still answers after its test ended", addr)
	}
}

func TestPingRejectsClosedPort(t *testing.T) {
	if err := ping("127.0.0.1:1", 200*time.Millisecond); err == nil {
		t.Fatal("ping of a closed port succeeded")
	}
}
