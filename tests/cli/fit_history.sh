#!/usr/bin/env bash
# mql-fit --rules on a small history (categorical `in` rules, a log1p
# `linear` rule, engagement rules with a half-life and cap, a lifespan and a
# window) matches R's glm on features R computes itself from the same CSV
# files (tests/fixtures/fit/history-glm.R, output history-glm.out).
# Then the leakage test: adding events after each contact's mql_at changes
# nothing in model.json but the count of events left out.  Last, a
# half-life search runs to the end and records its choices and profiles.
set -euo pipefail
F=$MQL_FIXTURES/fit
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mql-fit "$F/history-contacts.csv" "$F/history-events.csv" --rules "$F/history-rules.json" \
	--folds 5 -o "$T/model.json" --quiet
mql-fit "$F/history-contacts.csv" "$F/history-late-events.csv" --rules "$F/history-rules.json" \
	--folds 5 -o "$T/late.json" --quiet
mql-fit "$F/history-contacts.csv" "$F/history-events.csv" --rules "$F/history-rules.json" \
	--holdout-from 2025-09-01 --half-lives auto -o "$T/auto.json" --quiet
python3 - "$T/model.json" "$T/late.json" "$F/history-glm.out" "$T/auto.json" \
	"$F/history-contacts.csv" <<'PY'
import csv, json, sys
m = json.load(open(sys.argv[1]))
late = json.load(open(sys.argv[2]))
expected = {r["term"]: r for r in csv.DictReader(open(sys.argv[3]))}
bad = []
def check(label, got, want, rel=1e-6):
    if abs(got - want) > rel * abs(want):
        bad.append(f"{label}: {got!r} expected {want!r}")
terms = {c["name"]: c for c in m["coefficients"]}
terms["(Intercept)"] = m["intercept"]
for name in ("(Intercept)", "software", "finance", "employees_log", "demo", "pricing", "email"):
    check(name + ".estimate", terms[name]["estimate"], float(expected[name]["estimate"]))
    check(name + ".std_error", terms[name]["std_error"], float(expected[name]["std_error"]))
check("log_likelihood", m["fit"]["log_likelihood"], float(expected["log_likelihood"]["estimate"]))
check("aic", m["fit"]["aic"], float(expected["aic"]["estimate"]))
check("null_deviance", m["fit"]["null_deviance"], float(expected["null_deviance"]["estimate"]))
# fitted_at is the time the history describes: its latest stage date.
rows = list(csv.DictReader(open(sys.argv[5])))
latest = max(v for r in rows for k, v in r.items() if k.endswith("_at") and v)
if m.get("fitted_at", "")[:10] != latest[:10]:
    bad.append(f"fitted_at {m.get('fitted_at')!r}, latest date {latest!r}")
if m["n"] != int(expected["n"]["estimate"]) or m["positives"] != int(expected["positives"]["estimate"]):
    bad.append(f"n {m['n']} positives {m['positives']}")
if terms["demo"]["rule"].get("half_life_days") != 30 or terms["demo"]["rule"].get("max_count") != 2:
    bad.append(f"demo rule: {terms['demo']['rule']}")
v = m["validation"]
if v["method"] != "folds" or v["n"] != 400 or not 0.5 < v["auc"] < 1 or len(v["calibration"]) != 10:
    bad.append(f"validation: {v['method']} {v['n']} {v['auc']}")
# Leakage: everything but the event counts is identical.
added = late["events"]["read"] - m["events"]["read"]
if added != 1200 or late["events"]["after_decision"] - m["events"]["after_decision"] != added:
    bad.append(f"late events: {m['events']} -> {late['events']}")
del m["events"], late["events"]
if json.dumps(m, sort_keys=True) != json.dumps(late, sort_keys=True):
    bad.append("late events changed model.json")
# The search: one choice and a 9-point profile per engagement rule, the
# coefficient's rule carrying the choice; the holdout never searched.
a = json.load(open(sys.argv[4]))
grid = [3, 7, 14, 30, 60, 90, 180, 365, None]
rules = {c["name"]: c["rule"] for c in a["coefficients"]}
if [h["rule"] for h in a["half_lives"]] != ["demo", "pricing", "email"]:
    bad.append(f"half_lives: {a['half_lives']}")
for h in a["half_lives"]:
    profile = [p["log_likelihood"] for p in h["profile"]]
    if [p["half_life_days"] for p in h["profile"]] != grid or h["grid_half_life_days"] not in grid:
        bad.append(f"{h['rule']}: grid or choice {h['half_life_days']}")
    elif max(profile) != profile[grid.index(h["grid_half_life_days"])] and a["half_life_search"]["passes"] == 1:
        bad.append(f"{h['rule']}: choice is not the best of a single pass")
    if rules[h["rule"]].get("half_life_days") != h["half_life_days"]:
        bad.append(f"{h['rule']}: rule says {rules[h['rule']]}")
if a["half_life_search"]["rows"] != a["n"] or a["validation"]["method"] != "holdout":
    bad.append(f"search rows {a['half_life_search']['rows']} fitted rows {a['n']}")
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
