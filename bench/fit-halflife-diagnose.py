#!/usr/bin/env python3
"""Why an interval of bench/fit-halflife-coverage.sh misses: per term, the
side of the misses (truth below the interval or above it), the bias of the
estimate (half-lives on the log scale), the empirical SD of the estimates
against the mean standard error, and for half-lives the coverage of Wald's
interval on the log scale beside the profile's and the ratio of the
profile's finite width to Wald's (below 1: the profile is narrower than
the joint covariance says).
Usage: bench/fit-halflife-diagnose.py OUT_DIR [TERM...]"""
import json, math, os, statistics, sys

out = sys.argv[1]
rows = [json.load(open(os.path.join(out, f))) for f in sorted(os.listdir(out))
        if f.startswith("rep-") and f.endswith(".json")]
rows = [r for r in rows if r.get("detail")]
terms = sys.argv[2:] or sorted({k for r in rows for k in r["detail"]})
print(f"{len(rows)} histories")
print(f"{'term':30} {'n':>3} {'cover':>6} {'below':>5} {'above':>5} "
      f"{'bias':>7} {'sd':>6} {'mean se':>7} {'wald':>6} {'width':>6} "
      f"{'inf':>3}")
for term in terms:
    d = [r["detail"][term] for r in rows if term in r["detail"]]
    below = sum(1 for t, e, s, lo, hi in d if t < lo)
    above = sum(1 for t, e, s, lo, hi in d if t > hi)
    finite = [x for x in d if x[1] is not None and math.isfinite(x[1])
              and x[2] is not None]
    est = [x[1] for x in finite]
    bias = statistics.mean(est) - finite[0][0] if finite else float("nan")
    sd = statistics.stdev(est) if len(est) > 1 else float("nan")
    se = statistics.mean(x[2] for x in finite) if finite else float("nan")
    wald = [x[1] - 1.96 * x[2] <= x[0] <= x[1] + 1.96 * x[2] for x in finite]
    widths = [(x[4] - x[3]) / (2 * 1.96 * x[2]) for x in finite
              if math.isfinite(x[3]) and math.isfinite(x[4]) and x[2] > 0]
    print(f"{term:30} {len(d):3d} {100 * (1 - (below + above) / len(d)):5.1f}% "
          f"{below:5d} {above:5d} {bias:7.3f} {sd:6.3f} {se:7.3f} "
          f"{100 * sum(wald) / max(1, len(wald)):5.1f}% "
          f"{statistics.median(widths) if widths else float('nan'):6.2f} "
          f"{len(d) - len(finite):3d}")
