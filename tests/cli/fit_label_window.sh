#!/usr/bin/env bash
# Which MQLs enter a stage label never depends on their outcome: with
# --label sql, mql-fit's rows and mql-channels' rate take every MQL whose
# window (mql_at + --window days) closed by --as-of, positive when it
# reached SQL within the window.  The rows and positives are counted here
# independently, from contacts.csv with Python's datetime, and compared
# with model.json, the fit summary and mql-channels' total row.
set -euo pipefail
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mql-gen --contacts 6000 --seed 11 -o "$T/h" --quiet
as_of=2025-10-01
for window in 60 180; do
	read -r rows positives < <(python3 - "$T/h/contacts.csv" "$as_of" "$window" <<'PY'
import csv, sys
from datetime import datetime, timedelta, timezone
def when(text):
    if not text:
        return None
    t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)
as_of = datetime.fromisoformat(sys.argv[2]).replace(tzinfo=timezone.utc)
window = timedelta(days=float(sys.argv[3]))
rows = positives = 0
for r in csv.DictReader(open(sys.argv[1], newline="")):
    mql, sql = when(r["mql_at"]), when(r["sql_at"])
    if mql is None or mql + window > as_of:
        continue
    rows += 1
    positives += sql is not None and sql <= mql + window
print(rows, positives)
PY
)
	[ "$rows" -gt 100 ] || fail "too few rows counted ($rows)"
	mql-fit "$T/h/contacts.csv" --properties channel --label sql \
		--window "$window" --as-of "$as_of" -o "$T/model.json" >"$T/summary.txt"
	got=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(m["n"], m["positives"], m["population"]["window_days"], m["population"]["as_of"])' "$T/model.json")
	[ "$got" = "$rows $positives $window $as_of" ] ||
		fail "window $window: model has '$got', counted '$rows $positives $window $as_of'"
	grep -q "rows: every MQL whose $window-day window closed by $as_of" "$T/summary.txt" ||
		fail "window $window: the summary does not state the row rule"
	mql-channels "$T/h/contacts.csv" --window "$window" --as-of "$as_of" \
		--format csv -q >"$T/channels.csv"
	got=$(python3 -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    if r["channel"] == "all":
        print(r["mql_known"], r["reached"])' "$T/channels.csv")
	[ "$got" = "$rows $positives" ] ||
		fail "window $window: mql-channels counts '$got', counted '$rows $positives'"
done
echo ok
