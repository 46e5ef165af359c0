package awserr

import "testing"

func TestMarkedForDeletion(t *testing.T) {
	tests := []struct {
		name, msg string
		want      bool
	}{
		{"AWS", "You can't perform this operation on the secret because it was marked for deletion.", true},
		{"moto", "You tried to perform the operation on a secret that's currently marked deleted.", true},
		{"scheduled", "The secret is scheduled for deletion", true},
		{"upper case", "BECAUSE IT WAS MARKED FOR DELETION", true},
		{"mixed case", "a secret that's currently Marked Deleted.", true},
		{"kms", "Access to KMS is not allowed", false},
		{"disabled key", "The key is disabled", false},
		{"deleted without marking", "You can't perform this operation because the secret was deleted.", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MarkedForDeletion(tt.msg); got != tt.want {
				t.Errorf("MarkedForDeletion(%q) = %v, want %v", tt.msg, got, tt.want)
			}
		})
	}
}

func TestRefusesName(t *testing.T) {
	for code, want := range map[string]bool{
		"ValidationException":       true,
		"InvalidParameterException": true,
		"InvalidRequestException":   false,
		"ResourceNotFoundException": false,
		"ParameterNotFound":         false,
		"":                          false,
	} {
		if got := RefusesName(code); got != want {
			t.Errorf("RefusesName(%q) = %v, want %v", code, got, want)
		}
	}
}
