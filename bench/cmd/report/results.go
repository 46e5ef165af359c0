package main

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Fnshield is the implementation name every other one is compared with.
const Fnshield = "fnshield"

// Units the report reads from benchmark lines.
const (
	unitNs     = "ns/op"
	unitBytes  = "B/op"
	unitAllocs = "allocs/op"
	unitMBs    = "MB/s"
)

// Result is one benchmark of one implementation, with the median of each
// metric over the runs.
type Result struct {
	Area string // the benchmark function without "Benchmark": Auth, Redact...
	Case string // the sub-benchmark path between area and implementation
	Impl string // the last element of the name: fnshield or a peer
	Runs int
	// Median maps a unit (ns/op, B/op, allocs/op, MB/s) to its median.
	Median map[string]float64
}

// Ratio compares fnshield with one peer on one case: fnshield's median
// ns/op divided by the peer's, from the same run.
type Ratio struct {
	Area, Case, Peer string
	Value            float64
}

// procsSuffix is the "-N" GOMAXPROCS suffix go test appends to names.
var procsSuffix = regexp.MustCompile(`-\d+$`)

// sample is one benchmark line.
type sample struct {
	name    string
	metrics map[string]float64
}

// parseLines reads the benchmark lines of go test -bench output. Other
// lines (goos, PASS, log output) are skipped. A line whose metrics cannot
// be read is an error: silently dropping it would bias the medians.
func parseLines(r io.Reader) ([]sample, error) {
	var out []sample
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue // "BenchmarkX" alone, as printed before a sub-benchmark's result
		}
		if len(f)%2 != 0 {
			return nil, fmt.Errorf("line %d: odd number of value/unit fields", line)
		}
		s := sample{name: procsSuffix.ReplaceAllString(strings.TrimPrefix(f[0], "Benchmark"), ""), metrics: map[string]float64{}}
		for i := 2; i < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("line %d: metric %q: %w", line, f[i+1], err)
			}
			s.metrics[f[i+1]] = v
		}
		if _, ok := s.metrics[unitNs]; !ok {
			return nil, fmt.Errorf("line %d: no %s", line, unitNs)
		}
		out = append(out, s)
	}
	return out, sc.Err()
}

// aggregate groups samples by name and takes the median of each metric.
// Names must have at least three elements, area/case/impl; others are
// reported as an error so that a badly named benchmark is not lost.
func aggregate(samples []sample) ([]Result, error) {
	byName := map[string][]sample{}
	var order []string
	for _, s := range samples {
		if _, ok := byName[s.name]; !ok {
			order = append(order, s.name)
		}
		byName[s.name] = append(byName[s.name], s)
	}
	var out []Result
	for _, name := range order {
		parts := strings.Split(name, "/")
		if len(parts) < 3 {
			return nil, fmt.Errorf("benchmark %q: want Area/case.../implementation", name)
		}
		r := Result{
			Area:   parts[0],
			Case:   strings.Join(parts[1:len(parts)-1], "/"),
			Impl:   parts[len(parts)-1],
			Runs:   len(byName[name]),
			Median: map[string]float64{},
		}
		units := map[string][]float64{}
		for _, s := range byName[name] {
			for u, v := range s.metrics {
				units[u] = append(units[u], v)
			}
		}
		for u, vs := range units {
			r.Median[u] = median(vs)
		}
		out = append(out, r)
	}
	// Benchmarks may run one implementation through several cases before
	// the next: order by area, then case, as each first appeared, keeping
	// the implementations' order within a case.
	areaRank, caseRank := map[string]int{}, map[[2]string]int{}
	for _, r := range out {
		if _, ok := areaRank[r.Area]; !ok {
			areaRank[r.Area] = len(areaRank)
		}
		if _, ok := caseRank[[2]string{r.Area, r.Case}]; !ok {
			caseRank[[2]string{r.Area, r.Case}] = len(caseRank)
		}
	}
	slices.SortStableFunc(out, func(a, b Result) int {
		if d := areaRank[a.Area] - areaRank[b.Area]; d != 0 {
			return d
		}
		return caseRank[[2]string{a.Area, a.Case}] - caseRank[[2]string{b.Area, b.Case}]
	})
	return out, nil
}

// median returns the median of vs (the mean of the middle two for an even
// count). vs is sorted in place.
func median(vs []float64) float64 {
	slices.Sort(vs)
	n := len(vs)
	if n%2 == 1 {
		return vs[n/2]
	}
	return (vs[n/2-1] + vs[n/2]) / 2
}

// ratios pairs each case's fnshield result with every other
// implementation of the same case, in result order.
func ratios(results []Result) []Ratio {
	fn := map[[2]string]Result{}
	for _, r := range results {
		if r.Impl == Fnshield {
			fn[[2]string{r.Area, r.Case}] = r
		}
	}
	var out []Ratio
	for _, r := range results {
		f, ok := fn[[2]string{r.Area, r.Case}]
		if r.Impl == Fnshield || !ok || r.Median[unitNs] <= 0 {
			continue
		}
		out = append(out, Ratio{Area: r.Area, Case: r.Case, Peer: r.Impl, Value: f.Median[unitNs] / r.Median[unitNs]})
	}
	return out
}
