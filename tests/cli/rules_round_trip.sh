#!/usr/bin/env bash
# What a rule file carries besides its rules survives a review: mql-rules
# --previous keeps the previous file's score_limit, grades (with their
# unknown keys) and unknown top-level keys, and the new file still loads in
# mql-score.  mql-fit says that score_limit is not part of the fit.
set -euo pipefail
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mql-gen --contacts 3000 --seed 5 -o "$T/h" --quiet
jq '. + {"score_limit": [-50, 150],
         "grades": {"fit": [60, 30, 10], "engagement": [40, 20, 5], "note": "Q3 bands"},
         "owner": "revops@example.com", "scorer": {"version": 7}}' \
	"$T/h/rules.json" >"$T/old.json"
mql-fit "$T/h/contacts.csv" "$T/h/events.csv" --rules "$T/old.json" \
	-o "$T/model.json" >"$T/summary.txt"
jq -e '.warnings | map(select(test("score_limit \\[-50, 150\\] is not fitted"))) | length == 1' \
	"$T/model.json" >/dev/null || fail "mql-fit does not say score_limit is not fitted"
mql-rules "$T/model.json" --previous "$T/old.json" -o "$T/new.json" -q >/dev/null
jq -e '.score_limit == [-50, 150]' "$T/new.json" >/dev/null || fail "score_limit lost"
jq -e '.grades == {"fit": [60, 30, 10], "engagement": [40, 20, 5], "note": "Q3 bands"}' \
	"$T/new.json" >/dev/null || fail "grades lost"
jq -e '.owner == "revops@example.com" and .scorer == {"version": 7}' \
	"$T/new.json" >/dev/null || fail "unknown top-level keys lost"
# The rules themselves are the fitted ones, not the old ones.
jq -e '.provenance.previous != null' "$T/new.json" >/dev/null || fail "no provenance"
mql-score "$T/new.json" "$T/h/contacts.csv" "$T/h/events.csv" --format csv -q >"$T/scores.csv"
# grades are letters and digits from the kept cut-offs: every grade is A-D then 1-4
awk -F, 'NR > 1 && $5 !~ /^[ABCD][1234]$/ { bad++ } END { exit bad > 0 }' "$T/scores.csv" ||
	fail "scores of the new file lack grades"
echo ok
