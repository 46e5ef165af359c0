#!/usr/bin/env bash
# Runs every fnshield test on a fresh machine: installs the tools the tests
# need, checks formatting and vet, then runs all tests with the race detector.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/tools.sh

echo "== gofmt"
unformatted=$(gofmt -l . | grep -v '^bench/' || true)
if [ -n "$unformatted" ]; then
  echo "gofmt would change these files:" >&2
  echo "$unformatted" >&2
  exit 1
fi

echo "== go vet"
go vet ./...

echo "== go test -race"
go test -race -count=1 -timeout 25m ./...

if [ -f bench/go.mod ]; then
  # The benchmarks themselves run by hand (make bench); here the module must
  # build and fnshield must agree with each peer on every benchmark input.
  echo "== bench module (peer comparisons): vet and parity"
  (cd bench && go vet ./... && go test -count=1 -run 'Parity' ./...)
fi
