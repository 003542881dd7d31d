#!/usr/bin/env bash
# Debian packages of the real-engine tests (nginx + libmodsecurity3 + CRS, openssl, curl) and, when the machine
# has no kubectl on PATH, Debian's kubernetes-client (existing tests run `kubectl kustomize`). Installs only what
# dpkg does not list as installed; needs root (otherwise it says what is missing and leaves it to the tests).
set -euo pipefail
PACKAGES=(nginx-light libnginx-mod-http-modsecurity modsecurity-crs openssl curl ca-certificates)
command -v kubectl >/dev/null || PACKAGES+=(kubernetes-client)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "test-deps: Debian packages present"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "test-deps: missing Debian packages (install them as root): ${missing[*]}" >&2
  exit 0
fi
echo "test-deps: apt-get install ${missing[*]} ..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "test-deps: installed ${missing[*]}"
