#!/usr/bin/env bash
# A fit rule may test the lead source (channel) like any property:
# `in` compares trimmed values case-insensitively, a missing channel
# matches only `missing`.  Expected scores worked by hand below.
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/contacts.csv" <<'CSV'
contact_id,created_at,channel
a,2026-01-01,paid_search
b,2026-01-01, Paid_Search
c,2026-01-01,events
d,2026-01-01,
CSV
printf 'contact_id,occurred_at,event\n' >"$dir/events.csv"
cat >"$dir/rules.json" <<'JSON'
{"format": "mqlcal.rules/1", "name": "channel test", "threshold": 10,
 "fit": [
  {"id": "paid", "property": "channel", "op": "in", "values": ["PAID_SEARCH"], "points": 10},
  {"id": "no_source", "property": "channel", "op": "missing", "points": 3}
 ],
 "engagement": []}
JSON
mql-score "$dir/rules.json" "$dir/contacts.csv" "$dir/events.csv" \
	--as-of 2026-02-01 --format csv -o "$dir/scores.csv"
# a, b: 10 (paid, mql); c: 0; d: 3 (missing channel only)
got=$(awk -F, 'NR > 1 { printf "%s=%s/%s ", $1, $2, $6 }' "$dir/scores.csv")
want="a=10/1 b=10/1 c=0/0 d=3/0 "
if [ "$got" != "$want" ]; then
	echo "scores: got '$got', want '$want'" >&2
	exit 1
fi
