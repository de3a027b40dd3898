#!/usr/bin/env bash
# mql-fit --half-lives auto estimates the half-lives with the weights: on a
# small history (tests/fixtures/fit/joint-*, a capped and an uncapped
# half-life rule) the estimates and standard errors of the weights and log
# half-lives match R's maximum of the same likelihood and its inverse
# Hessian (joint-mle.R, output joint-mle.out) to 1e-6; the coefficients'
# rules carry the estimated half-lives, model.json and the summary say which
# intervals they are, and mql-rules reads the model.  Then a fit on capped
# counts whose likelihood has kinks (below).
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

# Capped counts make the log-likelihood only piecewise smooth in the
# half-lives (kinks-*, three rules with low caps): the joint fit still
# converges, within 0.01 of the maximum R finds without derivatives
# (kinks-mle.R, output kinks-mle.out), its half-lives within a quarter of a
# standard error of R's.
mql-fit "$F/kinks-contacts.csv" "$F/kinks-events.csv" --rules "$F/kinks-rules.json" \
	--half-lives auto -o "$T/kinks.json" > "$T/kinks.txt"
grep -Eq "^  [0-9]+ Newton steps, [0-9]+ reads of the events; stopped: " "$T/kinks.txt"
python3 - "$T/kinks.json" "$F/kinks-mle.out" <<'PY'
import csv, json, math, sys
m = json.load(open(sys.argv[1]))
want = {r["term"]: float(r["estimate"]) for r in csv.DictReader(open(sys.argv[2]))}
bad = []
fit = m.get("half_life_fit", {})
if not fit.get("converged"):
    bad.append(f"half_life_fit: {fit}")
ll = m["fit"]["log_likelihood"]
if not want["log_likelihood"] - 0.01 <= ll <= want["log_likelihood"] + 1e-6:
    bad.append(f"log-likelihood {ll!r}, R's maximum {want['log_likelihood']!r}")
for h in m["half_lives"]:
    theta = want["log_half_life_" + h["rule"]]
    if h["half_life_days"] is None or abs(math.log(h["half_life_days"]) - theta) > 0.25 * h["std_error_log"]:
        bad.append(f"{h['rule']}: {h['half_life_days']!r} days, R's {math.exp(theta)!r}")
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
