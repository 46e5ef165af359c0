#!/usr/bin/env bash
# Runs the main demo on its embedded defaults: a scripted tour, then the
# orders API on 127.0.0.1:8080 until Ctrl-C. Flags pass through:
#   scripts/demo.sh -tour-only            # the tour only, then exit
#   scripts/demo.sh -addr 127.0.0.1:9090  # another port
# (through make: make demo ARGS='-addr 127.0.0.1:9090')
set -euo pipefail
cd "$(dirname "$0")/.."
exec go run ./examples/demo "$@"
