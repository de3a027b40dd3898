#!/usr/bin/env bash
# Coverage of mql-fit's 95% intervals after --half-lives auto.  REPS
# histories of mql-gen (seeds 1..REPS, CONTACTS contacts each) are refitted
# with the true rule structure (truth.json) and --half-lives auto; each
# coefficient's and each half-life's interval is checked against the truth
# mql-gen drew from, and the share that cover it is printed per term and in
# total with its binomial SE (1.5 points for one term at 200 reps).  With OLD_FIT (an mql-fit
# that takes the grid's half-lives as known) the same fits are made with it
# too, side by side.  FIRST and STEP (1, 1) run every STEP-th seed from
# FIRST, for runs side by side; the summary counts the reps done.  Minutes per hundred reps; not run in CI (the
# deterministic check of the joint fit is tests/cli/fit_halflife_joint.sh).
# Each rep's file keeps, per term, the truth, estimate, standard error and
# interval ("detail"; half-lives in log days) for
# bench/fit-halflife-diagnose.py.  OUT: the directory of the reps' files.
# HALF_LIVES=keep fits with the true half-lives taken as known instead: the
# coverage the weights' intervals have when nothing is chosen.
# Usage: bench/fit-halflife-coverage.sh [REPS] [CONTACTS] [OLD_FIT]
set -euo pipefail
reps=${1:-200}
contacts=${2:-10000}
old=${3:-}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${MQL_BIN:-$root/build/bin}
out=${OUT:-$root/bench/out/halflife-coverage-$contacts}
mkdir -p "$out"
export OPENBLAS_NUM_THREADS=1
for seed in $(seq "${FIRST:-1}" "${STEP:-1}" "$reps"); do
	result=$out/rep-$seed.json
	[ -s "$result" ] && continue
	h=$(mktemp -d)
	"$bin/mql-gen" --contacts "$contacts" --seed "$seed" -o "$h" --quiet
	python3 -c 'import json, sys
json.dump(json.load(open(sys.argv[1]))["rules"], open(sys.argv[2], "w"))' \
		"$h/truth.json" "$h/rules.json"
	"$bin/mql-fit" "$h/contacts.csv" "$h/events.csv" --rules "$h/rules.json" \
		--half-lives "${HALF_LIVES:-auto}" --threads 1 -o "$h/new.json" --quiet
	if [ -n "$old" ]; then
		"$old" "$h/contacts.csv" "$h/events.csv" --rules "$h/rules.json" \
			--half-lives auto --threads 1 -o "$h/old.json" --quiet
	fi
	python3 - "$h" "$result" <<'PY'
import json, math, os, sys
h, result = sys.argv[1], sys.argv[2]
truth = json.load(open(f"{h}/truth.json"))
def up(high):  # an upper limit past the largest double is written as null
    return float("inf") if high is None else high
def covered(path):
    if not os.path.exists(path):
        return None
    m = json.load(open(path))
    cover = {}
    for c in m["coefficients"]:
        t = truth["coefficients"][c["name"]]
        if c["ci_low"] is not None:
            cover[c["name"]] = c["ci_low"] <= t <= up(c["ci_high"])
    for e in m.get("half_lives", []):
        if "ci_low" not in e:
            continue
        t = truth["half_lives"][e["rule"]]
        if e["ci_low"] is not None:
            # no decay is an infinite half-life
            cover["half-life " + e["rule"]] = (
                e["ci_low"] <= (t if t is not None else float("inf")) <= up(e["ci_high"]))
    return cover
def detail(path):
    # per term: truth, estimate, SE and interval (half-lives on the log
    # scale, no decay as inf), for bench/fit-halflife-diagnose.py
    if not os.path.exists(path):
        return None
    m = json.load(open(path))
    out = {}
    for c in m["coefficients"]:
        out[c["name"]] = [truth["coefficients"][c["name"]], c["estimate"],
                          c.get("std_error"), c["ci_low"], c["ci_high"]]
    def log(days):  # null: no decay or an infinite limit
        if days is None:
            return math.inf
        return math.log(days) if days > 0 else -math.inf
    for e in m.get("half_lives", []):
        if "ci_low" not in e or e["ci_low"] is None:
            continue
        t = truth["half_lives"][e["rule"]]
        out["half-life " + e["rule"]] = [
            log(t), log(e.get("half_life_days")), e.get("std_error_log"),
            log(e["ci_low"]), log(e["ci_high"])]
    return out
def joint(path):
    if not os.path.exists(path):
        return None
    fit = json.load(open(path)).get("half_life_fit")
    return bool(fit and fit.get("converged"))
json.dump({"new": covered(f"{h}/new.json"), "old": covered(f"{h}/old.json"),
           "joint": joint(f"{h}/new.json"),
           "detail": detail(f"{h}/new.json"),
           "no_decay": sorted(k for k, v in truth["half_lives"].items() if v is None),
           "engagement": sorted(truth["half_lives"])},
          open(result, "w"))
PY
	rm -rf "$h"
done
python3 - "$out" "$reps" <<'PY'
import json, os, sys
out, reps = sys.argv[1], int(sys.argv[2])
rows = [json.load(open(f"{out}/rep-{s}.json")) for s in range(1, reps + 1)
        if os.path.exists(f"{out}/rep-{s}.json")]
def tally(kind):
    per = {}
    for r in rows:
        for k, v in (r[kind] or {}).items():
            per.setdefault(k, []).append(v)
    return per
new, old = tally("new"), tally("old")
print(f"{len(rows)} histories; share of 95% intervals covering the truth")
print("share (binomial SE) and intervals counted; the joint fit converged in "
      f"{sum(1 for r in rows if r.get('joint'))} of {len(rows)}")
print(f"{'term':34} {'joint':>19} {'grid known':>19}")
def share(v):
    if not v:
        return " " * 19
    p = sum(v) / len(v)
    return f"{100 * p:5.1f}% ({100 * (p * (1 - p) / len(v)) ** 0.5:3.1f}) {len(v):4d}"
for name in new:
    print(f"{name:34} {share(new[name]):>19} {share(old.get(name, [])):>19}")
def pooled(tallies, pick, kind="new"):
    v = [x for r in rows for k, x in (r[kind] or {}).items() if pick(k, r)]
    return share(v)
half = lambda k: k.startswith("half-life ")
events = set(rows[0]["engagement"])
no_decay = lambda k, r: k[len("half-life "):] in r.get("no_decay", [])
picks = {
    "all weights": lambda k, r: not half(k),
    "event weights": lambda k, r: k in events,
    "fit weights": lambda k, r: not half(k) and k not in events,
    "half-lives": lambda k, r: half(k),
    "half-lives, finite truth": lambda k, r: half(k) and not no_decay(k, r),
    "half-lives, truth no decay": lambda k, r: half(k) and no_decay(k, r),
}
for label, pick in picks.items():
    print(f"{label:34} {pooled(new, pick):>19} {pooled(old, pick, 'old'):>19}")
PY
