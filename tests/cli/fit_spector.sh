#!/usr/bin/env bash
# mql-fit --rules on the Spector & Mazzeo data as contacts (outcome GRADE,
# linear rules for GPA and TUCE, an `in` rule for PSI) reproduces the
# published Stata results (statsmodels' test suite) in model.json, checked
# with python3's json module, to 1e-6 relative.
set -euo pipefail
F=$MQL_FIXTURES/fit
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mql-fit "$F/spector-contacts.csv" --outcome GRADE --rules "$F/spector-rules.json" \
	-o "$T/model.json" --quiet
python3 - "$T/model.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
published = {  # term: (coef, std error, z, p, ci_low, ci_high)
    "gpa": (2.82611297201, 1.26294114526, 2.237723415, 0.0252390974, 0.3507938, 5.301432),
    "tuce": (0.0951576702557, 0.141554207662, 0.6722348408, 0.5014342039, -0.1822835, 0.3725988),
    "psi": (2.37868772835, 1.06456430165, 2.234423721, 0.0254552063, 0.29218, 4.465195),
    "(intercept)": (-13.0213483201, 4.93132462871, -2.640537645, 0.0082774596, -22.68657, -3.35613),
}
def close(a, b, rel):
    return abs(a - b) <= rel * abs(b)
bad = []
terms = {c["name"]: c for c in m["coefficients"]}
terms["(intercept)"] = m["intercept"]
for name, (coef, se, z, p, lo, hi) in published.items():
    c = terms[name]
    for key, want, rel in (("estimate", coef, 1e-6), ("std_error", se, 1e-6), ("z", z, 1e-6),
                           ("p", p, 1e-6), ("ci_low", lo, 1e-5), ("ci_high", hi, 1e-5)):
        if not close(c[key], want, rel):
            bad.append(f"{name}.{key}: {c[key]!r} expected {want!r}")
fit = m["fit"]
for key, want in (("log_likelihood", -12.8896334653335), ("aic", 33.779266930667),
                  ("null_deviance", -2 * -20.5917296966173)):
    if not close(fit[key], want, 1e-6):
        bad.append(f"fit.{key}: {fit[key]!r} expected {want!r}")
if m["n"] != 32 or m["positives"] != 11 or m["label"] != "GRADE":
    bad.append(f"n/positives/label: {m['n']} {m['positives']} {m['label']}")
if abs(terms["gpa"]["odds_ratio"] - 16.8797) > 1e-3 or not fit["converged"]:
    bad.append("odds ratio of gpa or convergence")
if m["coefficients"][2]["rule"] != {"id": "psi", "property": "PSI", "op": "in", "values": ["1"]}:
    bad.append(f"rule of psi: {m['coefficients'][2]['rule']}")
if not any("11 positives" in w for w in m["warnings"]):
    bad.append("no warning about 11 positives")
if not any("'psi'" in w and "14 rows" in w for w in m["warnings"]):
    bad.append("no min-support warning for psi (14 rows)")
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
