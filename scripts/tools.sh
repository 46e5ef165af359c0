#!/usr/bin/env bash
# Installs what fnshield's tests need when it is missing and can be had:
#   - redis-server, from Debian's packages (only when running as root);
#   - gcc, likewise, when missing: the race detector needs cgo;
#   - the AWS Lambda Runtime Interface Emulator, built with `go install` at a
#     pinned version into the git-ignored .bin/ folder.
# Safe to run again: it does nothing when the tools are already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned: the emulator publishes no Go-module tags, so this is the pseudo-version
# of a known-good commit.
RIE_VERSION="v0.0.0-20261030222936-bef5c4ba774d"

if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "tools: installing redis-server from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  else
    echo "tools: redis-server is missing and cannot be installed here (not root); Redis tests will skip outside CI" >&2
  fi
fi

# go test -race needs cgo, so a C compiler.
if ! command -v gcc >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "tools: installing gcc from Debian's packages (the race detector needs cgo)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends gcc libc6-dev >/dev/null
  else
    echo "tools: gcc is missing and cannot be installed here (not root); go test -race will fail" >&2
  fi
fi

if [ ! -x .bin/aws-lambda-rie ]; then
  echo "tools: installing aws-lambda-rie ${RIE_VERSION} into .bin/"
  GOBIN="$PWD/.bin" go install "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@${RIE_VERSION}"
fi
