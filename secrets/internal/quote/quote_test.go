package quote

import (
	"strings"
	"testing"

	"github.com/fnshield/fnshield/secrets"
)

func TestName(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "prod/db", `"prod/db"`},
		{"control characters escaped", "a\nb\x00", `"a\nb\x00"`},
		{"at the bound", strings.Repeat("n", secrets.MaxNameLen), `"` + strings.Repeat("n", secrets.MaxNameLen) + `"`},
		{"over the bound", strings.Repeat("n", secrets.MaxNameLen+1), `"` + strings.Repeat("n", 64) + `"...`},
		{"cut inside a rune", strings.Repeat("n", 63) + strings.Repeat("é", secrets.MaxNameLen), `"` + strings.Repeat("n", 63) + `\xc3"...`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Name(tt.in); got != tt.want {
				t.Errorf("Name = %.80q..., want %.80q...", got, tt.want)
			}
		})
	}
}
