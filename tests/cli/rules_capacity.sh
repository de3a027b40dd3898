#!/usr/bin/env bash
# mql-rules --capacity N picks the lowest threshold at which the new rule
# file makes at most N MQLs a month over the history.  Checked with the
# scorer's own command: mql-score counts the MQLs of the written rule file
# and of the same file with the threshold one point lower; over the 24
# months of the generated history (truth.json: 2024-10-01 to 2026-10-01)
# the first must be within 60 a month and the second above it.
set -u -o pipefail
command -v mql-gen >/dev/null || { echo "mql-gen not built: skipped"; exit 77; }
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mql-gen --contacts 10000 --seed 3 -o "$tmp" >/dev/null 2>&1 || fail "mql-gen exited $?"
cd "$tmp" || fail "cd"
[ "$(jq -r '.generation.start + " " + .generation.end' truth.json)" = \
	"2024-10-01T00:00:00Z 2026-10-01T00:00:00Z" ] || fail "the history is not two years"
mql-fit contacts.csv events.csv --rules rules.json -o model.json -q || fail "mql-fit exited $?"
mql-rules model.json events.csv --history contacts.csv --capacity 60/month \
	-o capacity.json -q >/dev/null || fail "mql-rules exited $?"
threshold=$(jq .threshold capacity.json)
jq -e '.provenance.operating_point.mqls_per_month <= 60' capacity.json >/dev/null ||
	fail "provenance: $(jq -c .provenance.operating_point capacity.json)"
jq ".threshold = $threshold - 1" capacity.json >lower.json
per_month() {
	mql-score "$1" contacts.csv events.csv --format csv -q |
		awk -F, 'NR > 1 && $6 == 1 { n++ } END { printf "%.3f", n / 24 }'
}
at=$(per_month capacity.json)
below=$(per_month lower.json)
awk -v a="$at" -v b="$below" 'BEGIN { exit !(a <= 60 && b > 60) }' ||
	fail "threshold $threshold: $at MQLs a month; one point lower: $below"
exit 0
