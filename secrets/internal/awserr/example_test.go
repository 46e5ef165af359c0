package awserr_test

import (
	"fmt"

	"github.com/fnshield/fnshield/secrets/internal/awserr"
)

func ExampleMarkedForDeletion() {
	fmt.Println(awserr.MarkedForDeletion("You can't perform this operation on the secret because it was marked for deletion."))
	fmt.Println(awserr.MarkedForDeletion("You tried to perform the operation on a secret that's currently marked deleted."))
	fmt.Println(awserr.MarkedForDeletion("Access to KMS is not allowed"))
	// Output:
	// true
	// true
	// false
}
