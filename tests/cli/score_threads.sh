#!/usr/bin/env bash
# Scores written by the scoring threads (without --ledger) are byte for
# byte those of one thread (with --ledger, which scores in order on one),
# for a generated history of many blocks of events, as written and
# shuffled, in csv and json.
set -u -o pipefail
command -v mql-score >/dev/null || { echo "mql-score not built: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mql-gen --contacts 4000 --seed 5 -q -o "$work" || fail "mql-gen"
events=$(($(wc -l < "$work/events.csv") - 1))
[ "$events" -gt 140000 ] || fail "only $events events: too few for several blocks"
{ head -1 "$work/events.csv"; tail -n +2 "$work/events.csv" | shuf --random-source=<(yes); } \
  > "$work/shuffled.csv"
for file in events.csv shuffled.csv; do
  for format in csv json; do
    mql-score "$work/rules.json" "$work/contacts.csv" "$work/$file" --as-of 2026-10-01 \
      --format "$format" -q -o "$work/threads.$format" || fail "mql-score exited $?"
    mql-score "$work/rules.json" "$work/contacts.csv" "$work/$file" --as-of 2026-10-01 \
      --format "$format" -q --ledger "$work/ledger.csv" -o "$work/one.$format" \
      || fail "mql-score --ledger exited $?"
    cmp "$work/threads.$format" "$work/one.$format" || fail "$file $format differ"
  done
done
echo "$events events: the same scores on threads and on one"
