package extension

import "encoding/json"

// decodeSecret returns the value in a Secrets Manager response, the
// GetSecretValue output as JSON: SecretString, or SecretBinary in base64.
// Its only error is ErrMalformedResponse, whatever the body, so that no part
// of the body can reach an error text.
func decodeSecret(body []byte) ([]byte, error) {
	var out struct {
		SecretString *string
		SecretBinary []byte
	}
	if json.Unmarshal(body, &out) != nil {
		return nil, ErrMalformedResponse
	}
	switch {
	case out.SecretString != nil:
		return []byte(*out.SecretString), nil
	case out.SecretBinary != nil:
		return out.SecretBinary, nil
	}
	return nil, ErrMalformedResponse
}

// decodeParameter returns the value in a Parameter Store response, the
// GetParameter output as JSON: {"Parameter":{"Value":...}}. Its only error
// is ErrMalformedResponse.
func decodeParameter(body []byte) ([]byte, error) {
	var out struct {
		Parameter *struct{ Value *string }
	}
	if json.Unmarshal(body, &out) != nil || out.Parameter == nil || out.Parameter.Value == nil {
		return nil, ErrMalformedResponse
	}
	return []byte(*out.Parameter.Value), nil
}
