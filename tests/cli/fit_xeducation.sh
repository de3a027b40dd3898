#!/usr/bin/env bash
# mql-fit --outcome Converted on the X Education export (a real lead-scoring
# CSV): discovery over every column it may use (fit_leakage_xeducation.sh
# checks those it leaves out) runs to the end, exit 0, with the
# separation cases named in the warnings (Lead Origin 'Quick Add Form', 1 of
# 1 converted; Lead Source 'google', 0 of 5) and every estimate finite.
# With Lead Origin alone the model is saturated, so each level's fitted
# log-odds (intercept + its coefficient) equal its group's log-odds (closed
# form): API 1115/3580, Lead Add Form 664/718, Lead Import 13/55; the
# reference Landing Page Submission 1768/4886 also holds the single Quick Add
# Form row (below --min-support), so it is 1769/4887.
set -euo pipefail
X=$MQL_FIXTURES/leads-xeducation.csv
MAP=$MQL_FIXTURES/fit/xeducation-map.json
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mql-fit "$X" --outcome Converted --map "$MAP" --na Select -o "$T/all.json" > "$T/summary.txt"
grep -q "Quick Add Form" "$T/summary.txt"
mql-fit "$X" --outcome Converted --map "$MAP" --na Select --properties "Lead Origin" \
	-o "$T/origin.json" --quiet
python3 - "$T/all.json" "$T/origin.json" "$X" <<'PY'
import csv, json, math, sys
bad = []
m = json.load(open(sys.argv[1]))
warnings = " | ".join(m["warnings"])
for needle in ("'Quick Add Form' (1 of 1)", "'google' (0 of 5)"):
    if needle not in warnings:
        bad.append(f"no warning naming {needle}")
if m["n"] != 9240 or m["positives"] != 3561:
    bad.append(f"n {m['n']} positives {m['positives']}")
finite = 0
for c in [m["intercept"]] + m["coefficients"]:
    if c["estimate"] is None:  # aliased: must be named in the warnings
        if c["name"] not in warnings:
            bad.append(f"{c['name']} has no estimate and no warning")
        continue
    for key in ("estimate", "std_error", "ci_low", "ci_high"):
        if not math.isfinite(c[key]) or abs(c[key]) > 50:
            bad.append(f"{c.get('name', 'intercept')}.{key} = {c[key]}")
    finite += 1
if finite < 50:
    bad.append(f"only {finite} estimated coefficients")

o = json.load(open(sys.argv[2]))
b0 = o["intercept"]["estimate"]
groups = {"lead_origin_api": (1115, 3580), "lead_origin_lead_add_form": (664, 718),
          "lead_origin_lead_import": (13, 55)}
# The counts above, counted again from the export itself.
counted = {}
for row in csv.DictReader(open(sys.argv[3], newline="")):
    k, n = counted.get(row["Lead Origin"], (0, 0))
    counted[row["Lead Origin"]] = (k + (row["Converted"] == "1"), n + 1)
for name, origin in (("lead_origin_api", "API"), ("lead_origin_lead_add_form", "Lead Add Form"),
                     ("lead_origin_lead_import", "Lead Import")):
    if counted.get(origin) != groups[name]:
        bad.append(f"{origin}: the export has {counted.get(origin)}, not {groups[name]}")
lp, qa = counted.get("Landing Page Submission"), counted.get("Quick Add Form")
if (lp[0] + qa[0], lp[1] + qa[1]) != (1769, 4887):
    bad.append(f"reference group: the export has {lp} + {qa}, not 1769 of 4887")
names = [c["name"] for c in o["coefficients"]]
if sorted(names) != sorted(groups):
    bad.append(f"Lead Origin rules: {names}")
def log_odds(k, n):
    return math.log(k / (n - k))
if abs(b0 - log_odds(1769, 4887)) > 1e-6:
    bad.append(f"reference log-odds {b0} expected {log_odds(1769, 4887)}")
for c in o["coefficients"]:
    k, n = groups[c["name"]]
    if abs(b0 + c["estimate"] - log_odds(k, n)) > 1e-6:
        bad.append(f"{c['name']}: {b0 + c['estimate']} expected {log_odds(k, n)}")
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
