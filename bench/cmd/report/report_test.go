package main

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sampleOutput is go test -bench output as two rounds print it, with the
// lines that are not results mixed in.
const sampleOutput = `goos: linux
goarch: amd64
pkg: github.com/fnshield/fnshield/bench/authbench
cpu: AMD EPYC
BenchmarkAuth/RS256/fresh/fnshield-2         	    3488	     40000 ns/op	  18.47 MB/s	    2944 B/op	      28 allocs/op
BenchmarkAuth/RS256/fresh/golang-jwt-2       	    2683	     80000 ns/op	  17.34 MB/s	    4808 B/op	      61 allocs/op
BenchmarkAuth/RS256/fresh/jwx-2              	    1716	     20000 ns/op	  10.11 MB/s	   16248 B/op	     296 allocs/op
PASS
BenchmarkAuth/RS256/fresh/fnshield-2         	    3488	     30000 ns/op	  18.47 MB/s	    2944 B/op	      28 allocs/op
BenchmarkAuth/RS256/fresh/golang-jwt-2       	    2683	     90000 ns/op	  17.34 MB/s	    4808 B/op	      61 allocs/op
BenchmarkAuth/RS256/fresh/jwx-2              	    1716	     10000 ns/op	  10.11 MB/s	   16248 B/op	     296 allocs/op
BenchmarkSecrets/names_1/serial/fnshield-2   	 3102433	        37.00 ns/op	       0 B/op	       0 allocs/op
BenchmarkSecrets/names_1/parallel/fnshield-2 	 3102433	        30.00 ns/op	    1000 B/op	       3 allocs/op
BenchmarkSecrets/names_1/serial/mutex-map-2  	 1000000	       120.9 ns/op	       0 B/op	       0 allocs/op
BenchmarkSecrets/names_1/parallel/mutex-map-2	 1000000	       60.0 ns/op	    1001 B/op	       0 allocs/op
ok  	github.com/fnshield/fnshield/bench/authbench	1.793s
`

func TestParseAggregateRatios(t *testing.T) {
	samples, err := parseLines(strings.NewReader(sampleOutput))
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) != 10 {
		t.Fatalf("parsed %d samples, want 10", len(samples))
	}
	results, err := aggregate(samples)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		area, cas, impl string
		runs            int
		ns              float64
	}{
		{"Auth", "RS256/fresh", "fnshield", 2, 35000},
		{"Auth", "RS256/fresh", "golang-jwt", 2, 85000},
		{"Auth", "RS256/fresh", "jwx", 2, 15000},
		// Regrouped by case: the run interleaved serial and parallel.
		{"Secrets", "names_1/serial", "fnshield", 1, 37},
		{"Secrets", "names_1/serial", "mutex-map", 1, 120.9},
		{"Secrets", "names_1/parallel", "fnshield", 1, 30},
		{"Secrets", "names_1/parallel", "mutex-map", 1, 60},
	}
	if len(results) != len(want) {
		t.Fatalf("got %d results, want %d: %+v", len(results), len(want), results)
	}
	for i, w := range want {
		r := results[i]
		if r.Area != w.area || r.Case != w.cas || r.Impl != w.impl || r.Runs != w.runs || r.Median[unitNs] != w.ns {
			t.Errorf("result %d = %s/%s/%s runs=%d ns=%v, want %s/%s/%s runs=%d ns=%v",
				i, r.Area, r.Case, r.Impl, r.Runs, r.Median[unitNs], w.area, w.cas, w.impl, w.runs, w.ns)
		}
	}
	if got := results[0].Median[unitAllocs]; got != 28 {
		t.Errorf("fnshield allocs/op median = %v, want 28", got)
	}
	rs := ratios(results)
	wantRatios := map[string]float64{
		"Auth RS256/fresh golang-jwt":        35000.0 / 85000,
		"Auth RS256/fresh jwx":               35000.0 / 15000,
		"Secrets names_1/serial mutex-map":   37 / 120.9,
		"Secrets names_1/parallel mutex-map": 30.0 / 60,
	}
	if len(rs) != len(wantRatios) {
		t.Fatalf("got %d ratios, want %d: %+v", len(rs), len(wantRatios), rs)
	}
	for _, r := range rs {
		k := r.Area + " " + r.Case + " " + r.Peer
		if w, ok := wantRatios[k]; !ok || math.Abs(r.Value-w) > 1e-12 {
			t.Errorf("ratio %s = %v, want %v (known: %v)", k, r.Value, w, ok)
		}
	}
}

