//go:build unix

package secrets

import (
	"syscall"
	"time"
)

// processCPU returns the user+system CPU time of this process so far.
// Benchmarks report it per op ("cpu-ns/op") next to wall time because the
// machines they run on are often shared: CPU time per op is far less
// sensitive to other processes than wall time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
