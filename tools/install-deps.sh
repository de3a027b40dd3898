#!/usr/bin/env bash
# Installs the Debian packages mqlcal needs to build, test and run its review,
# only those that are missing.  Uses sudo when not root.
set -euo pipefail
packages=(build-essential cmake pkg-config clang-format
          libgsl-dev libcsv-dev libcjson-dev libcunit1-dev
          r-base-core r-cran-survival gawk python3 jq postgresql
          clang libclang-rt-14-dev chromium
          python3-pandas python3-matplotlib jupyter-core jupyter-nbconvert python3-ipykernel)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
