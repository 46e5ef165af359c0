package main

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The raw output saved with -raw starts with "report-…: value" lines
// describing the run, so that -from can render the same RESULTS.md later
// or elsewhere. benchstat reads such lines as configuration and ignores
// them otherwise.
const headerPrefix = "report-"

// writeHeader returns the header lines for info.
func writeHeader(info runInfo) []byte {
	var b bytes.Buffer
	kv := func(k, v string) { fmt.Fprintf(&b, "%s%s: %s\n", headerPrefix, k, v) }
	kv("date", info.Start.Format(time.RFC3339))
	kv("rounds", strconv.Itoa(info.Count))
	kv("benchtime", info.Benchtime)
	kv("elapsed", info.Elapsed.Round(time.Second).String())
	kv("cpu", info.CPU)
	kv("cores", strconv.Itoa(info.Cores))
	kv("go", info.Go)
	kv("load-start", info.LoadStart)
	kv("load-end", info.LoadEnd)
	for _, f := range info.Failures {
		kv("failed", f)
	}
	return b.Bytes()
}

// readHeader fills info from the header lines in raw and reports whether
// there were any. A value that cannot be read is an error.
func readHeader(raw []byte, info *runInfo) (bool, error) {
	found := false
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ": ")
		if !ok || !strings.HasPrefix(k, headerPrefix) {
			continue
		}
		found = true
		var err error
		switch strings.TrimPrefix(k, headerPrefix) {
		case "date":
			info.Start, err = time.Parse(time.RFC3339, v)
		case "rounds":
			info.Count, err = strconv.Atoi(v)
		case "benchtime":
			info.Benchtime = v
		case "elapsed":
			info.Elapsed, err = time.ParseDuration(v)
		case "cpu":
			info.CPU = v
		case "cores":
			info.Cores, err = strconv.Atoi(v)
		case "go":
			info.Go = v
		case "load-start":
			info.LoadStart = v
		case "load-end":
			info.LoadEnd = v
		case "failed":
			info.Failures = append(info.Failures, v)
		}
		if err != nil {
			return found, fmt.Errorf("%s: %w", k, err)
		}
	}
	return found, sc.Err()
}
