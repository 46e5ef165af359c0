package smname

import (
	"errors"
	"strings"
	"testing"

	"github.com/fnshield/fnshield/secrets"
)

func TestParse(t *testing.T) {
	blue, err := NewStages([]string{"blue"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, in     string
		stages       Stages
		defaultStage string
		want         Ref
		wantErr      error
	}{
		{"plain", "prod/db", Stages{}, "", Ref{ID: "prod/db"}, nil},
		{"default stage", "prod/db", Stages{}, "AWSPREVIOUS", Ref{ID: "prod/db", Stage: "AWSPREVIOUS"}, nil},
		{"AWS stage", "prod/db#AWSPENDING", Stages{}, "", Ref{ID: "prod/db", Stage: "AWSPENDING"}, nil},
		{"suffix beats default", "prod/db#AWSCURRENT", Stages{}, "AWSPREVIOUS", Ref{ID: "prod/db", Stage: "AWSCURRENT"}, nil},
		{"custom stage", "prod/db#blue", blue, "", Ref{ID: "prod/db", Stage: "blue"}, nil},
		{"undeclared label is a version id", "prod/db#blue", Stages{}, "", Ref{ID: "prod/db", VersionID: "blue"}, nil},
		{"version id", "prod/db#a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", blue, "", Ref{ID: "prod/db", VersionID: "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"}, nil},
		{"longest id", strings.Repeat("i", MaxIDLen), Stages{}, "", Ref{ID: strings.Repeat("i", MaxIDLen)}, nil},
		{"empty", "", Stages{}, "", Ref{}, ErrEmptyID},
		{"only suffix", "#AWSCURRENT", Stages{}, "", Ref{}, ErrEmptyID},
		{"empty suffix", "prod/db#", Stages{}, "", Ref{}, ErrEmptyVersion},
		{"two suffixes", "a#b#c", Stages{}, "", Ref{}, ErrManySuffixes},
		{"long id", strings.Repeat("i", MaxIDLen+1), Stages{}, "", Ref{}, ErrLongID},
		{"long suffix", "prod/db#" + strings.Repeat("v", MaxVersionLen+1), Stages{}, "", Ref{}, ErrLongVersion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in, tt.stages, tt.defaultStage)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || !errors.Is(err, secrets.ErrInvalidName) {
					t.Fatalf("Parse(%q) error = %v, want %v and ErrInvalidName", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Parse(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestNewStages(t *testing.T) {
	for name, labels := range map[string][]string{
		"empty label": {"blue", ""},
		"hash":        {"a#b"},
		"too long":    {strings.Repeat("l", MaxVersionLen+1)},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := NewStages(labels); !errors.Is(err, secrets.ErrInvalidOption) {
				t.Errorf("NewStages(%q) error = %v, want ErrInvalidOption", labels, err)
			}
		})
	}
}

// FuzzParse checks that a name is refused with ErrInvalidName or splits
// into parts that join back to it.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"prod/db", "prod/db#AWSPREVIOUS", "prod/db#blue", "#", "a#b#c", "prod/db#", "arn:aws:secretsmanager:r:1:secret:x#v"} {
		f.Add(s)
	}
	blue, _ := NewStages([]string{"blue"})
	f.Fuzz(func(t *testing.T, name string) {
		r, err := Parse(name, blue, "")
		if err != nil {
			if !errors.Is(err, secrets.ErrInvalidName) {
				t.Fatalf("Parse(%q) error %v does not wrap ErrInvalidName", name, err)
			}
			return
		}
		if r.Stage != "" && r.VersionID != "" {
			t.Fatalf("Parse(%q) = %+v: both stage and version id", name, r)
		}
		joined := r.ID
		if v := r.Stage + r.VersionID; v != "" {
			joined += "#" + v
		}
		if joined != name || r.ID == "" || strings.Contains(r.ID, "#") || len(r.ID) > MaxIDLen {
			t.Fatalf("Parse(%q) = %+v", name, r)
		}
		if r.Stage != "" && !blue.IsStage(r.Stage) {
			t.Fatalf("Parse(%q) stage %q is not a stage", name, r.Stage)
		}
	})
}
