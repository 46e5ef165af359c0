// Package ssm is a [secrets.Provider] for AWS Systems Manager Parameter
// Store, built on the aws-sdk-go-v2 client, with decryption of SecureString
// parameters always on.
//
// # Usage
//
//	cfg, err := config.LoadDefaultConfig(ctx)
//	...
//	p := ssm.New(awsssm.NewFromConfig(cfg), ssm.WithPrefix("/prod/app/"))
//	cache := secrets.New(p, secrets.WithTTL(5*time.Minute))
//	v, err := cache.Get(ctx, "db-password") // parameter /prod/app/db-password
//
//	all, err := p.LoadPath(ctx, "/prod/app") // every parameter under /prod/app
//
// Names are passed to GetParameter as they are (after the prefix), so
// Parameter Store's own selectors work: "name:3" asks for version 3 and
// "name:live" for the version labelled live. An ARN works too, with no
// prefix configured.
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
// Errors are [*Error] values. ParameterNotFound and ParameterVersionNotFound
// wrap [secrets.ErrNotFound]; other AWS errors carry their error code. The
// text never includes a parameter value or the AWS error message.
// Throttling and transient failures are retried by the client's own retryer
// (the SDK's standard retryer unless configured otherwise); this package
// adds no retries of its own.
package ssm
