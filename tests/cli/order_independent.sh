#!/usr/bin/env bash
# The outputs of mql-check, mql-fit, mql-score and mql-backtest are byte for
# byte the same whatever the order of events.csv's rows (by contact, by
# time, shuffled), and for mql-check and mql-fit however many threads read
# it (mql-score and mql-backtest choose their own).
set -u -o pipefail
. "$MQL_SRC/tests/cli/generated_history.inc"
needs mql-gen mql-check mql-fit mql-score mql-backtest
mql-gen --contacts 3000 --seed 9 -q -o "$work/by-contact" || fail "mql-gen"
mql-gen --contacts 3000 --seed 9 --order time -q -o "$work/by-time" || fail "mql-gen --order time"
true_rules "$work/by-contact" "$work/true-rules.json"
{ head -1 "$work/by-contact/events.csv"; tail -n +2 "$work/by-contact/events.csv" |
  shuf --random-source=<(yes); } >"$work/shuffled.csv"
mkdir "$work/run"
cp "$work/by-contact/contacts.csv" "$work/by-contact/rules.json" "$work/run/"
run=$work/run
for events in by-contact/events.csv by-time/events.csv shuffled.csv; do
  cp "$work/$events" "$run/events.csv"
  for threads in 1 2; do
    out=$work/out-${events%%/*}-$threads
    mkdir "$out"
    (cd "$run" &&
      mql-check contacts.csv events.csv --as-of 2026-10-01 --threads "$threads" -q >"$out/check.txt" &&
      mql-fit contacts.csv events.csv --rules "$work/true-rules.json" --threads "$threads" \
        -q -o "$out/fit.json" &&
      mql-score rules.json contacts.csv events.csv --as-of 2026-10-01 \
        --format csv -q -o "$out/score.csv" &&
      mql-backtest rules.json "$work/true-rules.json" contacts.csv events.csv \
        --format csv -q -o "$out/backtest.csv") || fail "$events with $threads threads"
  done
done
first=$work/out-by-contact-1
for out in "$work"/out-*; do
  for f in check.txt fit.json score.csv backtest.csv; do
    [ -s "$first/$f" ] || fail "$f is empty"
    cmp "$first/$f" "$out/$f" || fail "$f differs in $(basename "$out")"
  done
done
echo "the same outputs for three orders and one or two threads"
