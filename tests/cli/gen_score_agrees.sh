#!/usr/bin/env bash
# The history's mql_at is what mql-score says for its rules.json: scoring
# the generated files with the old rule file gives, for every contact, the
# same MQL time to the second (compared in Python, outside mqlcal).
set -u -o pipefail
command -v mql-score >/dev/null || { echo "mql-score not built: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mql-gen --contacts 3000 --seed 11 -q -o "$work" || fail "mql-gen"
mql-score "$work/rules.json" "$work/contacts.csv" "$work/events.csv" \
  --as-of 2026-10-01 --format csv -o "$work/scores.csv" || fail "mql-score exited $?"
python3 - "$work" <<'PY' || exit 1
import csv, sys
d = sys.argv[1]
history = {r["contact_id"]: r["mql_at"] for r in csv.DictReader(open(d + "/contacts.csv"))}
scored = {r["contact_id"]: r["mql_at"] for r in csv.DictReader(open(d + "/scores.csv"))}
wrong = [c for c in history if history[c] != scored.get(c)]
mqls = sum(1 for v in history.values() if v)
print("contacts %d, MQLs %d, disagreements %d" % (len(history), mqls, len(wrong)))
sys.exit(1 if wrong or mqls < 300 else 0)
PY
