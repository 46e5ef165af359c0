package redact

import (
	"bufio"
	"os"
	"testing"
)

// testdata/systemlogs.txt holds lines composed in the documented formats
// of public system-log samples (HDFS, Hadoop, Spark, Zookeeper, OpenSSH,
// Linux syslog, Android logcat, Windows CBS, Apache, Proxifier, macOS, BGL,
// HealthApp, OpenStack, and cloud service logs), with no personal data or
// secret in them. The default Redactor may change at most one line in
// 1,000 of them.
func TestSystemLogsUntouched(t *testing.T) {
	f, err := os.Open("testdata/systemlogs.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := New()
	lines, changed := 0, 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		lines++
		if got := r.String(line); got != line {
			changed++
			t.Logf("changed:\n in:  %q\n out: %q", line, got)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if lines < 400 {
		t.Fatalf("only %d lines in the corpus", lines)
	}
	if changed*1000 > lines {
		t.Errorf("%d of %d clean lines changed, want at most 1 in 1,000", changed, lines)
	}
}
