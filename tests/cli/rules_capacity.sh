#!/usr/bin/env bash
# mql-rules --capacity N picks the lowest threshold at which the new rule
# file makes at most N MQLs a month over the last 3 complete months before
# the history's end, and says which months with the MQLs expected in each.
# Checked with the scorer's own command: mql-score dates the MQLs of the
# written rule file (mql_at) and of the same file with the threshold one
# point lower; in the months named, the first must count what the
# provenance says month by month, within 60 a month, and the second above.
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
	-o capacity.json >summary.txt 2>&1 || fail "mql-rules exited $?"
threshold=$(jq .threshold capacity.json)
jq -e '.provenance.operating_point.mqls_per_month <= 60' capacity.json >/dev/null ||
	fail "provenance: $(jq -c .provenance.operating_point capacity.json)"
# the last three complete months of a history ending in September 2026
months=$(jq -r '[.provenance.operating_point.capacity_months[].month] | join(" ")' capacity.json)
[ "$months" = "2026-06 2026-07 2026-08" ] || fail "months used: '$months'"
grep -q "capacity: calibrated on the 3 complete months before the history's end" summary.txt ||
	fail "the summary does not say which months: $(cat summary.txt)"
expected=$(jq -r '[.provenance.operating_point.capacity_months[].mqls] | join(" ")' capacity.json)
jq ".threshold = $threshold - 1" capacity.json >lower.json
per_month() {
	mql-score "$1" contacts.csv events.csv --format csv -q |
		awk -F, -v months="$months" 'BEGIN { split(months, m, " ") }
			NR > 1 && $6 == 1 { n[substr($7, 1, 7)]++ }
			END { printf "%d %d %d", n[m[1]], n[m[2]], n[m[3]] }'
}
at=$(per_month capacity.json)
below=$(per_month lower.json)
[ "$at" = "$expected" ] || fail "mql-score counts $at in $months, mql-rules expected $expected"
awk -v a="$at" -v b="$below" 'BEGIN { split(a, x, " "); split(b, y, " ")
	exit !(x[1] + x[2] + x[3] <= 180 && y[1] + y[2] + y[3] > 180) }' ||
	fail "threshold $threshold: $at MQLs in $months; one point lower: $below"
exit 0
