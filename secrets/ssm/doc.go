// Package ssm is a secrets Provider for AWS Systems Manager Parameter Store,
// with decryption of SecureString parameters on.
package ssm
