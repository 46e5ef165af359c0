//go:build unix

package auth

import (
	"syscall"
	"testing"
	"time"
)

// measureCPU starts measuring the process's CPU time (user and system);
// the function it returns reports it per operation as cpu-ns/op. On a
// shared, loaded machine wall time mostly measures the wait for a core,
// which CPU time leaves out. Call it right before the benchmark loop and
// the returned function right after it.
func measureCPU(b *testing.B) func() {
	start := processCPU()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
