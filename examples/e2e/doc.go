// Package e2e proves the Lambda examples end to end: its tests build each
// example's bootstrap binary, run it under the AWS Lambda Runtime Interface
// Emulator (aws-lambda-rie, installed into .bin/ by scripts/tools.sh) on a
// loopback port, and invoke it with the JSON events API Gateway and SQS send,
// exactly as Lambda runs it. They also copy each example folder into a module
// of its own and build it there, since users copy the examples as templates.
//
// Unlike the examples themselves, this package may import fnshield's internal
// test helpers (internal/testtool, internal/testredis): it never leaves the
// repository. Without the emulator or redis-server the tests skip with a
// message, and fail under CI=true.
package e2e
