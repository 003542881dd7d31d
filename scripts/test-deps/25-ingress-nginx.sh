#!/usr/bin/env bash
# Builds the real ingress-nginx controller (k8s.io/ingress-nginx/cmd/nginx at the controller-v1.15.1 commit, served by
# the Go module proxy as a pseudo-version) into ${EDGE_CACHE_DIR}/bin/nginx-ingress-controller, for
# test/controller-real (npm run verify:controller). The module has no replace directives, so it is built inside its
# own module directory with its own go.mod/go.sum (what `go install k8s.io/ingress-nginx/cmd/nginx@<version>` does);
# `go mod download` checks the module against the checksum database. The module's rootfs/etc/nginx (nginx.tmpl, Lua)
# stays in the module cache, where scripts/controller/paths.ts finds it. Same flags as upstream build/build.sh
# (CGO off, -trimpath, version ldflags). Rebuilt only when the version or Go changes (stamp next to the binary).
# When the proxy does not serve the version, this prints why and exits 0: the controller tests then say so and skip.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${EDGE_CACHE_DIR:-$ROOT/.cache}"
BIN="$CACHE/bin"
MODULE=k8s.io/ingress-nginx
VERSION=v0.0.0-20260319211545-0a5901f3c64f # controller-v1.15.1 = commit 0a5901f3c64f11e92e487799b8da3f00cca37515
mkdir -p "$BIN" "$CACHE/go/mod" "$CACHE/go/build"
export GOMODCACHE="$CACHE/go/mod" GOCACHE="$CACHE/go/build" GOFLAGS="-mod=readonly" CGO_ENABLED=0

if ! command -v go >/dev/null; then
  echo "test-deps: go not found (needed to build the ingress-nginx controller)" >&2
  exit 1
fi
stamp="$MODULE@$VERSION $(go env GOVERSION) cgo=0"
if [ -x "$BIN/nginx-ingress-controller" ] && [ "$(cat "$BIN/.nginx-ingress-controller.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "test-deps: nginx-ingress-controller up to date in $BIN"
  exit 0
fi
if ! out="$(cd "$CACHE" && go mod download -json "$MODULE@$VERSION" 2>&1)"; then
  echo "test-deps: nginx-ingress-controller NOT built: the Go module proxy does not serve $MODULE@$VERSION (controller-v1.15.1):"
  printf '%s\n' "$out" | grep -E '"Error"|^go:|Forbidden|not available' | head -3 | sed 's/^/test-deps:   /'
  echo "test-deps: test/controller-real reports this and skips"
  exit 0
fi
dir="$(printf '%s\n' "$out" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
start=$SECONDS
echo "test-deps: building nginx-ingress-controller from $MODULE@$VERSION (first build takes minutes) ..."
(cd "$dir" && go build -trimpath -buildvcs=false \
  -ldflags="-buildid= -w -s -X $MODULE/version.RELEASE=controller-v1.15.1 -X $MODULE/version.COMMIT=0a5901f3c64f11e92e487799b8da3f00cca37515 -X $MODULE/version.REPO=https://github.com/kubernetes/ingress-nginx" \
  -o "$BIN/nginx-ingress-controller" ./cmd/nginx)
echo "$stamp" > "$BIN/.nginx-ingress-controller.stamp"
echo "test-deps: built nginx-ingress-controller in $((SECONDS - start)) s"
