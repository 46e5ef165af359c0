//go:build unix

package redact

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime returns the CPU time used by the process so far. On a shared
// machine wall-clock ns/op mostly measures the other tenants; CPU time per
// operation is the figure to compare.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds cpu-ns/op (and cpu-MB/s when bytes > 0) to b, given the
// CPU time at the start of the loop.
func reportCPU(b *testing.B, start time.Duration, bytes int) {
	b.Helper()
	d := cpuTime() - start
	if d <= 0 || b.N == 0 {
		return
	}
	per := float64(d.Nanoseconds()) / float64(b.N)
	b.ReportMetric(per, "cpu-ns/op")
	if bytes > 0 {
		b.ReportMetric(float64(bytes)/per*1e3, "cpu-MB/s")
	}
}
