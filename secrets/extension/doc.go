// Package extension is a secrets Provider for the AWS Parameters and Secrets
// Lambda Extension, which serves Secrets Manager and Parameter Store values
// from a cache on localhost inside the Lambda sandbox.
package extension
