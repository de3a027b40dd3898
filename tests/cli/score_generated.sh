#!/usr/bin/env bash
# mql-score on a generated history: for every contact the ledger's
# contributions add up to its score (summed with awk), and the first
# crossing of the generator's old rules is the mql_at the history records
# (the generator hands leads over by those rules).
set -u
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v mql-gen > /dev/null || exit 77

mql-gen --contacts 3000 --seed 11 -q -o "$work/h" || fail "mql-gen"
mql-score "$work/h/rules.json" "$work/h/contacts.csv" "$work/h/events.csv" -q \
  --format csv --ledger "$work/ledger.csv" -o "$work/scores.csv" || fail "mql-score exited $?"
[ "$(wc -l < "$work/scores.csv")" -eq 3001 ] || fail "one row per contact"

awk -F, 'FNR == 1 { next } FILENAME ~ /ledger/ { sum[$1] += $6; rows++; next }
  { d = sum[$1] - $2; if (d < 0) d = -d; if (d > 1e-6) { print $1, sum[$1], $2; bad++ }; n++ }
  END { if (rows < n) { print "too few ledger rows"; bad++ }; exit bad > 0 }' \
  "$work/ledger.csv" "$work/scores.csv" || fail "ledger does not add up to the scores"

# mql_at of the history (contacts.csv, RFC 4180: read with Python's csv).
command -v python3 > /dev/null || exit 0
python3 - "$work/h/contacts.csv" "$work/scores.csv" <<'PY' || fail "crossings differ from the history's mql_at"
import csv, sys
history = {r["contact_id"]: r["mql_at"] for r in csv.DictReader(open(sys.argv[1]))}
scored = {r["contact_id"]: r["mql_at"] for r in csv.DictReader(open(sys.argv[2]))}
differ = [k for k in history if history[k] != scored.get(k)]
mqls = sum(1 for v in history.values() if v)
print(f"{len(history)} contacts, {mqls} MQLs, {len(differ)} differ", file=sys.stderr)
sys.exit(1 if differ or mqls == 0 else 0)
PY
