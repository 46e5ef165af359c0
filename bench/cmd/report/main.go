// Command report runs the peer benchmarks of the bench module and writes
// RESULTS.md and ratios.svg: machine, Go version, date, one table per area
// with medians and the ratio fnshield / peer from the same run, and a bar
// chart of the ratios.
//
// Run it from the bench directory (make bench does):
//
//	go run ./cmd/report                      # -count 6 -benchtime 200ms
//	go run ./cmd/report -bench 'Auth' -count 3
//
// It compiles each benchmark package's test binary once, then runs every
// binary once per round, for -count rounds, so that each implementation's
// samples are spread over the whole run and a burst of load from other
// processes falls on all of them alike. Medians are taken over the rounds.
// With -raw the benchmark output is also saved in go test's format, for
// benchstat, after a few "report-…: value" lines describing the run; -from
// renders a report from such a file without running anything.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

func main() {
	count := flag.Int("count", 6, "rounds: runs of each benchmark; medians are taken over them (at least 5 for a report)")
	benchtime := flag.String("benchtime", "200ms", "go test -benchtime for each run")
	bench := flag.String("bench", ".", "go test -bench regexp: which benchmarks to run")
	outDir := flag.String("out", ".", "directory for RESULTS.md and ratios.svg")
	raw := flag.String("raw", "", "also write the raw benchmark output to this file")
	from := flag.String("from", "", "render from this raw benchmark output instead of running")
	flag.Parse()
	if err := run(*count, *benchtime, *bench, *outDir, *raw, *from); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

func run(count int, benchtime, bench, outDir, rawPath, from string) error {
	if count < 1 {
		return fmt.Errorf("-count %d: want at least 1", count)
	}
	start := time.Now()
	info := machineInfo()
	info.Count, info.Benchtime, info.Start = count, benchtime, start.UTC()
	info.LoadStart = loadAverage()

	var raw []byte
	haveHeader := false
	if from != "" {
		b, err := os.ReadFile(from)
		if err != nil {
			return err
		}
		raw = b
		info.Count, info.Benchtime, info.LoadStart = 0, "", ""
		if haveHeader, err = readHeader(raw, &info); err != nil {
			return fmt.Errorf("%s: %w", from, err)
		}
	} else {
		b, err := runBenchmarks(count, benchtime, bench, &info.Failures)
		if err != nil {
			return err
		}
		raw = b
		info.LoadEnd = loadAverage()
		info.Elapsed = time.Since(start)
		if rawPath != "" {
			if err := os.WriteFile(rawPath, append(writeHeader(info), raw...), 0o644); err != nil {
				return err
			}
		}
	}
	samples, err := parseLines(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	results, err := aggregate(samples)
	if err != nil {
		return err
	}
	if len(results) == 0 {
		return fmt.Errorf("no benchmark results (-bench %q)", bench)
	}
	if from != "" && !haveHeader {
		for _, r := range results {
			info.Count = max(info.Count, r.Runs)
		}
	}
	versions, err := moduleVersions("go.mod")
	if err != nil {
		return fmt.Errorf("run from the bench directory: %w", err)
	}
	rs := ratios(results)
	var md bytes.Buffer
	writeMarkdown(&md, info, results, rs, versions)
	if err := os.WriteFile(filepath.Join(outDir, "RESULTS.md"), md.Bytes(), 0o644); err != nil {
		return err
	}
	var svg bytes.Buffer
	writeSVG(&svg, info, rs)
	if err := os.WriteFile(filepath.Join(outDir, "ratios.svg"), svg.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s and %s (%d results, %d ratios) in %s\n",
		filepath.Join(outDir, "RESULTS.md"), filepath.Join(outDir, "ratios.svg"), len(results), len(rs), info.Elapsed.Round(time.Second))
	return nil
}

// runBenchmarks compiles each package's test binary, then runs them all
// once per round and returns their combined output. A run that fails is
// added to failures and its output kept.
func runBenchmarks(count int, benchtime, bench string, failures *[]string) ([]byte, error) {
	tmp, err := os.MkdirTemp("", "fnshield-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	var pkgs []string
	for _, p := range packages {
		if _, err := os.Stat(p); err == nil {
			pkgs = append(pkgs, p)
		}
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("no benchmark packages here: run from the bench directory")
	}
	bins := map[string]string{}
	for _, p := range pkgs {
		bin := filepath.Join(tmp, p+".test")
		cmd := exec.Command("go", "test", "-c", "-o", bin, "./"+p)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("building %s: %w", p, err)
		}
		bins[p] = bin
	}

	var all bytes.Buffer
	for round := 1; round <= count; round++ {
		for _, p := range pkgs {
			t0 := time.Now()
			var out bytes.Buffer
			cmd := exec.Command(bins[p], "-test.run", "^$", "-test.bench", bench, "-test.benchmem",
				"-test.benchtime", benchtime, "-test.count", "1")
			cmd.Dir = p
			cmd.Stdout = io.MultiWriter(&out, &all)
			cmd.Stderr = os.Stderr
			if err := cmd.Run(); err != nil {
				// Keep the results the package printed and go on: one
				// failing benchmark must not cost the whole run. The
				// failure is listed in RESULTS.md.
				os.Stderr.Write(out.Bytes())
				*failures = append(*failures, fmt.Sprintf("round %d, %s: %v", round, p, err))
			}
			fmt.Fprintf(os.Stderr, "round %d/%d %-15s %3d results in %s\n",
				round, count, p, bytes.Count(out.Bytes(), []byte("ns/op")), time.Since(t0).Round(100*time.Millisecond))
		}
	}
	return all.Bytes(), nil
}

// runInfo describes the machine and the run for RESULTS.md.
type runInfo struct {
	CPU       string
	Cores     int
	Go        string
	Start     time.Time
	Elapsed   time.Duration
	Count     int
	Benchtime string
	LoadStart string
	LoadEnd   string
	Failures  []string // package runs that exited with an error
}

func machineInfo() runInfo {
	info := runInfo{CPU: "unknown", Cores: runtime.NumCPU(), Go: runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH}
	if out, err := exec.Command("go", "env", "GOVERSION", "GOOS", "GOARCH").Output(); err == nil {
		if f := strings.Fields(string(out)); len(f) == 3 {
			info.Go = f[0] + " " + f[1] + "/" + f[2]
		}
	}
	if out, err := exec.Command("nproc").Output(); err == nil {
		fmt.Sscan(string(out), &info.Cores)
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				info.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	return info
}

// loadAverage returns the 1, 5 and 15 minute load averages, or "".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
