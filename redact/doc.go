// Package redact removes secrets and personal data from logs.
//
// A Redactor finds sensitive values by key (password, token, authorization,
// cookie, api key, ...) and by value anywhere in text (emails, payment cards,
// IBANs, cloud and API credentials, JWTs, private keys, passwords in URLs),
// and replaces them with a marker, a stable pseudonym or a custom mask. It
// plugs into log/slog as a Handler wrapper or ReplaceAttr function, and into
// any other logger as a line-buffered io.Writer.
package redact
