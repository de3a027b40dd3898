#!/usr/bin/env bash
# A weight the data cannot bound: on mql-gen's history of 10,000 contacts
# (seed 66) the rare unsubscribe (about 11 fitted rows) gets a half-life
# whose profile interval reaches 45 minutes, where its count is all but zero
# and its weight's variance is 1e30 and more.  Its widened interval must be
# the model's bound, [-1e6, 1e6] logits (not a number of 1e16), with p at
# least 0.05, and mql-rules must read the model and flag the CI as spanning
# 0.  Statistics, and seconds of work: skipped under the sanitizers.
set -euo pipefail
# Skipped under the sanitizers (fit_halflife_joint.sh runs the widening small).
. "$MQL_SRC/tests/cli/skip_sanitized.inc"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mql-gen --contacts 10000 --seed 66 -o "$T/h" --quiet
python3 -c 'import json, sys
json.dump(json.load(open(sys.argv[1]))["rules"], open(sys.argv[2], "w"))' "$T/h/truth.json" "$T/rules.json"
mql-fit "$T/h/contacts.csv" "$T/h/events.csv" --rules "$T/rules.json" --half-lives auto \
	-o "$T/model.json" --quiet
mql-rules "$T/model.json" --format csv -o "$T/new-rules.json" >"$T/changes.csv"
python3 - "$T/model.json" "$T/changes.csv" <<'PY'
import csv, json, sys
m = json.load(open(sys.argv[1]))
bad = []
c = {x["name"]: x for x in m["coefficients"]}["unsubscribe"]
h = {x["rule"]: x for x in m["half_lives"]}["unsubscribe"]
if not (h["ci_low"] is not None and h["ci_low"] < 0.1):
    bad.append(f"the half-life's interval does not reach minutes: {h['ci_low']!r}")
if (c["ci_low"], c["ci_high"]) != (-1e6, 1e6):
    bad.append(f"interval {c['ci_low']!r}, {c['ci_high']!r}: expected the bound, -1e6 and 1e6")
if not c["p"] >= 0.05:
    bad.append(f"p {c['p']!r} with an interval spanning 0")
for x in m["coefficients"]:
    if not -1e6 <= x["ci_low"] <= x["ci_high"] <= 1e6:
        bad.append(f"{x['name']}: interval {x['ci_low']!r}, {x['ci_high']!r}")
row = {r["rule"]: r for r in csv.DictReader(open(sys.argv[2]))}["unsubscribe"]
if "CI spans 0" not in row["flags"]:
    bad.append(f"mql-rules flags {row['flags']!r}")
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
