package awssm_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/fnshield/fnshield/internal/awsfake"
	"github.com/fnshield/fnshield/secrets/awssm"
)

// BenchmarkFetch compares Fetch with the bare SDK call it wraps, against the
// loopback fake; the provider's own cost is the difference.
func BenchmarkFetch(b *testing.B) {
	srv := awsfake.New(b, "secretsmanager", "secretsmanager", func(awsfake.Call) awsfake.Reply {
		return awsfake.OK(map[string]any{"Name": "prod/db", "SecretString": curValue, "VersionStages": []string{"AWSPREVIOUS"}})
	})
	client := newClient(srv)
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			out, err := client.GetSecretValue(b.Context(), &secretsmanager.GetSecretValueInput{
				SecretId: aws.String("prod/db"), VersionStage: aws.String("AWSPREVIOUS"),
			})
			if err != nil || out.SecretString == nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("provider", func(b *testing.B) {
		p := awssm.New(client)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := p.Fetch(b.Context(), "prod/db#AWSPREVIOUS"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
