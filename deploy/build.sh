#!/usr/bin/env bash
# Builds the production binary of Boussole: static (CGO_ENABLED=0), paths
# trimmed, without the demo and its fake Telegram (-tags nodemo), with the
# version stamped (boussole version prints it). Flows and locales are
# embedded in the binary already.
#
# Usage: deploy/build.sh [OUTPUT]        (default: bin/boussole)
#   VERSION=1.4.0 deploy/build.sh        the version to stamp; default: git describe, else "dev"
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bin/boussole}
version=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
case "$version" in
*[!A-Za-z0-9._+-]*) echo "build.sh: VERSION=$version: use letters, digits and . _ + -" >&2; exit 2 ;;
esac
CGO_ENABLED=0 go build -trimpath -tags nodemo \
	-ldflags "-s -w -X main.version=$version" \
	-o "$out" ./cmd/boussole
echo "build.sh: $out ($version)"
