// Package awssm is a [secrets.Provider] for AWS Secrets Manager, built on the
// aws-sdk-go-v2 client.
//
// # Usage
//
//	cfg, err := config.LoadDefaultConfig(ctx)
//	...
//	p := awssm.New(secretsmanager.NewFromConfig(cfg))
//	cache := secrets.New(p, secrets.WithTTL(5*time.Minute))
//	v, err := cache.Get(ctx, "prod/db")
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
// # Versions
//
// A name may select a version with a '#' suffix, which Secrets Manager never
// allows inside a secret name or ARN:
//
//	prod/db               the version labelled by [WithVersionStage], or AWSCURRENT
//	prod/db#AWSPREVIOUS   VersionStage AWSPREVIOUS
//	prod/db#AWSPENDING    VersionStage AWSPENDING
//	prod/db#<uuid>        VersionId <uuid>
//
// The text after the '#' is a staging label when it starts with "AWS"
// (the labels Secrets Manager itself manages) or was declared with
// [WithStageLabels]; anything else is a version ID.
//
// # Values and errors
//
// SecretString is returned as its UTF-8 bytes and SecretBinary as its raw
// bytes. Errors are [*Error] values: a missing secret or version
// (ResourceNotFoundException) wraps [secrets.ErrNotFound]; other AWS errors
// carry their error code, and the text never includes a secret value or the
// AWS error message. Throttling and transient failures are retried by the
// client's own retryer (the SDK's standard retryer unless configured
// otherwise); this package adds no retries of its own.
package awssm
