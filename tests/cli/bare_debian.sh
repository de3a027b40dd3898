#!/usr/bin/env bash
# ./review and ./test work on a machine without make: they install the
# packages first (build-essential brings make), then call make; and
# tools/install-deps.sh itself needs nothing that build-essential brings.
set -euo pipefail
src=${MQL_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A PATH with only the basic tools of a minimal Debian: no make, no cc.
mkdir "$tmp/sys" "$tmp/stub"
for t in bash dirname cat grep chmod; do ln -s "$(command -v "$t")" "$tmp/sys/$t"; done
ROOT_PATH="$tmp/stub:$tmp/sys"

for cmd in review test; do
  [ -x "$src/$cmd" ]
  # a copy of the layout, whose install-deps.sh "installs" make
  rm -rf "$tmp/repo" && mkdir -p "$tmp/repo/tools"
  cp "$src/$cmd" "$tmp/repo/"
  cat >"$tmp/repo/tools/install-deps.sh" <<STUB
#!/usr/bin/env bash
echo deps >>"$tmp/log"
printf '#!/usr/bin/env bash\necho "make \$*" >>"$tmp/log"\n' >"$tmp/stub/make"
chmod +x "$tmp/stub/make"
STUB
  chmod +x "$tmp/repo/tools/install-deps.sh"
  rm -f "$tmp/log" "$tmp/stub/make"
  (cd / && PATH=$ROOT_PATH "$tmp/repo/$cmd")
  [ "$(cat "$tmp/log")" = "deps
make $cmd" ]

  # a failed installation stops before make
  printf '#!/usr/bin/env bash\necho deps >>"%s/log"\nexit 3\n' "$tmp" >"$tmp/repo/tools/install-deps.sh"
  printf '#!/usr/bin/env bash\necho "make $*" >>"%s/log"\n' "$tmp" >"$tmp/stub/make"
  chmod +x "$tmp/stub/make"
  rm -f "$tmp/log"
  status=0
  PATH=$ROOT_PATH "$tmp/repo/$cmd" 2>/dev/null || status=$?
  [ "$status" -ne 0 ]
  [ "$(cat "$tmp/log")" = "deps" ]
done
rm -f "$tmp/stub/make"

# install-deps.sh as a user without make or any package: it asks sudo to
# apt-get install build-essential, and needs nothing else on PATH.
printf '#!/usr/bin/env bash\nexit 1\n' >"$tmp/stub/dpkg-query"
printf '#!/usr/bin/env bash\necho 1000\n' >"$tmp/stub/id"
printf '#!/usr/bin/env bash\necho "sudo $*" >>"%s/log"\n' "$tmp" >"$tmp/stub/sudo"
chmod +x "$tmp/stub/dpkg-query" "$tmp/stub/id" "$tmp/stub/sudo"
rm -f "$tmp/log"
PATH=$ROOT_PATH "$src/tools/install-deps.sh" 2>/dev/null
grep -q '^sudo apt-get update' "$tmp/log"
grep -q '^sudo apt-get install .* build-essential ' "$tmp/log"
[ "$(grep -c '^sudo apt-get install' "$tmp/log")" -eq 1 ]
