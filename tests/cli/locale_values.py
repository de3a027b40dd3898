#!/usr/bin/env python3
"""Checks what mqlcal read from an export (locale_export.py) against what
it must read as.

Usage: locale_values.py expected.json check.json scores_size.csv
                        scores_revenue.csv
check.json is mql-check --format json on the export: each stage's count
and first and last date.  The scores are mql-score with one linear rule of
one point per unit on company_size, then on annual_revenue: a contact's
score is the number read (0 when missing).
"""
import csv
import json
import sys


def main(expected_path, check_path, size_path, revenue_path):
    expected = json.load(open(expected_path))
    items = {(x["section"], x["item"]): x for x in json.load(open(check_path))}
    checked = 0
    assert items[("files", "contacts")]["count"] == expected["rows"]
    for stage, e in expected["stages"].items():
        got = items[("stages", stage)]["count"]
        assert got == e["count"], (stage, got, e["count"])
        detail = items[("dates", stage)]["detail"]
        want = "%s .. %s" % (e["first"], e["last"])
        assert detail == want, (stage, detail, want)
        checked += 2
    assert items[("properties", "company_size")]["detail"].startswith(
        "numeric"), items[("properties", "company_size")]
    assert items[("properties", "annual_revenue")]["detail"].startswith(
        "numeric"), items[("properties", "annual_revenue")]
    for path, column in ((size_path, "company_size"),
                         (revenue_path, "annual_revenue")):
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                want = expected["values"][row["contact_id"]][column]
                want = 0.0 if want is None else float(want)
                got = float(row["fit_score"])
                assert abs(got - want) < 0.005, (row["contact_id"], column,
                                                  got, want)
                checked += 1
    print("checked %d stage counts, date ranges and values" % checked)


if __name__ == "__main__":
    main(*sys.argv[1:5])
