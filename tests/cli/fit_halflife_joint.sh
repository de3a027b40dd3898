#!/usr/bin/env bash
# mql-fit --half-lives auto estimates the half-lives with the weights: on a
# small history (tests/fixtures/fit/joint-*, a capped and an uncapped
# half-life rule) the estimates and standard errors of the weights and log
# half-lives match R's maximum of the same likelihood and its inverse
# Hessian (joint-mle.R, output joint-mle.out) to 1e-6, as are their
# standard errors with the other half-life fixed; the half-lives'
# profile-likelihood intervals, the drop scaled by the variance's share
# left with the other half-life fixed, R's to 1e-4 (log days); the weights'
# intervals, Wald's widened to the profile over each half-life, R's within
# 1% of their width (from inside), and their p-values R's to 1e-6; the
# coefficients' rules carry the estimated half-lives, model.json and the
# summary say which intervals they are, the AIC counts the two half-lives
# (R's AIC to 1e-6), and mql-rules reads the model.  Then a fit on capped counts whose
# likelihood has kinks, and one with a half-life at no decay (below).
set -euo pipefail
F=$MQL_FIXTURES/fit
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mql-fit "$F/joint-contacts.csv" "$F/joint-events.csv" --rules "$F/joint-rules.json" \
	--half-lives auto -o "$T/model.json" > "$T/summary.txt"
grep -q "standard errors from the joint information of weights and half-lives" "$T/summary.txt"
grep -Eq "^  demo +[0-9.]+ days +\[[0-9.]+, [0-9.]+\] +grid " "$T/summary.txt"
grep -q "profile likelihood, the weights refitted, the other half-lives at their estimates and the drop$" "$T/summary.txt"
mql-rules "$T/model.json" -o "$T/rules.json" --quiet
python3 - "$T/model.json" "$F/joint-mle.out" "$T/rules.json" <<'PY'
import csv, json, math, sys
m = json.load(open(sys.argv[1]))
want = {r["term"]: r for r in csv.DictReader(open(sys.argv[2]))}
# ci_ rows: the profile interval's limits of the log half-life, low and high
bad = []
def check(label, got, expected, tol=1e-6):
    if not abs(got - expected) <= tol * max(1.0, abs(expected)):
        bad.append(f"{label}: {got!r} expected {expected!r}")
terms = {c["name"]: c for c in m["coefficients"]}
terms["(Intercept)"] = m["intercept"]
for name in ("(Intercept)", "software", "demo", "visit"):
    check(name, terms[name]["estimate"], float(want[name]["estimate"]))
    check(name + " se", terms[name]["std_error"], float(want[name]["std_error"]))
    # the interval: Wald's widened to the profile over each half-life;
    # R's walks each half-life's interval in 2,001 steps, mqlcal's takes
    # the profile's own probes and four more a side, so its limits may lie
    # inside R's by a little (1% of the width), never outside
    low, high = (float(v) for v in (want["span_" + name]["estimate"], want["span_" + name]["std_error"]))
    width = high - low
    for side, got, r in (("ci_low", terms[name]["ci_low"], low), ("ci_high", terms[name]["ci_high"], high)):
        inside = got - r if side == "ci_low" else r - got
        if not -1e-6 * width <= inside <= 0.01 * width:
            bad.append(f"{name} {side}: {got!r}, R's {r!r}")
    check(name + " p", terms[name]["p"], float(want["p_" + name]["estimate"]))
if m["fit"]["interval"] != "wald+half-life":
    bad.append(f"fit.interval {m['fit']['interval']!r}")
# the widening is real here: demo's upper limit is past Wald's
if not terms["demo"]["ci_high"] > terms["demo"]["estimate"] + 1.959963984540054 * terms["demo"]["std_error"] + 0.3:
    bad.append(f"demo's interval not widened: {terms['demo']['ci_high']!r}")
half = {h["rule"]: h for h in m["half_lives"]}
for rule in ("demo", "visit"):
    h = half[rule]
    theta = float(want["log_half_life_" + rule]["estimate"])
    se = float(want["log_half_life_" + rule]["std_error"])
    check(rule + " log half-life", math.log(h["half_life_days"]), theta)
    check(rule + " se log", h["std_error_log"], se)
    check(rule + " se log, other fixed", h["std_error_log_others_fixed"],
          float(want["se_fixed_log_half_life_" + rule]["estimate"]))
    limits = want["ci_log_half_life_" + rule]
    if h["interval"] != "profile" or h["ci_high_infinite"]:
        bad.append(f"{rule}: interval {h['interval']}, infinite {h['ci_high_infinite']}")
    check(rule + " ci_low", math.log(h["ci_low"]), float(limits["estimate"]), 1e-4)
    check(rule + " ci_high", math.log(h["ci_high"]), float(limits["std_error"]), 1e-4)
    if h["grid_half_life_days"] not in (3, 7, 14, 30, 60, 90, 180, 365, None):
        bad.append(f"{rule}: grid choice {h['grid_half_life_days']}")
    check(rule + " rule", terms[rule]["rule"]["half_life_days"], h["half_life_days"], 1e-12)
