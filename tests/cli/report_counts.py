#!/usr/bin/env python3
"""Independent check of mql-report --by channel --format csv.

Recomputes from contacts.csv, with the standard library only, what the
report must say: as of the latest date in the file, per channel and for
all leads, the stage counts, every step's rate (leads that reached both
stages / leads that reached the first) and its Wilson 95% interval
(z = 1.959964).  Usage: report_counts.py contacts.csv report.csv
"""
import csv
import math
import sys

STAGES = ["mql_at", "sal_at", "sql_at", "opportunity_at", "customer_at"]
COUNTS = ["leads", "mql", "sal", "sql", "opportunity", "customer"]
STEPS = [("lead_to_mql", 0, 1), ("mql_to_sal", 1, 2), ("mql_to_sql", 1, 3),
         ("sql_to_opportunity", 3, 4), ("opportunity_to_customer", 4, 5),
         ("mql_to_customer", 1, 5)]
Z = 1.959964


def wilson(x, n):
    if n == 0:
        return None
    p = x / n
    d = 1 + Z * Z / n
    c = (p + Z * Z / (2 * n)) / d
    h = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / d
    return p, max(0.0, c - h), min(1.0, c + h)


def main(contacts_path, report_path):
    with open(contacts_path, newline="") as f:
        rows = list(csv.DictReader(f))
    # Every date is written as YYYY-MM-DDTHH:MM:SSZ, so text order is time
    # order; the default as-of is the latest date of any stage.
    dates = [r[c] for r in rows for c in ["created_at"] + STAGES +
             ["rejected_at"] if r[c]]
    as_of = max(dates)
    groups = {}
    for r in rows:
        if r["created_at"] and r["created_at"] > as_of:
            continue
        hit = [1] + [1 if r[s] and r[s] <= as_of else 0 for s in STAGES]
        for key in (r["channel"] or "(none)", "all"):
            g = groups.setdefault(key, {"count": [0] * 6, "both": [0] * 6})
            for i in range(6):
                g["count"][i] += hit[i]
            for k, (name, a, b) in enumerate(STEPS):
                g["both"][k] += hit[a] and hit[b]
    with open(report_path, newline="") as f:
        report = {r["channel"]: r for r in csv.DictReader(f)}
    if set(report) != set(groups):
        sys.exit("groups differ: %s vs %s" % (sorted(report), sorted(groups)))
    checked = 0
    for key, g in groups.items():
        got = report[key]
        level = "total" if key == "all" else "group"
        if got["level"] != level:
            sys.exit("%s level: %s, expected %s" % (key, got["level"], level))
        for i, name in enumerate(COUNTS):
            if int(got[name]) != g["count"][i]:
                sys.exit("%s %s: %s, expected %d" % (key, name, got[name],
                                                     g["count"][i]))
        for k, (name, a, b) in enumerate(STEPS):
            expected = wilson(g["both"][k], g["count"][a])
            values = [got[name], got[name + "_low"], got[name + "_high"]]
            if expected is None:
                if any(values):
                    sys.exit("%s %s: %s, expected empty" % (key, name, values))
                continue
            for v, e in zip(values, expected):
                if abs(float(v) - e) > 1e-9:
                    sys.exit("%s %s: %s, expected %s" % (key, name, values,
                                                         expected))
                checked += 1
    print("checked %d groups, %d rates and bounds" % (len(groups), checked))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
