package redact

import (
	"math/rand/v2"
	"testing"
)

// overlapsLinear is the plain reference for overlapsRuns.
func overlapsLinear(fs []finding, st, en int) bool {
	for _, f := range fs {
		if st < f.end && f.start < en {
			return true
		}
	}
	return false
}

func TestOverlapsRunsMatchesLinear(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 5))
	for range 2000 {
		var fs []finding
		runs := []int{0}
		for range 1 + rnd.IntN(4) {
			pos := rnd.IntN(8)
			for range rnd.IntN(30) {
				st := pos + rnd.IntN(6)
				en := st + 1 + rnd.IntN(6)
				fs = append(fs, finding{start: st, end: en})
				pos = en
			}
			runs = append(runs, len(fs))
		}
		runs = runs[:len(runs)-1] // the last run is open-ended
		for range 20 {
			st := rnd.IntN(80)
			en := st + 1 + rnd.IntN(8)
			if got, want := overlapsRuns(fs, runs, st, en), overlapsLinear(fs, st, en); got != want {
				t.Fatalf("overlapsRuns(%v, %v, %d, %d) = %v, want %v", fs, runs, st, en, got, want)
			}
		}
	}
}

// A value repeated thousands of times is still replaced everywhere
// (BenchmarkString/attacker_64KiB_repeated_secret measures the cost, which
// the binary search keeps from growing with the square of the repeats).
func TestSweepRepeatedValue(t *testing.T) {
	r := New()
	in := ""
	for range 3641 {
		in += "password=abcdefgh "
	}
	out := r.String(in)
	if want := "password=[REDACTED:password] "; out[:len(want)] != want || len(out) != 3641*len(want) {
		t.Fatalf("String of repeats = %q...", out[:64])
	}
}
