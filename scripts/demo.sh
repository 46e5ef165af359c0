#!/usr/bin/env bash
# Runs the main demo on its embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d examples/demo ]; then
  exec go run ./examples/demo "$@"
fi
echo "The demo app arrives with the examples issue; until then, 'make test' shows every package at work." >&2
