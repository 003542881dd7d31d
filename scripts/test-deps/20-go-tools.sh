#!/usr/bin/env bash
# Builds the control-plane binaries the cluster tests run, from the Go module proxy, into ${EDGE_CACHE_DIR}/bin:
# kube-apiserver + kubectl (tools/kube-apiserver), kine (tools/kine), trust-manager (tools/trust-manager) and
# controller-gen (tools/controller-gen: generates Flux's HelmRelease CRD, see scripts/cluster/crds.ts), and
# coraza-host (tools/coraza-host: our Go host running Coraza v3.7.0 + coraza-coreruleset v4.25.0 as the Envoy
# Gateway WAF filter does, for test/coraza and bench/coraza.ts).
# CGO is off: no C compiler needed, and kine then uses its pure-Go SQLite driver (modernc.org/sqlite,
# pkg/drivers/sqlite/sqlite_nocgo.go of kine v0.17.5).
# Each wrapper module pins its versions (go.mod) and checksums (go.sum); a binary is rebuilt only when its module's
# go.mod/go.sum or the Go version change (stamp file next to it). Module and build caches: ${EDGE_CACHE_DIR}/go/{mod,build}.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${EDGE_CACHE_DIR:-$ROOT/.cache}"
BIN="$CACHE/bin"
mkdir -p "$BIN" "$CACHE/go/mod" "$CACHE/go/build"
export GOMODCACHE="$CACHE/go/mod" GOCACHE="$CACHE/go/build" GOFLAGS="-mod=readonly -trimpath" CGO_ENABLED=0

if ! command -v go >/dev/null; then
  echo "test-deps: go not found (Go 1.26 is needed to build kube-apiserver, kine, trust-manager)" >&2
  exit 1
fi

# build <module dir under tools/> <binary names...> -- <packages...>   ($LDFLAGS: linker flags, $TAGS: build tags; default none)
build() {
  local dir="$ROOT/tools/$1"; shift
  local names=() pkgs=()
  while [ "$1" != "--" ]; do names+=("$1"); shift; done; shift
  pkgs=("$@")
  local stamp
  # Our own sources count too (tools/coraza-host/main.go); the wrappers' tools.go only names what to build.
  local src f
  src="$(for f in "$dir"/*.go; do if [ -e "$f" ] && [ "$(basename "$f")" != tools.go ]; then cat "$f"; fi; done)"
  stamp="$( (cat "$dir/go.mod" "$dir/go.sum"; echo "${LDFLAGS:-}"; if [ -n "${TAGS:-}" ]; then echo "tags=$TAGS"; fi; if [ -n "$src" ]; then echo "$src"; fi) | sha256sum | cut -c1-16) $(go env GOVERSION) cgo=0"
  local fresh=1 n
  for n in "${names[@]}"; do
    [ -x "$BIN/$n" ] && [ "$(cat "$BIN/.$n.stamp" 2>/dev/null)" = "$stamp" ] || fresh=0
  done
  if [ "$fresh" = 1 ]; then
    echo "test-deps: ${names[*]} up to date in $BIN"
    return
  fi
  local start=$SECONDS
  echo "test-deps: building ${names[*]} from tools/$(basename "$dir") (first build takes minutes) ..."
  (cd "$dir" && go build ${TAGS:+-tags="$TAGS"} -ldflags="${LDFLAGS:-}" -o "$BIN/" "${pkgs[@]}")
  for n in "${names[@]}"; do echo "$stamp" > "$BIN/.$n.stamp"; done
  echo "test-deps: built ${names[*]} in $((SECONDS - start)) s"
}

build kine kine -- github.com/k3s-io/kine
# Version stamping as kubernetes' hack/lib/version.sh does (without it both report v0.0.0-master and the API
# server's /version and compatibility version are wrong): gitVersion/gitMajor/gitMinor of the required version.
KUBE_VERSION="$(sed -n 's/^require k8s.io\/kubernetes \(v[0-9.]*\)$/\1/p' "$ROOT/tools/kube-apiserver/go.mod")"
KUBE_MINOR="$(echo "$KUBE_VERSION" | cut -d. -f2)"
KUBE_LDFLAGS=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  KUBE_LDFLAGS+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$KUBE_MINOR -X $pkg.gitTreeState=clean"
done
LDFLAGS="$KUBE_LDFLAGS" build kube-apiserver kube-apiserver kubectl -- k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl
build trust-manager trust-manager -- github.com/cert-manager/trust-manager/cmd/trust-manager
build controller-gen controller-gen -- sigs.k8s.io/controller-tools/cmd/controller-gen
# The build tags of built-on-envoy's composer module (extensions/composer/Makefile.common line 9): `@rx` without the
# multiline default, case-sensitive ARGS keys, rule ids mandatory — so our host compiles rules as the module does.
TAGS=coraza.rule.case_sensitive_args_keys,coraza.rule.no_regex_multiline,coraza.rule.mandatory_rule_id_check build coraza-host coraza-host -- .
build egctl egctl -- github.com/envoyproxy/gateway/cmd/egctl
build cel-check cel-check -- .
