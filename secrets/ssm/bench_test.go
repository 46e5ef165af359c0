package ssm_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/fnshield/fnshield/secrets/ssm"
)

// BenchmarkFetch compares Fetch with the bare SDK call it wraps, against the
// loopback fake; the provider's own cost is the difference.
func BenchmarkFetch(b *testing.B) {
	srv := newServerTB(b)
	client := newClient(srv)
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			out, err := client.GetParameter(b.Context(), &awsssm.GetParameterInput{
				Name: aws.String("/prod/app/api-key"), WithDecryption: aws.Bool(true),
			})
			if err != nil || out.Parameter == nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("provider", func(b *testing.B) {
		p := ssm.New(client, ssm.WithPrefix("/prod/app/"))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := p.Fetch(b.Context(), "api-key"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLoadPath loads 23 parameters over three pages.
func BenchmarkLoadPath(b *testing.B) {
	p := ssm.New(newClient(newServerTB(b)))
	b.ReportAllocs()
	for b.Loop() {
		m, err := p.LoadPath(b.Context(), "/big")
		if err != nil || len(m) != 23 {
			b.Fatal(len(m), err)
		}
	}
}
