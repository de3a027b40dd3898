#!/usr/bin/env bash
# mql-fit reads events.csv in byte ranges on several threads: with 1, 2 and
# 3 threads the refit of the small history matches R's glm
# (tests/fixtures/fit/history-glm.out) to 1e-6; the same thread count gives
# a byte-identical model.json; without a rule file the discovered structure
# and its estimates agree across thread counts; a bad --threads is a usage
# error.
set -euo pipefail
F=$MQL_FIXTURES/fit
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
for threads in 1 2 3; do
	mql-fit "$F/history-contacts.csv" "$F/history-events.csv" --rules "$F/history-rules.json" \
		--threads "$threads" -o "$T/rules-$threads.json" --quiet
	mql-fit "$F/history-contacts.csv" "$F/history-events.csv" --min-support 5 \
		--threads "$threads" -o "$T/discovered-$threads.json" --quiet
done
mql-fit "$F/history-contacts.csv" "$F/history-events.csv" --rules "$F/history-rules.json" \
	--threads 3 -o "$T/again-3.json" --quiet
cmp "$T/rules-3.json" "$T/again-3.json" || { echo "two runs with 3 threads differ" >&2; exit 1; }
status=0
mql-fit "$F/history-contacts.csv" "$F/history-events.csv" --threads 9 -o "$T/bad.json" \
	--quiet 2>/dev/null || status=$?
[ "$status" -eq 2 ] || { echo "--threads 9: exit $status, expected 2" >&2; exit 1; }
python3 - "$T" "$F/history-glm.out" <<'PY'
import csv, json, sys
d = sys.argv[1]
expected = {r["term"]: r for r in csv.DictReader(open(sys.argv[2]))}
bad = []
def close(got, want, rel):
    return abs(got - want) <= rel * abs(want)
def terms(m):
    t = {c["name"]: c for c in m["coefficients"]}
    t["(Intercept)"] = m["intercept"]
    return t
base = json.load(open(f"{d}/discovered-1.json"))
if not base["events"]["read"]:
    bad.append("no events read")
for threads in (1, 2, 3):
    m = json.load(open(f"{d}/rules-{threads}.json"))
    t = terms(m)
    for name in ("(Intercept)", "software", "finance", "employees_log", "demo", "pricing", "email"):
        for key in ("estimate", "std_error"):
            if not close(t[name][key], float(expected[name][key]), 1e-6):
                bad.append(f"{threads} threads: {name}.{key} {t[name][key]} expected {expected[name][key]}")
    disc = json.load(open(f"{d}/discovered-{threads}.json"))
    if disc["events"] != base["events"]:
        bad.append(f"{threads} threads: events {disc['events']} vs {base['events']}")
    got, want = terms(disc), terms(base)
    if sorted(got) != sorted(want) or [c["name"] for c in disc["coefficients"]] != [c["name"] for c in base["coefficients"]]:
        bad.append(f"{threads} threads: discovered columns {list(got)} vs {list(want)}")
        continue
    for name in want:
        if not close(got[name]["estimate"], want[name]["estimate"], 1e-9):
            bad.append(f"{threads} threads: discovered {name} {got[name]['estimate']} vs {want[name]['estimate']}")
if bad:
    print("\n".join(bad), file=sys.stderr)
    sys.exit(1)
PY
