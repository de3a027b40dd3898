#!/usr/bin/env bash
# mql-fit --half-lives auto estimates the half-lives with the weights: on a
# small history (tests/fixtures/fit/joint-*, a capped and an uncapped
# half-life rule) the estimates and standard errors of the weights and log
# half-lives match R's maximum of the same likelihood and its inverse
# Hessian (joint-mle.R, output joint-mle.out) to 1e-6; the coefficients'
# rules carry the estimated half-lives, model.json and the summary say which
# intervals they are, and mql-rules reads the model.
set -euo pipefail
F=$MQL_FIXTURES/fit
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mql-fit "$F/joint-contacts.csv" "$F/joint-events.csv" --rules "$F/joint-rules.json" \
	--half-lives auto -o "$T/model.json" > "$T/summary.txt"
grep -q "standard errors from the joint information of weights and half-lives" "$T/summary.txt"
grep -Eq "^  demo +[0-9.]+ days +\[[0-9.]+, [0-9.]+\] +grid " "$T/summary.txt"
mql-rules "$T/model.json" -o "$T/rules.json" --quiet
python3 - "$T/model.json" "$F/joint-mle.out" "$T/rules.json" <<'PY'
import csv, json, math, sys
m = json.load(open(sys.argv[1]))
want = {r["term"]: r for r in csv.DictReader(open(sys.argv[2]))}
bad = []
def check(label, got, expected, tol=1e-6):
    if not abs(got - expected) <= tol * max(1.0, abs(expected)):
        bad.append(f"{label}: {got!r} expected {expected!r}")
terms = {c["name"]: c for c in m["coefficients"]}
terms["(Intercept)"] = m["intercept"]
for name in ("(Intercept)", "software", "demo", "visit"):
    check(name, terms[name]["estimate"], float(want[name]["estimate"]))
    check(name + " se", terms[name]["std_error"], float(want[name]["std_error"]))
    se = terms[name]["std_error"]
    check(name + " ci_low", terms[name]["ci_low"], terms[name]["estimate"] - 1.959963984540054 * se)
half = {h["rule"]: h for h in m["half_lives"]}
for rule in ("demo", "visit"):
    h = half[rule]
    theta = float(want["log_half_life_" + rule]["estimate"])
    se = float(want["log_half_life_" + rule]["std_error"])
    check(rule + " log half-life", math.log(h["half_life_days"]), theta)
    check(rule + " se log", h["std_error_log"], se)
    check(rule + " ci_high", h["ci_high"], math.exp(theta + 1.959963984540054 * se), 1e-5)
    if h["grid_half_life_days"] not in (3, 7, 14, 30, 60, 90, 180, 365, None):
        bad.append(f"{rule}: grid choice {h['grid_half_life_days']}")
    check(rule + " rule", terms[rule]["rule"]["half_life_days"], h["half_life_days"], 1e-12)
check("log_likelihood", m["fit"]["log_likelihood"], float(want["log_likelihood"]["estimate"]))
fit = m["half_life_fit"]
if not fit["converged"] or fit["information"] != "observed":
    bad.append(f"half_life_fit: {fit}")
if "joint" not in m.get("intervals", ""):
    bad.append(f"intervals: {m.get('intervals')!r}")
rules = {r["id"]: r for r in json.load(open(sys.argv[3]))["engagement"]}
check("mql-rules demo", rules["demo"]["half_life_days"], half["demo"]["half_life_days"], 1e-9)
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
