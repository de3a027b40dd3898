#!/usr/bin/env bash
# Model and rules are the same function.  On a generated history, fit the
# true rule structure (mql-gen's truth.json, without its channel rules,
# which are not contact properties), write integer points with mql-rules,
# and have it replay the model's rows from the history (--rows).  R, not
# mqlcal, then computes on those rows: Spearman's rank correlation of the
# integer score with the model's linear predictor (must be >= 0.99), and
# the AUC of each against acceptance (rounding may lose at most 0.005).
# The R script is tests/fixtures/rules/same_function.R.
set -u -o pipefail
command -v mql-gen >/dev/null || { echo "mql-gen not built: skipped"; exit 77; }
command -v Rscript >/dev/null || { echo "Rscript missing: skipped"; exit 77; }
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mql-gen --contacts 4000 --seed 7 -o "$tmp" >/dev/null 2>&1 || fail "mql-gen exited $?"
jq '.rules | .fit |= map(select(.property != "channel"))' "$tmp/truth.json" \
	>"$tmp/structure.json" || fail "jq on truth.json"
mql-fit "$tmp/contacts.csv" "$tmp/events.csv" --rules "$tmp/structure.json" \
	-o "$tmp/model.json" -q || fail "mql-fit exited $?"
for pdo in 20 10; do
	mql-rules "$tmp/model.json" "$tmp/events.csv" --history "$tmp/contacts.csv" \
		--pdo $pdo --rows "$tmp/rows.csv" -o "$tmp/rules.json" -q ||
		fail "mql-rules --pdo $pdo exited $?"
	Rscript "$MQL_FIXTURES/rules/same_function.R" "$tmp/rows.csv" ||
		fail "pdo $pdo: R says the points do not rank like the model"
done
# The rule file carries what was measured, and it agrees with R's bound.
# The last file was written with --pdo 10: 10 points double the odds, so
# a logit is worth 10 / ln 2 = 14.4270 points.
jq -e '.provenance.rounding.measured_on == "history rows" and
       .provenance.rounding.spearman >= 0.99 and
       .calibration.points_per_logit > 14.42 and
       .calibration.points_per_logit < 14.43' "$tmp/rules.json" >/dev/null ||
	fail "provenance: $(jq -c .provenance "$tmp/rules.json")"
