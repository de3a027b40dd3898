#!/usr/bin/env bash
# mql-backtest on a generated history whose old rule file is deliberately
# wrong (mql-gen).  Fit the true structure on the months before the
# holdout, write the rule file, and replay both over the held-out months:
# the fitted file must accept more of its MQLs and rank decided leads better
# (AUC), --fail-if-worse must pass; with the two files swapped it must exit
# 1.  The expectation comes from how the data were made: acceptance is drawn
# from the true model, which the old rules ignore in part.
set -u -o pipefail
command -v mql-gen >/dev/null || { echo "mql-gen not built: skipped"; exit 77; }
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mql-gen --contacts 6000 --seed 11 -o "$tmp" >/dev/null 2>&1 || fail "mql-gen exited $?"
cd "$tmp" || fail "cd"
jq '.rules | .fit |= map(select(.property != "channel"))' truth.json \
	>structure.json || fail "jq on truth.json"
mql-fit contacts.csv events.csv --rules structure.json \
	--holdout-from 2025-10-01 -o model.json -q || fail "mql-fit exited $?"
mql-rules model.json --previous rules.json -o fitted.json -q ||
	fail "mql-rules exited $?"

mql-backtest rules.json fitted.json contacts.csv events.csv --from 2025-10-01 \
	--by quarter --fail-if-worse --format json --html report.html \
	>table.json 2>summary.txt
status=$?
[ $status -eq 0 ] || fail "fitted file judged worse (exit $status): $(cat summary.txt)"
grep -q "at least as good" summary.txt || fail "summary: $(cat summary.txt)"
# mql-gen's MQLs are the old file's first crossings and only MQLs become
# customers, so the old file's overall recall is 1 by construction, and
# the summary and page must say so beside it.
jq -e 'map(select(.period == "all"))[0].customer_recall == 1' table.json >/dev/null ||
	fail "the old file's overall customer recall is not 1"
grep -q "customer recall is 1 by construction" summary.txt ||
	fail "no note on the old file's recall: $(cat summary.txt)"
grep -q "recall is 1 by construction" report.html || fail "the page lacks the recall note"
# held-out quarters only, old then new, each with an "all" row
jq -e 'map(.period) | index("2025-Q3") == null' table.json >/dev/null ||
	fail "a period before --from was reported"
jq -e '[.[] | select(.period == "all")] | length == 2' table.json >/dev/null ||
	fail "no all rows"
# the files are "old" and "new", their paths in rules_file; the level
# marks exactly the two "all" rows as totals; each quarter's first day is
# its period_start (2025-Q4 began on 2025-10-01, 2026-Q1 on 2026-01-01)
jq -e 'all(.[]; (.rules == "old" and .rules_file == "rules.json") or
	(.rules == "new" and .rules_file == "fitted.json"))' table.json >/dev/null ||
	fail "rules and rules_file: $(jq -c 'map([.rules, .rules_file])' table.json)"
jq -e 'all(.[]; (.level == "total") == (.period == "all"))' table.json >/dev/null ||
	fail "level: $(jq -c 'map([.level, .period])' table.json)"
jq -e '[.[] | select(.period == "2025-Q4" or .period == "2026-Q1" or .period == "all")
	| [.period, .period_start]] | unique ==
	[["2025-Q4", "2025-10-01"], ["2026-Q1", "2026-01-01"], ["all", ""]]' \
	table.json >/dev/null ||
	fail "period_start: $(jq -c 'map([.period, .period_start])' table.json)"
old_rate=$(jq '.[] | select(.rules == "old" and .period == "all") | .accepted_rate' table.json)
new_rate=$(jq '.[] | select(.rules == "new" and .period == "all") | .accepted_rate' table.json)
old_auc=$(jq '.[] | select(.rules == "old" and .period == "all") | .auc' table.json)
new_auc=$(jq '.[] | select(.rules == "new" and .period == "all") | .auc' table.json)
awk -v o="$old_rate" -v n="$new_rate" 'BEGIN { exit !(n > o) }' ||
	fail "accepted rate old $old_rate new $new_rate"
awk -v o="$old_auc" -v n="$new_auc" 'BEGIN { exit !(n > o + 0.1) }' ||
	fail "AUC old $old_auc new $new_auc"
# the equal-volume figures in the summary: new above old
awk '/^equal volume/ { for (i = 1; i <= NF; i++) if ($i ~ /%$/) r[++k] = $i + 0 }
     END { exit !(k == 2 && r[2] > r[1]) }' summary.txt ||
	fail "equal volume: $(head -1 summary.txt)"
grep -q "<svg" report.html || fail "the HTML report has no chart"

mql-backtest fitted.json rules.json contacts.csv events.csv --from 2025-10-01 \
	--fail-if-worse -q >/dev/null
status=$?
[ $status -eq 1 ] || fail "swapped files: exit $status, expected 1"

# A horizon beyond 100 years is refused (usage, exit 2),
# as its seconds would overflow.
mql-backtest rules.json fitted.json contacts.csv events.csv --horizon 1e20 \
	>/dev/null 2>err.txt
status=$?
[ $status -eq 2 ] || fail "--horizon 1e20: exit $status, expected 2"
grep -q "at most 36500" err.txt || fail "--horizon 1e20: $(cat err.txt)"
exit 0
