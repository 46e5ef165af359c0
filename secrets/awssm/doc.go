// Package awssm is a secrets Provider for AWS Secrets Manager. It calls
// GetSecretValue only, so the function's IAM policy can stay minimal.
package awssm
