#!/bin/sh
# Debian 13 (trixie) root for the real-engine suite: nginx 1.26 + libmodsecurity 3.0.14, the libmodsecurity release
# the ingress-nginx v1.15.1 image bundles (Debian 12's host packages have 3.0.9). The harness runs nginx from this
# root in a private mount namespace (test/engine/harness/engine-root.ts); without it the suite falls back to the host
# packages and says so.
#
# Idempotent and cached: the root lives in ${EDGE_CACHE_DIR:-<repo>/.cache}/trixie/root; a stamp file beside it holds
# the installed package versions, and a later run with the stamp and the binaries present does nothing.
# Runs as root only (debootstrap and chroot need it); otherwise prints why and exits 0 so an installer continues.
# Usage: scripts/test-deps/30-trixie.sh   (also called by scripts/test-deps/install.sh)
# Env: EDGE_CACHE_DIR (cache folder), TRIXIE_MIRROR (default http://deb.debian.org/debian).
set -eu

repo=$(cd "$(dirname "$0")/../.." && pwd)
cache=${EDGE_CACHE_DIR:-$repo/.cache}
dir=$cache/trixie
root=$dir/root
stamp=$dir/stamp
mirror=${TRIXIE_MIRROR:-http://deb.debian.org/debian}
# What the harness needs inside the root. libmodsecurity3t64 is named so that a rename fails here, not in a test.
packages="nginx libnginx-mod-http-modsecurity libmodsecurity3t64 openssl"
started=$(date +%s)

say() { printf '[30-trixie] %s\n' "$*"; }

if [ "$(id -u)" != 0 ]; then
  say "not root (uid $(id -u)): debootstrap and chroot need root, so the Debian 13 root is not built."
  say "the real-engine suite falls back to the host's libmodsecurity (Debian 12: 3.0.9) and says so."
  exit 0
fi

mkdir -p "$dir"
# One builder at a time (helpers and CI may share EDGE_CACHE_DIR).
exec 9>"$dir/lock"
flock 9

versions() {
  # shellcheck disable=SC2086
  dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Package} ${Version}\n' $packages 2>/dev/null
}

complete() {
  [ -f "$stamp" ] && [ -x "$root/usr/sbin/nginx" ] && [ -f "$root/usr/lib/nginx/modules/ngx_http_modsecurity_module.so" ] &&
    [ "$(versions)" = "$(cat "$stamp")" ]
}

if complete; then
  say "cached: $root"
  sed 's/^/[30-trixie]   /' "$stamp"
  exit 0
fi

if ! command -v debootstrap >/dev/null 2>&1; then
  say "installing debootstrap (apt-get)"
  apt-get install -y --no-install-recommends debootstrap >/dev/null
fi

for d in "$root" "$root.tmp"; do
  if [ -e "$d" ]; then
    say "removing an incomplete root from an earlier run: $d"
    rm -rf "$d"
  fi
done

say "debootstrap --variant=minbase trixie -> $root (mirror $mirror; a few minutes on first run)"
incl=$(echo "$packages" | tr ' ' ',')
debootstrap --variant=minbase --include="$incl" trixie "$root.tmp" "$mirror" 2>&1 |
  grep -E '^(I: (Retrieving Release|Validating Packages|Resolving|Found additional|Checking component|Extracting base-files|Installing core|Configuring base-files|Base system installed)|E:|W:)' |
  sed 's/^/[30-trixie]   /' || true
if [ ! -x "$root.tmp/usr/sbin/nginx" ]; then
  say "debootstrap failed (see above); leaving no root behind"
  rm -rf "$root.tmp"
  exit 1
fi
# The harness passes its own nginx.conf; drop Debian's default site so a stray `nginx` in the root serves nothing.
rm -f "$root.tmp/etc/nginx/sites-enabled/default"
apt_clean() { rm -rf "$root.tmp/var/cache/apt/archives/"*.deb; }
apt_clean
mv "$root.tmp" "$root"

versions >"$stamp.tmp"
for p in $packages; do
  grep -q "^$p " "$stamp.tmp" || { say "package $p is not installed in the root"; rm -f "$stamp.tmp"; exit 1; }
done
mv "$stamp.tmp" "$stamp"
say "built in $(($(date +%s) - started)) s: $root ($(du -sm "$root" | cut -f1) MB)"
sed 's/^/[30-trixie]   /' "$stamp"
