#!/usr/bin/env bash
# A separated rule (vip: 6 leads, all won; 3 of the 10 others won) is fitted
# by Firth's penalized likelihood, and its table and model.json give the
# profile penalized-likelihood intervals and p-values that R computes
# (tests/fixtures/logit/firth-profile-output.txt, "two by two"), each saying
# so.  With --l2 the output says the standard errors come from the
# penalized Hessian and the AIC counts effective degrees of freedom.
set -euo pipefail
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
R_OUTPUT="$MQL_FIXTURES/logit/firth-profile-output.txt"
{
	echo "contact_id,vip,won"
	for i in $(seq 1 16); do
		vip=no; [ "$i" -le 6 ] && vip=yes
		won=0; [ "$i" -le 9 ] && won=1
		echo "c$i,$vip,$won"
	done
} > "$T/contacts.csv"
cat > "$T/rules.json" <<'JSON'
{"format": "mqlcal.rules/1", "threshold": 10,
 "fit": [{"id": "vip", "property": "vip", "op": "in", "values": ["yes"], "points": 20}]}
JSON
mql-fit "$T/contacts.csv" --outcome won --rules "$T/rules.json" --min-support 1 \
	-o "$T/model.json" > "$T/out.txt"
grep -q "95% intervals and p-values: profile penalized likelihood" "$T/out.txt"
grep -q "profile *$" "$T/out.txt"
python3 - "$T/model.json" "$R_OUTPUT" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
r = {}
for line in open(sys.argv[2]):
    if line.startswith("two by two "):
        *key, value = line.split()
        r[" ".join(key[3:])] = float(value)
bad = []
if m["fit"]["interval"] != "profile" or m["fit"]["std_errors"] != "information":
    bad.append(f"fit says {m['fit']}")
for name, est, k in (("intercept", m["intercept"], 0),
                     ("vip", m["coefficients"][0], 1)):
    for field in ("estimate", "ci_low", "ci_high"):
        if abs(est[field] - r[f"{k} {field}"]) > 1e-6 * max(1, abs(r[f"{k} {field}"])):
            bad.append(f"{name} {field} {est[field]} != R {r[f'{k} {field}']}")
    if abs(est["p"] - r[f"{k} p"]) > 1e-6 * r[f"{k} p"]:
        bad.append(f"{name} p {est['p']} != R {r[f'{k} p']}")
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
mql-fit "$T/contacts.csv" --outcome won --rules "$T/rules.json" --min-support 1 \
	--l2 2 -o "$T/ridge.json" > "$T/ridge.txt"
grep -q "standard errors from the penalized Hessian (l2 2)" "$T/ridge.txt"
grep -q "Wald, estimate +- 1.96 std_error" "$T/ridge.txt"
python3 - "$T/ridge.json" <<'PY'
import json, math, sys
f = json.load(open(sys.argv[1]))["fit"]
# one indicator and the intercept: 1 < edf < 2, and AIC = deviance + 2 edf
ok = (f["std_errors"] == "penalized hessian" and f["interval"] == "wald"
      and 1 < f["edf"] < 2 and math.isclose(f["aic"], f["deviance"] + 2 * f["edf"]))
sys.exit(0 if ok else 1)
PY
