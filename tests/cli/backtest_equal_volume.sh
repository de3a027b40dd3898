#!/usr/bin/env bash
# mql-backtest --equal-volume on six decided MQLs worked by hand.  Tier a:
# L1 accepted, L2 and L3 rejected; tier b: L4 and L5 accepted; tier c: L6
# rejected (R1 is before --from: the reference, not evaluated).
#   old: a = 50 points, threshold 40: flags L1-L3 (3);
#   new: b = 60, a = 45, threshold 55: flags L4 and L5 (2).
# k = min(3, 2) = 2.  The old file's top 2 are two of three a's tied at 50:
# each counts 2/3, and one a in three was accepted: (2/3) / 2 = 1/3.  The
# new file's top 2 are L4 and L5, both accepted: 1.
# AUC over the six (accepted L1, L4, L5 against rejected L2, L3, L6, ties
# a half): old 50/0/0 against 50/50/0 wins 1 + 0.5 + 0.5 + 0.5 + 0.5 of 9
# = 3/9; new 45/60/60 against 45/45/0 wins 2 + 3 + 3 of 9 = 8/9.
set -u -o pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cat >"$tmp/contacts.csv" <<'CSV'
contact_id,created_at,mql_at,sal_at,rejected_at,tier
L1,2026-02-01,2026-02-02,2026-02-05,,a
L2,2026-02-01,2026-02-02,,2026-02-05,a
L3,2026-02-01,2026-02-02,,2026-02-05,a
L4,2026-02-01,2026-02-02,2026-02-05,,b
L5,2026-02-01,2026-02-02,2026-02-05,,b
L6,2026-02-01,2026-02-02,,2026-02-05,c
R1,2025-12-01,2025-12-02,2025-12-05,,a
CSV
printf 'contact_id,occurred_at,event\n' >"$tmp/events.csv"
cat >"$tmp/old.json" <<'JSON'
{"format": "mqlcal.rules/1", "name": "old", "threshold": 40,
 "fit": [{"id": "tier_a", "property": "tier", "op": "in", "values": ["a"], "points": 50}],
 "engagement": []}
JSON
cat >"$tmp/new.json" <<'JSON'
{"format": "mqlcal.rules/1", "name": "new", "threshold": 55,
 "fit": [{"id": "tier_b", "property": "tier", "op": "in", "values": ["b"], "points": 60},
         {"id": "tier_a", "property": "tier", "op": "in", "values": ["a"], "points": 45}],
 "engagement": []}
JSON
mql-backtest "$tmp/old.json" "$tmp/new.json" "$tmp/contacts.csv" "$tmp/events.csv" \
	--from 2026-01-01 --equal-volume "$tmp/equal.csv" -q >/dev/null ||
	fail "mql-backtest exited $?"
python3 - "$tmp/equal.csv" <<'PY' || fail "equal-volume.csv: $(cat "$tmp/equal.csv")"
import csv, sys
rows = {r["rules"]: r for r in csv.DictReader(open(sys.argv[1]))}
want = {"old": (6, 3, 2, 1 / 3, 3 / 9), "new": (6, 2, 2, 1.0, 8 / 9)}
assert set(rows) == set(want), rows
for name, (decided, flagged, volume, rate, auc) in want.items():
    r = rows[name]
    assert (int(r["decided"]), int(r["flagged"]), int(r["volume"])) == (decided, flagged, volume), r
    assert abs(float(r["accepted_rate"]) - rate) < 1e-12, r
    assert abs(float(r["auc"]) - auc) < 1e-12, r
    assert r["rules_file"].endswith(name + ".json"), r
PY
# --fail-if-worse: the new file accepts more at equal volume, so 0; the
# files swapped accept fewer, so 1.
mql-backtest "$tmp/old.json" "$tmp/new.json" "$tmp/contacts.csv" "$tmp/events.csv" \
	--from 2026-01-01 --fail-if-worse -q >/dev/null || fail "new is better, exited $?"
mql-backtest "$tmp/new.json" "$tmp/old.json" "$tmp/contacts.csv" "$tmp/events.csv" \
	--from 2026-01-01 --fail-if-worse -q >/dev/null
[ $? -eq 1 ] || fail "swapped files should exit 1"
echo ok
