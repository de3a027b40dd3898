#!/usr/bin/env bash
# mql-score on a hand-made history (tests/fixtures/score/hist-*), as of
# 2026-03-31, against scores worked out by hand (hist-expected.csv):
#   h1: fit vp 20; demos on 03-11 and 03-21 (half-life 10): ages 20 and 10
#       -> .25 + .5 = .75 (cap 1) x 30 = 22.5; page view 03-21 (lifespan 20):
#       age 10 -> .5 x 5 = 2.5; score 45, grade C3; crossed on 03-11 with
#       20 + 30 = 50 >= 40; the 04-02 demo is after as-of; probability
#       logistic((45 - 40) / 10) = 0.6224593312018546
#   h2: webinars 03-28, 03-30 (window 7): both count, 2 x 10 = 20; the page
#       view of 03-01 is 30 days old (lifespan 20): 0; never reached 40
#       (5, 10, 20 at its events); logistic(-2) = 0.11920292202211755
#   h3: "vp" matches VP; unsubscribe -50 -> 20 - 50 = -30, limited to 0 (its
#       page view of 03-04, before its created_at, is 27 days old: 0);
#       logistic(-4) = 0.01798620996209156
#   h4: nothing: 0, D4
# Sums of the ledger are checked with awk.  Exit codes of bad input too.
set -u
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
f=$MQL_FIXTURES/score

mql-score "$f/hist-rules.json" "$f/hist-contacts.csv" "$f/hist-events.csv" \
  --as-of 2026-03-31 --format csv --ledger "$work/ledger.csv" -o "$work/scores.csv" \
  2> "$work/stderr" || fail "mql-score exited $?"
grep -q "1 events of unknown contacts" "$work/stderr" || fail "unknown contact not reported"
# csv lines end in CRLF (RFC 4180); compare text without the CR.
for f2 in scores ledger; do tr -d '\r' < "$work/$f2.csv" > "$work/$f2.txt"; mv "$work/$f2.txt" "$work/$f2.csv"; done

# Numbers compared with a tolerance of 1e-9, text exactly.
awk -F, 'NR == FNR { for (i = 1; i <= NF; i++) want[FNR, i] = $i; rows = FNR; next }
  { for (i = 1; i <= NF; i++) {
      w = want[FNR, i]; g = $i
      if (w ~ /^-?[0-9.]+$/ && g ~ /^-?[0-9.e+-]+$/) { d = w - g; if (d < 0) d = -d; if (d > 1e-9) bad = bad " " FNR ":" i }
      else if (w != g) bad = bad " " FNR ":" i } }
  END { if (FNR != rows) bad = bad " rows"; if (bad != "") { print "differ at" bad; exit 1 } }' \
  "$f/hist-expected.csv" "$work/scores.csv" || fail "scores differ from the hand-worked ones"

# The ledger adds up to each score, and has the rows it should.
awk -F, 'FNR == 1 { next } FILENAME ~ /ledger/ { sum[$1] += $6; next }
  { d = sum[$1] - $2; if (d < 0) d = -d; if (d > 1e-9) { print $1, sum[$1], $2; bad = 1 } }
  END { exit bad }' "$work/ledger.csv" "$work/scores.csv" || fail "ledger does not add up"
grep -q '^h3,2026-03-31T00:00:00Z,score_limit,,,30,score_limit$' "$work/ledger.csv" \
  || fail "no score_limit row for h3"
grep -q '^h1,2026-03-11T00:00:00Z,demo,30,0.25,7.5,event$' "$work/ledger.csv" \
  || fail "no decayed demo row for h1"
[ "$(grep -c '^h2,.*page_view' "$work/ledger.csv")" -eq 0 ] || fail "expired row in ledger"

# --explain tells the story and names the crossing event.
mql-score "$f/hist-rules.json" "$f/hist-contacts.csv" "$f/hist-events.csv" \
  --as-of 2026-03-31 --explain h1 -q > "$work/story" || fail "--explain exited $?"
grep -q "2026-03-11 demo_request +30 (weight 0.25 now)" "$work/story" || fail "story lacks the demo"
grep -q "crossed 40 on 2026-03-11 with demo_request" "$work/story" || fail "story lacks the crossing"

# Without events: fit only.  Default as-of: the latest date in the data.
mql-score "$f/hist-rules.json" "$f/hist-contacts.csv" --format csv -q | tr -d '\r' > "$work/fit" \
  || fail "without events exited $?"
grep -q '^h1,20,20,0,C4,0,,' "$work/fit" || fail "fit-only score of h1"

# Bad input and usage.
printf '{"format": "mqlcal.rules/1", "threshold": 5, "fit": [{"id": "x", "property": "seniority", "op": "contains", "points": 1}]}' > "$work/bad.json"
mql-score "$work/bad.json" "$f/hist-contacts.csv" 2> "$work/err"; [ $? -eq 65 ] || fail "bad rules should exit 65"
grep -q "fit\[0\].op: unknown op 'contains'" "$work/err" || fail "bad rules message"
mql-score "$work/none.json" "$f/hist-contacts.csv" 2> /dev/null; [ $? -eq 66 ] || fail "missing rules should exit 66"
mql-score "$f/hist-rules.json" "$f/hist-contacts.csv" --explain zz 2> /dev/null; [ $? -eq 2 ] || fail "unknown --explain should exit 2"
mql-score "$f/hist-rules.json" 2> /dev/null; [ $? -eq 2 ] || fail "missing argument should exit 2"
mql-score "$f/hist-rules.json" "$f/hist-contacts.csv" "$f/hist-events.csv" --ledger "$work/nodir/l.csv" -o "$work/out.csv" 2> /dev/null
[ $? -eq 74 ] || fail "unwritable ledger should exit 74"
[ ! -e "$work/out.csv" ] || fail "a failed run left its output behind"
mql-score --help | grep -q "mql-score rules.json" || fail "--help shows an example"
exit 0
