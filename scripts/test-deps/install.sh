#!/usr/bin/env bash
# Installs or builds everything the tests need, idempotently, caching into ${EDGE_CACHE_DIR:-<repo>/.cache}:
# runs every scripts/test-deps/[0-9][0-9]-*.sh in order. `npm test` runs it first (pretest).
#   10-debian.sh     Debian packages (nginx + ModSecurity + CRS, openssl, curl), when root
#   20-go-tools.sh   kube-apiserver, kubectl, kine, trust-manager, controller-gen from the Go module proxy
#   30-trixie.sh     Debian 13 root with libmodsecurity 3.0.14 for the engine suite (when present)
# Set EDGE_SKIP_TEST_DEPS=1 to skip (the tests then report what is missing).
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$DIR/../.." && pwd)"
if [ "${EDGE_SKIP_TEST_DEPS:-}" = 1 ]; then
  echo "test-deps: skipped (EDGE_SKIP_TEST_DEPS=1)"
  exit 0
fi
start=$SECONDS
if [ ! -d "$ROOT/node_modules" ]; then
  echo "test-deps: node_modules missing, running npm ci ..."
  (cd "$ROOT" && npm ci --no-audit --no-fund)
fi
for step in "$DIR"/[0-9][0-9]-*.sh; do
  [ -e "$step" ] || continue
  echo "test-deps: $(basename "$step")"
  bash "$step"
done
echo "test-deps: ready in $((SECONDS - start)) s (cache: ${EDGE_CACHE_DIR:-$ROOT/.cache})"
