// Package awssm is a [secrets.Provider] for AWS Secrets Manager, built on the
// aws-sdk-go-v2 client.
//
// # Usage
//
// Build the provider and its cache once, at cold start, from the
// aws.Config that config.LoadDefaultConfig returns:
//
//	cfg, err := config.LoadDefaultConfig(ctx)
//	if err != nil {
//		return err
//	}
//	cache := secrets.New(awssm.NewFromConfig(cfg), secrets.WithTTL(5*time.Minute))
//
//	v, err := cache.Get(ctx, "prod/db")                       // the whole secret
//	pw, err := cache.GetField(ctx, "prod/db", "password")     // one key of a key/value secret
//	old, err := cache.GetField(ctx, "prod/db#AWSPREVIOUS", "password")
//
// [New] takes a client instead, for client options of your own.
//
// # IAM permissions
//
// The provider calls GetSecretValue and nothing else (no DescribeSecret, no
// ListSecrets), so the function's policy needs exactly:
//
//	secretsmanager:GetSecretValue   on the secrets it reads
//	kms:Decrypt                     on the customer managed KMS key, if the
//	                                secret is encrypted with one (not needed
//	                                for the AWS managed aws/secretsmanager key)
//
// # Names and versions
//
// A name is a secret name or ARN, which Secrets Manager accepts up to 2048
// characters (a name itself is at most 512), and may select a version with
// a '#' suffix, which Secrets Manager never allows inside a secret name or
// ARN:
//
//	prod/db               the version labelled by [WithVersionStage], or AWSCURRENT
//	prod/db#AWSPREVIOUS   VersionStage AWSPREVIOUS
//	prod/db#AWSPENDING    VersionStage AWSPENDING
//	prod/db#<uuid>        VersionId <uuid>
//
// The text after the '#' is a staging label when it starts with "AWS"
// (the labels Secrets Manager itself manages) or was declared with
// [WithStageLabels]; anything else is a version ID. Package extension reads
// names the same way. A key of a JSON secret is selected with
// [secrets.Cache.GetField], never inside the name.
//
// # Values and errors
//
// SecretString is returned as its UTF-8 bytes and SecretBinary as its raw
// bytes. Errors are [*Error] values, which wrap the shared reasons of
// package secrets: a missing secret or version (ResourceNotFoundException)
// wraps [secrets.ErrNotFound]; AccessDeniedException wraps
// [secrets.ErrAccessDenied]; a name Fetch refuses, or Secrets Manager
// refuses with ValidationException or InvalidParameterException, wraps
// [secrets.ErrInvalidName]. Other AWS errors carry their error code, and
// the text never includes a secret value or the AWS error message.
// Throttling and transient failures are retried by the client's own
// retryer (the SDK's standard retryer unless configured otherwise); this
// package adds no retries of its own.
//
// # Secrets scheduled for deletion
//
// Once an operator deletes a secret with a recovery window, Secrets Manager
// refuses to read it with an InvalidRequestException whose message says
// so: "marked for deletion" from AWS, "marked deleted" from moto (which
// LocalStack uses); any such wording, in any letter case, is recognised.
// Fetch reports this as not found, wrapping [secrets.ErrNotFound] and
// [ErrScheduledForDeletion], with the text "scheduled for deletion". A
// [secrets.Cache] therefore stops serving the secret at its next fetch
// (within one TTL) and caches the answer for its negative TTL, instead of
// serving the old value for the stale-if-error window as it would for an
// outage. Restoring the secret (RestoreSecret) makes it readable again
// once the negative TTL has passed.
package awssm
