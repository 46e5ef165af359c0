package validatebench

import (
	"testing"
)

// TestParity checks that fnshield and every peer give the same verdict on
// every payload: the benchmark's four and the other parity inputs.
func TestParity(t *testing.T) {
	vs, err := Validators()
	if err != nil {
		t.Fatal(err)
	}
	_, parity := Payloads()
	for _, p := range parity {
		for _, v := range vs {
			err := v.Validate(p.Data)
			if got := err == nil; got != p.Valid {
				t.Errorf("%s: %s valid=%v, want %v (err: %v)", p.Name, v.Name, got, p.Valid, err)
			}
		}
	}
}

// TestParityDifferences pins the inputs left out of TestParity because
// validators legitimately disagree on them. If a peer changes here, the
// note in RESULTS.md must change with it.
func TestParityDifferences(t *testing.T) {
	vs, err := Validators()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data string
		// accepts lists the validators that accept data; the others reject it.
		accepts map[string]bool
	}{
		{
			// gojsonschema decodes the first JSON value and ignores the rest.
			name:    "trailing_data",
			data:    smallValid + `{}`,
			accepts: map[string]bool{GoJSONSchema: true},
		},
		{
			// fnshield (unless AllowDuplicateKeys is given) and kaptinlin
			// reject duplicate member names; encoding/json, under the
			// other two, keeps the last one, so "currency" below passes
			// them as "EUR" while an application may read "XYZ".
			name:    "duplicate_member",
			data:    `{"id":"ord-1234","customer":"c","currency":"XYZ","currency":"EUR","items":[{"sku":"SKU-1","qty":2,"price":9.99}]}`,
			accepts: map[string]bool{Santhosh: true, GoJSONSchema: true},
		},
	}
	for _, tt := range tests {
		for _, v := range vs {
			err := v.Validate([]byte(tt.data))
			if got := err == nil; got != tt.accepts[v.Name] {
				t.Errorf("%s: %s accepted=%v, want %v (err: %v)", tt.name, v.Name, got, tt.accepts[v.Name], err)
			}
		}
	}
}

// BenchmarkValidate validates each benchmark payload with each validator,
// from bytes, as a request body arrives.
func BenchmarkValidate(b *testing.B) {
	vs, err := Validators()
	if err != nil {
		b.Fatal(err)
	}
	bench, _ := Payloads()
	for _, p := range bench {
		for _, v := range vs {
			b.Run(p.Name+"/"+v.Name, func(b *testing.B) {
				if err := v.Validate(p.Data); (err == nil) != p.Valid {
					b.Fatalf("%s: valid=%v, want %v (err: %v)", v.Name, err == nil, p.Valid, err)
				}
				b.ReportAllocs()
				b.SetBytes(int64(len(p.Data)))
				for b.Loop() {
					_ = v.Validate(p.Data)
				}
			})
		}
	}
}
