#!/usr/bin/env bash
# tools/check-layers.sh passes the tree as it is, and rejects a copy with an
# engine including a rules header, a base header including a data family's
# private header, a family's _internal.h included from another family, and
# a file no family claims.
set -u -o pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
check="$MQL_SRC/tools/check-layers.sh"
"$check" "$MQL_SRC" >"$tmp/out" || fail "the tree breaks its own map: $(cat "$tmp/out")"
cp -r "$MQL_SRC/libcore" "$tmp/"
"$check" "$tmp" >/dev/null || fail "a plain copy fails"
sed -i '1i #include <mqlcal/score.h>' "$tmp/libcore/src/logit.c"
sed -i '1i #include "csv_ranges.h"' "$tmp/libcore/include/mqlcal/dict.h"
sed -i '1i #include "funnel_internal.h"' "$tmp/libcore/src/funnel_report.c"
echo 'int x;' >"$tmp/libcore/src/mystery.c"
"$check" "$tmp" >"$tmp/out"
[ $? -eq 1 ] || fail "violations accepted: $(cat "$tmp/out")"
grep -qx 'libcore/src/logit.c:1: logit (engines) includes mqlcal/score.h (rules), a layer it may not include' "$tmp/out" ||
	fail "engine including rules: $(cat "$tmp/out")"
grep -qx 'libcore/include/mqlcal/dict.h:1: dict (base) includes csv_ranges.h (data), a layer it may not include' "$tmp/out" ||
	fail "base including data: $(cat "$tmp/out")"
grep -qx 'libcore/src/funnel_report.c:1: funnel_report includes funnel_internal.h, private to funnel' "$tmp/out" ||
	fail "another family's internal header: $(cat "$tmp/out")"
grep -qx 'libcore/src/mystery.c: no family of the layer map claims it (add it to libcore/README.md)' "$tmp/out" ||
	fail "unclaimed file: $(cat "$tmp/out")"
[ "$(wc -l <"$tmp/out")" -eq 5 ] || fail "other complaints: $(cat "$tmp/out")"
echo ok