func TestParseLinesErrors(t *testing.T) {
	tests := []struct {
		name, in string
	}{
		{"bad_number", "BenchmarkA/b/c-2 10 12x ns/op\n"},
		{"odd_fields", "BenchmarkA/b/c-2 10 12 ns/op 5\n"},
		{"no_ns_per_op", "BenchmarkA/b/c-2 10 12 B/op\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseLines(strings.NewReader(tt.in)); err == nil {
				t.Errorf("parseLines(%q) succeeded, want an error", tt.in)
			}
		})
	}
}

func TestAggregateRejectsShortNames(t *testing.T) {
	samples, err := parseLines(strings.NewReader("BenchmarkAuth/fnshield-2 10 12 ns/op\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := aggregate(samples); err == nil {
		t.Error("aggregate accepted a name without a case")
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		name string
		in   []float64
		want float64
	}{
		{"one", []float64{3}, 3},
		{"odd", []float64{9, 1, 5}, 5},
		{"even", []float64{4, 1, 3, 2}, 2.5},
		{"outlier", []float64{10, 11, 10, 1000, 12}, 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := median(tt.in); got != tt.want {
				t.Errorf("median = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDescribeRatio(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0.25, "4.0× faster"},
		{0.01, "100× faster"},
		{1.02, "about the same"},
		{1.5, "1.5× slower"},
	}
	for _, tt := range tests {
		if got := describeRatio(tt.in); got != tt.want {
			t.Errorf("describeRatio(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{37, "37.0"},
		{691.04, "691"},
		{38545.2, "38,545"},
		{3608570, "3,608,570"},
	}
	for _, tt := range tests {
		if got := formatNumber(tt.in); got != tt.want {
			t.Errorf("formatNumber(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func testResults(t *testing.T) ([]Result, []Ratio) {
	t.Helper()
	samples, err := parseLines(strings.NewReader(sampleOutput))
	if err != nil {
		t.Fatal(err)
	}
	results, err := aggregate(samples)
	if err != nil {
		t.Fatal(err)
	}
	return results, ratios(results)
}

func testInfo() runInfo {
	return runInfo{CPU: "Test CPU <&>", Cores: 2, Go: "go1.26 linux/amd64", Start: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC),
		Elapsed: 5 * time.Minute, Count: 2, Benchtime: "200ms", LoadStart: "1.00 2.00 3.00", LoadEnd: "1.50 2.00 3.00",
		Failures: []string{"round 2, ratelimitbench: exit status 1"}}
}

func TestWriteSVGIsWellFormed(t *testing.T) {
	results, rs := testResults(t)
	_ = results
	var buf bytes.Buffer
	writeSVG(&buf, testInfo(), rs)
	dec := xml.NewDecoder(&buf)
	bars, headings := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			switch se.Name.Local {
			case "rect":
				bars++
			case "text":
				for _, a := range se.Attr {
					if a.Name.Local == "font-weight" && a.Value == "bold" {
						headings++
					}
				}
			}
		}
	}
	// One background rect plus one bar per ratio; a bold title plus one
	// heading per area.
	if bars != 1+len(rs) {
		t.Errorf("SVG has %d rects, want %d", bars, 1+len(rs))
	}
	if headings != 1+2 {
		t.Errorf("SVG has %d bold texts, want 3 (title, Auth, Secrets)", headings)
	}
}

func TestWriteMarkdown(t *testing.T) {
	results, rs := testResults(t)
	var buf bytes.Buffer
	writeMarkdown(&buf, testInfo(), results, rs, map[string]string{"github.com/golang-jwt/jwt/v5": "v5.3.1"})
	md := buf.String()
	for _, want := range []string{
		"| cores (`nproc`) | 2 |",
		"| Go | go1.26 linux/amd64 |",
		"| total time | 5m0s, building the test binaries included |",
		"| failed run | round 2, ratelimitbench: exit status 1 (its other results are kept) |",
		"shared with other agents",
		"`github.com/golang-jwt/jwt/v5` v5.3.1",
		"| RS256/fresh | golang-jwt | 85,000 | 4,808 | 61 | 17.34 | 0.41 | 2.4× faster |",
		"| RS256/fresh | jwx | 15,000 | 16,248 | 296 | 10.11 | 2.33 | 2.3× slower |",
		"| names_1/serial | mutex-map | 121 | 0 | 0 | – | 0.31 | 3.3× faster |",
		"| names_1/parallel | mutex-map | 60.0 | 1,001 | 0 | – | 0.50 | 2.0× faster |",
		"| Auth | fresh | golang-jwt | 1 | 0.41 | 0.41 – 0.41 | 2.4× faster |",
		"| Secrets | hits | mutex-map | 2 | 0.39 | 0.31 – 0.50 | 2.6× faster |",
		"](ratios.svg)",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("RESULTS.md lacks %q:\n%s", want, md)
		}
	}
	if strings.Index(md, "## auth") > strings.Index(md, "## secrets") {
		t.Error("areas are not in the documented order")
	}
}

func TestModuleVersions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "go.mod")
	gomod := "module x\n\ngo 1.25\n\nrequire example.com/one v1.2.3\n\nrequire (\n\texample.com/two v0.4.0 // indirect\n)\n\nreplace example.com/three => ../\n"
	if err := os.WriteFile(path, []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := moduleVersions(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["example.com/one"] != "v1.2.3" || got["example.com/two"] != "v0.4.0" {
		t.Errorf("moduleVersions = %v", got)
	}
}

func TestFormatCount(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"},
		{28, "28"},
		{27.5, "27.5"},
		{16246.5, "16,247"},
	}
	for _, tt := range tests {
		if got := formatCount(map[string]float64{unitBytes: tt.in}, unitBytes); got != tt.want {
			t.Errorf("formatCount(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := formatCount(map[string]float64{}, unitBytes); got != "–" {
		t.Errorf("formatCount of a missing unit = %q, want –", got)
	}
}

func TestHeaderRoundTrip(t *testing.T) {
	want := testInfo()
	raw := append(writeHeader(want), []byte(sampleOutput)...)
	var got runInfo
	found, err := readHeader(raw, &got)
	if err != nil || !found {
		t.Fatalf("readHeader = %v, %v", found, err)
	}
	if got.Start != want.Start || got.Count != want.Count || got.Benchtime != want.Benchtime ||
		got.Elapsed != want.Elapsed || got.CPU != want.CPU || got.Cores != want.Cores || got.Go != want.Go ||
		got.LoadStart != want.LoadStart || got.LoadEnd != want.LoadEnd || len(got.Failures) != 1 || got.Failures[0] != want.Failures[0] {
		t.Errorf("readHeader(writeHeader(%+v)) = %+v", want, got)
	}
	// The header does not disturb the benchmark lines.
	samples, err := parseLines(bytes.NewReader(raw))
	if err != nil || len(samples) != 10 {
		t.Errorf("parseLines after a header = %d samples, %v; want 10", len(samples), err)
	}
}

func TestReadHeaderErrors(t *testing.T) {
	for _, line := range []string{"report-rounds: six", "report-date: yesterday", "report-elapsed: 3 minutes"} {
		var info runInfo
		if _, err := readHeader([]byte(line+"\n"), &info); err == nil {
			t.Errorf("readHeader(%q) succeeded, want an error", line)
		}
	}
	var info runInfo
	if found, err := readHeader([]byte(sampleOutput), &info); found || err != nil {
		t.Errorf("readHeader of plain go test output = %v, %v; want no header", found, err)
	}
}
