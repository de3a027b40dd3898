#!/usr/bin/env bash
# A Salesforce lead export names each lead by its 18-character id; reports
# (a campaign member report) by the 15-character one.  Events named by
# the 15 characters join their leads as if they carried the 18: mql-check
# counts them apart and none unknown, mql-fit and mql-score give the same
# bytes.  The other way round (leads by 15, events by 18) joins too; an
# 18-character id whose suffix is not its own, or a 15-character one in
# the wrong case, stays unknown.
set -u -o pipefail
. "$MQL_SRC/tests/cli/generated_history.inc"
needs mql-gen mql-check mql-fit mql-score
mql-gen --contacts 3000 --seed 5 --ids salesforce --order time -q -o "$work/h" || fail "mql-gen"
true_rules "$work/h" "$work/true-rules.json"
mkdir "$work/report"
cp "$work/h/contacts.csv" "$work/h/rules.json" "$work/report/"
# the report's ids: the first 15 characters
awk -F, -v OFS=, 'NR > 1 { $1 = substr($1, 1, 15) } { print }' "$work/h/events.csv" \
  >"$work/report/events.csv"
[ "$(sed -n 2p "$work/report/events.csv" | cut -d, -f1 | tr -d '\n' | wc -c)" -eq 15 ] ||
  fail "the ids were not cut to 15 characters"
events=$(($(wc -l <"$work/h/events.csv") - 1))
for d in h report; do
  (cd "$work/$d" &&
    mql-check contacts.csv events.csv --as-of 2026-10-01 >check.txt &&
    mql-fit contacts.csv events.csv --rules "$work/true-rules.json" -q -o model.json &&
    mql-score rules.json contacts.csv events.csv --as-of 2026-10-01 --format csv -q -o scores.csv) ||
    fail "the commands on $d"
done
grep -Eq "^unknown contacts +0 " "$work/report/check.txt" || fail "unknown contacts: $(grep unknown "$work/report/check.txt")"
grep -Eq "^salesforce id form +$events " "$work/report/check.txt" ||
  fail "expected $events events joined by the other form: $(grep -i salesforce "$work/report/check.txt")"
grep -q "salesforce id form" "$work/h/check.txt" && fail "the export's own ids are counted as the other form"
cmp "$work/h/model.json" "$work/report/model.json" || fail "model.json differs"
cmp "$work/h/scores.csv" "$work/report/scores.csv" || fail "scores.csv differs"

# leads by 15 characters, events by 18; a wrong suffix and a wrong case
mkdir "$work/short"
awk -F, -v OFS=, 'NR > 1 { $1 = substr($1, 1, 15) } { print }' "$work/h/contacts.csv" \
  >"$work/short/contacts.csv"
first=$(sed -n 2p "$work/h/events.csv" | cut -d, -f1)
{ cat "$work/h/events.csv"
  sed -n 2p "$work/h/events.csv" | sed "s/^$first/${first:0:15}ZZZ/"
  sed -n 2p "$work/h/events.csv" | sed "s/^$first/$(echo "${first:0:15}" | tr 'A-Za-z' 'a-zA-Z')/"
} >"$work/short/events.csv"
mql-check "$work/short/contacts.csv" "$work/short/events.csv" --as-of 2026-10-01 >"$work/short/check.txt" ||
  fail "mql-check on 15-character leads"
grep -Eq "^salesforce id form +$events " "$work/short/check.txt" ||
  fail "18-character events on 15-character leads: $(grep -i salesforce "$work/short/check.txt")"
grep -Eq "^unknown contacts +2 " "$work/short/check.txt" ||
  fail "a wrong suffix and a wrong case should stay unknown: $(grep unknown "$work/short/check.txt")"
echo "15- and 18-character Salesforce ids join the same leads"