check("log_likelihood", m["fit"]["log_likelihood"], float(want["log_likelihood"]["estimate"]))
check("aic", m["fit"]["aic"], float(want["aic"]["estimate"]))
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
# converges, within 0.001 of the maximum R finds without derivatives
# (kinks-mle.R, output kinks-mle.out), its half-lives within 0.05 standard
# error of R's, their profile intervals within 0.002 of R's (log days); the
# weak rule's is [0, inf], printed so.
mql-fit "$F/kinks-contacts.csv" "$F/kinks-events.csv" --rules "$F/kinks-rules.json" \
	--half-lives auto -o "$T/kinks.json" > "$T/kinks.txt"
grep -Eq "^  [0-9]+ Newton steps, [0-9]+ reads of the events; stopped: " "$T/kinks.txt"
grep -Eq "^  download +[0-9.]+ days +\[0, inf\] +grid " "$T/kinks.txt"
python3 - "$T/kinks.json" "$F/kinks-mle.out" <<'PY'
import csv, json, math, sys
m = json.load(open(sys.argv[1]))
want = {r["term"]: (float(r["estimate"]), r["high"]) for r in csv.DictReader(open(sys.argv[2]))}
bad = []
fit = m.get("half_life_fit", {})
if not fit.get("converged"):
    bad.append(f"half_life_fit: {fit}")
ll, top = m["fit"]["log_likelihood"], want["log_likelihood"][0]
if not top - 0.001 <= ll <= top + 1e-6:
    bad.append(f"log-likelihood {ll!r}, R's maximum {top!r}")
if not want["aic"][0] - 2e-6 <= m["fit"]["aic"] <= want["aic"][0] + 0.002:
    bad.append(f"AIC {m['fit']['aic']!r}, R's {want['aic'][0]!r}")
log = lambda v: -math.inf if v == 0 else math.log(v)
for h in m["half_lives"]:
    theta = want["log_half_life_" + h["rule"]][0]
    if h["half_life_days"] is None or abs(math.log(h["half_life_days"]) - theta) > 0.05 * h["std_error_log"]:
        bad.append(f"{h['rule']}: {h['half_life_days']!r} days, R's {math.exp(theta)!r}")
    low, high = want["ci_log_half_life_" + h["rule"]]
    got = (log(h["ci_low"]), math.inf if h["ci_high_infinite"] else math.log(h["ci_high"]))
    for g, w in zip(got, (low, float(high))):
        if not (g == w or abs(g - w) <= 0.002):
            bad.append(f"{h['rule']}: interval {got}, R's {(low, float(high))}")
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY

# The AIC counts each half-life estimated, not one at no decay: on nodecay-*
# the webinars' count does not decay and their half-life goes to no decay,
# and the AIC is R's -2 log-likelihood + 2 (4 weights + 1 half-life)
# (nodecay-mle.R, output nodecay-mle.out), to 1e-6.
mql-fit "$F/nodecay-contacts.csv" "$F/nodecay-events.csv" --rules "$F/nodecay-rules.json" \
	--half-lives auto -o "$T/nodecay.json" > "$T/nodecay.txt"
grep -q "the AIC counts 1 estimated half-life as a parameter (none at no decay" "$T/nodecay.txt"
python3 - "$T/nodecay.json" "$F/nodecay-mle.out" <<'PY'
import csv, json, math, sys
m = json.load(open(sys.argv[1]))
want = {r["term"]: float(r["estimate"]) for r in csv.DictReader(open(sys.argv[2]))}
half = {h["rule"]: h for h in m["half_lives"]}
bad = []
if half["webinar"]["half_life_days"] is not None or not half["webinar"]["ci_high_infinite"]:
    bad.append(f"webinar: {half['webinar']}")
if abs(math.log(half["demo"]["half_life_days"]) - want["log_half_life_demo"]) > 1e-6:
    bad.append(f"demo: {half['demo']['half_life_days']!r} days")
if m["half_life_fit"]["aic_parameters"] != 1:
    bad.append(f"aic_parameters {m['half_life_fit']['aic_parameters']!r}")
if abs(m["fit"]["aic"] - want["aic"]) > 1e-6 * abs(want["aic"]):
    bad.append(f"AIC {m['fit']['aic']!r}, R's {want['aic']!r}")
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
