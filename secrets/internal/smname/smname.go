// Package smname parses the Secrets Manager names that packages awssm and
// extension accept: a secret ID (name or ARN) with an optional '#' suffix
// that selects a version by staging label or version ID. '#' cannot occur
// in a secret name or ARN, so the suffix never collides with one.
package smname

import (
	"fmt"
	"strings"

	"github.com/fnshield/fnshield/secrets"
)

// Limits that Secrets Manager documents for GetSecretValue.
const (
	MaxIDLen      = 2048 // SecretId: a name or full ARN
	MaxVersionLen = 256  // a staging label (1-256) or version ID (32-64)
)

// The reasons a name is refused; each wraps [secrets.ErrInvalidName] and
// none includes the name.
var (
	ErrEmptyID       = fmt.Errorf("%w: empty secret id", secrets.ErrInvalidName)
	ErrLongID        = fmt.Errorf("%w: secret id longer than 2048 bytes", secrets.ErrInvalidName)
	ErrEmptyVersion  = fmt.Errorf("%w: empty version suffix after '#'", secrets.ErrInvalidName)
	ErrLongVersion   = fmt.Errorf("%w: version suffix longer than 256 bytes", secrets.ErrInvalidName)
	ErrManySuffixes  = fmt.Errorf("%w: more than one '#'", secrets.ErrInvalidName)
	ErrInvalidLabels = fmt.Errorf("%w: staging labels must be 1 to 256 bytes without '#'", secrets.ErrInvalidOption)
)

// A Ref is a parsed name: the secret ID and at most one of Stage and
// VersionID.
type Ref struct {
	ID        string
	Stage     string
	VersionID string
}

// Stages is the set of custom staging labels that a '#' suffix may name;
// suffixes starting with "AWS" are always stages. The zero Stages has no
// custom labels. It is immutable and safe for concurrent use.
type Stages struct {
	custom map[string]struct{}
}

// NewStages returns the set of labels, refusing an empty or over-long
// label or one holding '#' with an error wrapping
// [secrets.ErrInvalidOption].
func NewStages(labels []string) (Stages, error) {
	if len(labels) == 0 {
		return Stages{}, nil
	}
	s := Stages{custom: make(map[string]struct{}, len(labels))}
	for _, l := range labels {
		if l == "" || len(l) > MaxVersionLen || strings.Contains(l, "#") {
			return Stages{}, ErrInvalidLabels
		}
		s.custom[l] = struct{}{}
	}
	return s, nil
}

// IsStage reports whether the suffix v names a staging label.
func (s Stages) IsStage(v string) bool {
	if strings.HasPrefix(v, "AWS") {
		return true
	}
	_, ok := s.custom[v]
	return ok
}

// Parse splits name into its secret ID and version selector. A suffix is a
// stage if s says so and a version ID otherwise; without a suffix, Stage
// is defaultStage ("" for the service's default, AWSCURRENT).
func Parse(name string, s Stages, defaultStage string) (Ref, error) {
	id, version, hasVersion := strings.Cut(name, "#")
	switch {
	case id == "":
		return Ref{}, ErrEmptyID
	case len(id) > MaxIDLen:
		return Ref{}, ErrLongID
	case !hasVersion:
		return Ref{ID: id, Stage: defaultStage}, nil
	case version == "":
		return Ref{}, ErrEmptyVersion
	case strings.Contains(version, "#"):
		return Ref{}, ErrManySuffixes
	case len(version) > MaxVersionLen:
		return Ref{}, ErrLongVersion
	case s.IsStage(version):
		return Ref{ID: id, Stage: version}, nil
	}
	return Ref{ID: id, VersionID: version}, nil
}
