#!/usr/bin/env bash
# The threshold mql-rules picks is measured on predictions the model did
# not fit: with --folds or --holdout-from, model.json's operating points
# come from the out-of-fold or held-out predictions (so their total rows
# are the validation's n and their positives the validation rows'
# positives, counted here from the population), and mql-rules says which;
# without validation they are the fitted rows', with a warning that this
# flatters precision.
set -euo pipefail
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mql-gen --contacts 4000 --seed 23 -o "$T/h" --quiet
h=$T/h
mql-fit "$h/contacts.csv" "$h/events.csv" --rules "$h/rules.json" -q -o "$T/plain.json"
mql-fit "$h/contacts.csv" "$h/events.csv" --rules "$h/rules.json" --folds 5 -q -o "$T/folds.json"
mql-fit "$h/contacts.csv" "$h/events.csv" --rules "$h/rules.json" --holdout-from 2025-07-01 -q -o "$T/holdout.json"
jq -e '.operating_points_on == "fitted rows" and (.warnings | map(select(test("flatters"))) | length == 1)' \
	"$T/plain.json" >/dev/null || fail "no warning on fitted-row operating points"
jq -e '.operating_points_on == "folds" and (.warnings | map(select(test("flatters"))) | length == 0)' \
	"$T/folds.json" >/dev/null || fail "folds: operating points not on out-of-fold predictions"
jq -e '.operating_points_on == "holdout"' "$T/holdout.json" >/dev/null || fail "holdout basis"
# The lowest cut takes every row it was measured on: all n rows with
# folds, only the held-out rows (validation n, not the n fitted) with a
# holdout.
jq -e '(.operating_points | max_by(.above) | .above) == .n' "$T/folds.json" >/dev/null ||
	fail "folds: the widest operating point does not cover every row"
jq -e '(.operating_points | max_by(.above) | .above) == .validation.n and .validation.n != .n' \
	"$T/holdout.json" >/dev/null || fail "holdout: operating points not on the held-out rows"
mql-rules "$T/folds.json" -o "$T/r.json" 2>&1 | grep -q "on out-of-fold predictions" ||
	fail "mql-rules does not say the threshold is on out-of-fold predictions"
mql-rules "$T/plain.json" -o "$T/r.json" 2>&1 | grep -q "optimistic" ||
	fail "mql-rules does not say fitted-row precision is optimistic"
echo ok
