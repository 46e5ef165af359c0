// Package ssm is a [secrets.Provider] for AWS Systems Manager Parameter
// Store, built on the aws-sdk-go-v2 client, with decryption of SecureString
// parameters always on.
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
//	p := ssm.NewFromConfig(cfg, ssm.WithPrefix("/prod/app/"))
//	cache := secrets.New(p, secrets.WithTTL(5*time.Minute))
//	v, err := cache.Get(ctx, "db-password") // parameter /prod/app/db-password
//
// To read a whole hierarchy in one go at cold start and still get the
// cache's TTL, stale-if-error and coalescing, prime the cache with
// [Provider.LoadPath]:
//
//	all, err := p.LoadPath(ctx, "/prod/app") // every parameter under /prod/app
//	...
//	for name, v := range all {
//		cache.Prime(name, v) // refetched later as /prod/app/<name>
//	}
//
// [New] takes a client instead, for client options of your own.
//
// Names are passed to GetParameter as they are (after the prefix), up to
// Parameter Store's limit of 2048 characters with the prefix, so
// Parameter Store's own selectors work: "name:3" asks for version 3 and
// "name:live" for the version labelled live. An ARN works too, with no
// prefix configured, and so do references to Secrets Manager secrets
// ("/aws/reference/secretsmanager/<secret name>"). Before any request,
// Fetch refuses a name holding a character Parameter Store never allows
// (anything but letters, digits and "_.-/" in the name, and in a
// reference also "+=@!"), an empty or second selector, or a malformed
// ARN, so that "prod/db#" fails fast with [secrets.ErrInvalidName].
//
// # IAM permissions
//
//	ssm:GetParameter         for Fetch, on the parameters it reads
//	ssm:GetParametersByPath  for LoadPath, on the path it loads
//	kms:Decrypt              on the KMS key of each SecureString read (not
//	                         needed for the AWS managed aws/ssm key)
//
// # Errors
//
// Errors are [*Error] values, which wrap the shared reasons of package
// secrets: ParameterNotFound and ParameterVersionNotFound wrap
// [secrets.ErrNotFound], AccessDeniedException wraps
// [secrets.ErrAccessDenied], and a name or path Fetch or LoadPath refuses,
// or Parameter Store refuses with ValidationException, wraps
// [secrets.ErrInvalidName]; other AWS errors carry their error code.
// The text never includes a parameter value or the AWS error message.
// Parameter Store deletes a parameter at once, so a deleted parameter is
// simply not found.
// Throttling and transient failures are retried by the client's own retryer
// (the SDK's standard retryer unless configured otherwise); this package
// adds no retries of its own.
package ssm
