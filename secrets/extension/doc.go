// Package extension is a [secrets.Provider] for the AWS Parameters and
// Secrets Lambda Extension, which serves Secrets Manager and Parameter Store
// values from a cache on localhost inside the Lambda sandbox. It needs no
// AWS SDK: the extension holds the credentials and makes the AWS calls.
//
// # Usage
//
//	p := extension.New()
//	cache := secrets.New(p, secrets.WithTTL(5*time.Minute))
//	db, err := cache.Get(ctx, "prod/db")            // Secrets Manager
//	key, err := cache.Get(ctx, "ssm:/prod/api-key") // Parameter Store
//
// By default the provider talks to http://localhost:<port>, with the port
// from PARAMETERS_SECRETS_EXTENSION_HTTP_PORT (the extension's own setting)
// or 2773, and authenticates with the X-Aws-Parameters-Secrets-Token header
// set to AWS_SESSION_TOKEN as read when [New] runs. Under SnapStart, or
// whenever the token can change after New, pass [WithToken] or build the
// provider after the change.
//
// # Names
//
// A name selects the service:
//
//	ssm:/prod/api-key                          Parameter Store, /prod/api-key
//	secretsmanager:prod/db                     Secrets Manager, prod/db
//	arn:aws:ssm:eu-west-3:123456789012:parameter/prod/api-key     Parameter Store
//	arn:aws:secretsmanager:eu-west-3:123456789012:secret:prod/db  Secrets Manager
//	prod/db                                    the default service: Secrets
//	                                           Manager, or Parameter Store
//	                                           with ParameterStore()
//
// The prefixes cannot be mistaken for real names: ':' is not allowed in a
// Secrets Manager secret name nor, outside the version selector, in a
// parameter name. A leading '/' is not used to pick the service, because
// Secrets Manager names may start with one.
//
// Secrets Manager names take the version suffix of package awssm, read the
// same way: "prod/db#AWSPREVIOUS" asks for a staging label (text after '#'
// starting with "AWS", or declared with [WithStageLabels]) and
// "prod/db#<id>" for a version ID; [WithVersionStage] sets the stage of
// names without a suffix. Parameter Store names keep their native
// selectors, "name:3" and "name:label", and are checked before any
// request: a parameter name holds letters, digits and "_.-/" (a
// /aws/reference/secretsmanager/ reference also "+=@!"), so "ssm:prod/db#"
// is refused with [secrets.ErrInvalidName] without reaching the
// extension. A key of a JSON secret is selected
// with [secrets.Cache.GetField], never inside the name. Names may be as
// long as the services allow: a 2048-character secret ID or parameter
// name, after the prefix.
//
// The "ssm:" and "secretsmanager:" prefixes are this provider's own, since
// one extension serves both services. To mix the extension with other
// sources (environment variables in tests, files) behind one cache, put it
// behind [secrets.Route] with a prefix of your choice; the router strips
// its prefix and this provider then reads its own.
//
// # Security
//
// The provider refuses a base URL that is not on a loopback address (the
// extension only listens inside the sandbox, and the token must not leave
// it) unless [AllowNonLoopback] is given. Its default HTTP client uses no
// proxy and follows no redirects. Each Fetch is bounded by a timeout (5 s by
// default, [WithTimeout]) and reads at most 1 MiB of response
// ([WithMaxResponseBytes]): a 64 KiB secret, the Secrets Manager maximum,
// fits even when every byte is JSON-escaped to six. Error texts never
// include a response body, since it may hold the secret.
//
// # Errors
//
// Errors are [*Error] values, which wrap the shared reasons of package
// secrets: a 404, or a relayed ResourceNotFoundException,
// ParameterNotFound or ParameterVersionNotFound, wraps
// [secrets.ErrNotFound]; a relayed AccessDeniedException wraps
// [secrets.ErrAccessDenied]; a name Fetch refuses, a relayed
// ValidationException or InvalidParameterException, and a 400 that relays
// no AWS error (the extension refusing the request) wrap
// [secrets.ErrInvalidName]. A secret scheduled for deletion is reported
// as not found too, with [ErrScheduledForDeletion], so a [secrets.Cache]
// stops serving it at its next fetch rather than serving it stale.
//
// # IAM permissions
//
// The extension uses the function's execution role:
//
//	secretsmanager:GetSecretValue  for Secrets Manager names
//	ssm:GetParameter               for Parameter Store names
//	kms:Decrypt                    on customer managed KMS keys, if any
package extension
