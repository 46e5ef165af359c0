// Package validate checks request bodies and event payloads against JSON
// Schemas compiled once at start-up.
//
// A compiled [Schema] validates bytes and reports each failure as a
// Violation with a JSON Pointer, the keyword that failed and a message that
// never echoes the rejected value. Network $ref resolution is impossible;
// schemas referenced by URL must be supplied up front. Thin transports wrap
// the decision for net/http and for Lambda events (HTTP-shaped events, SQS
// and Kinesis batches with partial batch failures, SNS and EventBridge).
package validate
