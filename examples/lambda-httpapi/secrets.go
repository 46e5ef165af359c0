package main

import (
	"os"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/fnshield/fnshield/secrets"
	"github.com/fnshield/fnshield/secrets/awssm"
	"github.com/fnshield/fnshield/secrets/extension"
)

// localSecretPrefix is the environment prefix SECRETS_SOURCE=env reads
// secrets under: SECRET_NAME=prod/orders-db is read from
// LOCAL_SECRET_PROD_ORDERS_DB. It is for local runs and tests only.
const localSecretPrefix = "LOCAL_SECRET_"

// secretsProvider returns the provider SECRETS_SOURCE names:
//
//   - extension: the AWS Parameters and Secrets Lambda Extension, a layer
//     that caches secrets inside the sandbox (no AWS SDK in the function);
//   - awssm: AWS Secrets Manager through aws-sdk-go-v2, with the credentials
//     and region Lambda puts in the environment;
//   - env: environment variables with localSecretPrefix, for local runs.
func (c config) secretsProvider() secrets.Provider {
	switch c.source {
	case "awssm":
		return awssm.New(secretsManagerClient(os.Getenv))
	case "env":
		return secrets.Env(localSecretPrefix)
	default:
		return extension.New()
	}
}

// secretsManagerClient builds a Secrets Manager client from the variables
// Lambda sets for every function: AWS_REGION and the execution role's
// credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN),
// which stay valid for the life of the execution environment.
// AWS_ENDPOINT_URL_SECRETS_MANAGER, when set, replaces the endpoint (a VPC
// endpoint, or a local fake).
func secretsManagerClient(getenv func(string) string) *secretsmanager.Client {
	o := secretsmanager.Options{
		Region: getenv("AWS_REGION"),
		Credentials: credentials.NewStaticCredentialsProvider(
			getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY"), getenv("AWS_SESSION_TOKEN")),
	}
	if ep := getenv("AWS_ENDPOINT_URL_SECRETS_MANAGER"); ep != "" {
		o.BaseEndpoint = &ep
	}
	return secretsmanager.New(o)
}
