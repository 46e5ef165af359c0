package httpevent

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// spellingsOf returns n distinct casings of name (which must have enough
// letters): the all-lowercase one, the canonical one and n-2 others.
func spellingsOf(name string, n int) []string {
	canon := http.CanonicalHeaderKey(name)
	out := []string{strings.ToLower(name), canon}
	for i := 1; len(out) < n; i++ {
		b := []byte(strings.ToLower(name))
		bit := 0
		for j, c := range b {
			if 'a' <= c && c <= 'z' {
				if i>>bit&1 == 1 {
					b[j] = c - 'a' + 'A'
				}
				bit++
			}
		}
		if s := string(b); s != canon {
			out = append(out, s)
		}
	}
	return out
}

// rankOrder sorts spellings as the package documents: lowercase first, then
// canonical, then the others in byte order. It is written apart from the
// package's own ranking.
func rankOrder(keys []string) []string {
	rank := func(k string) int {
		switch k {
		case strings.ToLower(k):
			return 0
		case http.CanonicalHeaderKey(k):
			return 1
		}
		return 2
	}
	sorted := slices.Clone(keys)
	slices.SortFunc(sorted, func(a, b string) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), strings.Compare(a, b))
	})
	return sorted
}

// TestManySpellings checks the merge of one name spelled 20,000 ways, as a
// direct invoke can send it, and of many names spelled twice.
func TestManySpellings(t *testing.T) {
	const name = "x-authorization-key"
	keys := spellingsOf(name, 20000)
	single := make(map[string]string, len(keys))
	multi := make(map[string][]string, len(keys))
	var wantSingle, wantMulti []string
	for _, k := range rankOrder(keys) {
		single[k] = "s-" + k
		multi[k] = []string{"m1-" + k, "m2-" + k}
		wantSingle = append(wantSingle, "s-"+k)
		wantMulti = append(wantMulti, "m1-"+k, "m2-"+k)
	}
	twice := map[string]string{}
	var wantTwice [][]string
	for i := range 5000 {
		n := "x-name-" + strconv.Itoa(i)
		twice[n], twice[strings.ToUpper(n)] = "lower", "upper"
		wantTwice = append(wantTwice, []string{"lower", "upper"})
	}
	tests := []struct {
		name   string
		header http.Header
		values func(name string) []string
		check  map[string][]string
	}{
		{
			name:   "http api single-value map",
			header: build(t, ReaderFor[events.APIGatewayV2HTTPRequest](), &events.APIGatewayV2HTTPRequest{Headers: single}),
			values: func(n string) []string {
				return ReaderFor[events.APIGatewayV2HTTPRequest]().Values(&events.APIGatewayV2HTTPRequest{Headers: single}, n)
			},
			check: map[string][]string{name: wantSingle},
		},
		{
			name: "rest multi-value map wins over single",
			header: build(t, ReaderFor[events.APIGatewayProxyRequest](),
				&events.APIGatewayProxyRequest{Headers: single, MultiValueHeaders: multi}),
			values: func(n string) []string {
				return ReaderFor[events.APIGatewayProxyRequest]().Values(&events.APIGatewayProxyRequest{Headers: single, MultiValueHeaders: multi}, n)
			},
			check: map[string][]string{name: wantMulti},
		},
		{
			name:   "many names spelled twice",
			header: build(t, ReaderFor[events.APIGatewayV2HTTPRequest](), &events.APIGatewayV2HTTPRequest{Headers: twice}),
			values: func(n string) []string {
				return ReaderFor[events.APIGatewayV2HTTPRequest]().Values(&events.APIGatewayV2HTTPRequest{Headers: twice}, n)
			},
			check: map[string][]string{"x-name-0": wantTwice[0], "X-NAME-4999": wantTwice[4999]},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for n, want := range tt.check {
				if got := tt.header.Values(n); !slices.Equal(got, want) {
					t.Errorf("view has %d values for %s, want %d; first %q, want %q", len(got), n, len(want), first(got), first(want))
				}
				if got := tt.values(n); !slices.Equal(got, want) {
					t.Errorf("Values(%s) has %d values, want %d", n, len(got), len(want))
				}
			}
		})
	}
	if got := build(t, ReaderFor[events.APIGatewayV2HTTPRequest](), &events.APIGatewayV2HTTPRequest{Headers: twice}); len(got) != 5000 {
		t.Errorf("view has %d names, want 5000", len(got))
	}
}

func build[E any](t *testing.T, rd *Reader[E], e *E) http.Header {
	t.Helper()
	r, err := rd.Request(t.Context(), e)
	if err != nil {
		t.Fatal(err)
	}
	return r.Header
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// BenchmarkRequestSpellings builds the view of a direct invoke that spells
// one header name n ways, to show that the cost grows linearly with n.
func BenchmarkRequestSpellings(b *testing.B) {
	for _, n := range []int{1000, 4000, 16000} {
		headers := map[string]string{}
		for _, k := range spellingsOf("x-authorization-key", n) {
			headers[k] = "v"
		}
		e := &events.APIGatewayV2HTTPRequest{Headers: headers}
		rd := ReaderFor[events.APIGatewayV2HTTPRequest]()
		b.Run(fmt.Sprintf("spellings=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := rd.Request(b.Context(), e); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/spelling")
		})
	}
}
