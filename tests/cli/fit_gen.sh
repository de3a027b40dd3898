#!/usr/bin/env bash
# mql-fit on mql-gen histories of 50,000 contacts, refitted with the true
# rule structure (truth.json):
#  - over two seeds (about 50 true coefficients), at least 90% lie inside their
#    95% confidence intervals;
#  - with --half-lives auto, each frequent event type (reached by at least
#    half of the fitted rows) gets its true half-life or a grid neighbour,
#    unless the data cannot tell them apart: then the true value (or a
#    neighbour) must lie inside the profile's 95% likelihood-ratio set (held-
#    out log-likelihood within 1.92 of the best).  At least 4 of them must
#    pick the true value or a neighbour outright.
set -euo pipefail
# Skipped under the sanitizers (fit_history.sh runs the same code paths small).
. "$MQL_SRC/tests/cli/skip_sanitized.inc"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export OPENBLAS_NUM_THREADS=1
for seed in 1 2; do
	mql-gen --contacts 50000 --seed "$seed" -o "$T/h$seed" --quiet
	python3 - "$T/h$seed" <<'PY'
import json, sys
rules = json.load(open(sys.argv[1] + "/truth.json"))["rules"]
json.dump(rules, open(sys.argv[1] + "/true-rules.json", "w"))
PY
	mql-fit "$T/h$seed/contacts.csv" "$T/h$seed/events.csv" \
		--rules "$T/h$seed/true-rules.json" -o "$T/h$seed/model.json" --quiet
done
mql-fit "$T/h1/contacts.csv" "$T/h1/events.csv" \
	--rules "$T/h1/true-rules.json" --half-lives auto -o "$T/h1/auto.json" --quiet
python3 - "$T" <<'PY'
import json, sys
d = sys.argv[1]
bad = []
inside = total = 0
for seed in (1, 2):
    truth = json.load(open(f"{d}/h{seed}/truth.json"))
    m = json.load(open(f"{d}/h{seed}/model.json"))
    if len(m["coefficients"]) != len(truth["coefficients"]):
        bad.append(f"seed {seed}: {len(m['coefficients'])} coefficients for "
                   f"{len(truth['coefficients'])} true ones")
    for c in m["coefficients"]:
        total += 1
        inside += c["ci_low"] <= truth["coefficients"][c["name"]] <= c["ci_high"]
if total < 40 or inside < 0.9 * total:
    bad.append(f"{inside} of {total} true coefficients inside their 95% CI")

grid = [3, 7, 14, 30, 60, 90, 180, 365, None]
truth = json.load(open(f"{d}/h1/truth.json"))
a = json.load(open(f"{d}/h1/auto.json"))
support = {c["name"]: c["support"] for c in a["coefficients"]}
outright = frequent = 0
for h in a["half_lives"]:
    if support[h["rule"]] < a["n"] / 2:
        continue
    frequent += 1
    true = grid.index(truth["half_lives"][h["rule"]])
    near = {true - 1, true, true + 1}
    if grid.index(h["grid_half_life_days"]) in near:
        outright += 1
        continue
    best = max(p["log_likelihood"] for p in h["profile"])
    plausible = {i for i, p in enumerate(h["profile"]) if p["log_likelihood"] >= best - 1.92}
    if not plausible & near:
        bad.append(f"{h['rule']}: chose {h['grid_half_life_days']}, true {grid[true]}, "
                   f"plausible {[grid[i] for i in sorted(plausible)]}")
if frequent < 5 or outright < 4:
    bad.append(f"{outright} of {frequent} frequent types picked the true half-life or a neighbour")
if bad:
    print("\n".join(bad))
    sys.exit(1)
print(f"coverage {inside}/{total}; half-lives {outright}/{frequent}")
PY
