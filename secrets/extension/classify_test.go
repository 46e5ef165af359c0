package extension

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/fnshield/fnshield/secrets"
)

// FuzzClassify checks that any error answer maps to no reason or to one
// of the fixed shared reasons, so no part of a body (which may quote the
// name or more) can reach an error, and that the name is blamed only on
// a 400 and deletion only on a relayed InvalidRequestException.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{
		`{"__type":"InvalidRequestException","message":"You tried to perform the operation on a secret that's currently marked deleted."}`,
		`{"__type":"InvalidRequestException","message":"because it was MARKED FOR DELETION"}`,
		`{"__type":"ValidationException","message":"Invalid name"}`,
		`{"__type":"InvalidParameterException"}`, `{"__type":"DecryptionFailure"}`,
		`ResourceNotFoundException`, `ParameterNotFound`, `AccessDeniedException`, `bad request`, ``,
	} {
		for _, status := range []int{http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusInternalServerError} {
			f.Add(status, []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		err := classify(status, body)
		switch {
		case err == nil:
			if status == http.StatusNotFound {
				t.Fatalf("classify(404) = nil, want ErrNotFound")
			}
			return
		case err == secrets.ErrNotFound, err == secrets.ErrAccessDenied:
		case err == errDeleted:
			if !strings.Contains(string(body), "InvalidRequestException") {
				t.Fatalf("classify(%d, %q) = deleted without an InvalidRequestException", status, body)
			}
		case err == errRefusedName:
			if status != http.StatusBadRequest {
				t.Fatalf("classify(%d, %q) blames the name on a status other than 400", status, body)
			}
		default:
			t.Fatalf("classify(%d, %q) = %v, not a fixed reason", status, body, err)
		}
		if status != http.StatusNotFound && status != http.StatusBadRequest && status != http.StatusForbidden {
			t.Fatalf("classify(%d, %q) = %v for a status that carries no reason", status, body, err)
		}
		if errors.Is(err, secrets.ErrInvalidName) && errors.Is(err, secrets.ErrNotFound) {
			t.Fatalf("classify(%d, %q) = %v, two reasons", status, body, err)
		}
	})
}
