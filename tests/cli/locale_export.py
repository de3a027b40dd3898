#!/usr/bin/env python3
"""A contacts export written as a CRM in one locale writes it, its twin in
mqlcal's own ISO form, and what both must read as.

Usage: locale_export.py STYLE ROWS SEED OUT_DIR
  STYLE us: dates "3/5/2026 2:07 PM", money "$12,500.00", sizes "1,000+"
  STYLE de: dates "05.03.2026 14:07", money "12.500,00 EUR-sign", sizes
            "1.000-4.999" and "4.800"
Writes OUT_DIR/export.csv (the locale's form), OUT_DIR/iso.csv (the same
leads, dates as YYYY-MM-DDTHH:MM:SSZ, numbers plain) and
OUT_DIR/expected.json: per stage its count, first and last date (ISO), and
per contact the numbers each numeric column must read as.  The values are
drawn here as datetimes and integers and then formatted, so what a reader
must find is known without parsing the export back.
"""
import csv
import datetime as dt
import json
import random
import sys

STAGES = ["created_at", "mql_at", "sal_at", "sql_at", "opportunity_at",
          "customer_at", "rejected_at"]
# company size: (lower bound, US text, German text)
SIZES = [(1, "1-10", "1-10"), (25, "25-50", "25-50"),
         (1000, "1,000-4,999", "1.000-4.999"), (1000, "1,000+", "1.000+"),
         (10000, "10,000+", "10.000+"), (4800, "4,800", "4.800"),
         (120, "120", "120")]


def us_date(t):
    hour = t.hour % 12 or 12
    return "%d/%d/%d %d:%02d %s" % (t.month, t.day, t.year, hour, t.minute,
                                    "AM" if t.hour < 12 else "PM")


def de_date(t):
    return t.strftime("%d.%m.%Y %H:%M")


def us_money(cents):
    sign = "-" if cents < 0 else ""
    return "%s$%s" % (sign, "{:,.2f}".format(abs(cents) / 100))


def de_money(cents):
    text = "{:,.2f}".format(abs(cents) / 100)
    text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return "%s%s \u20ac" % ("-" if cents < 0 else "", text)


def lead(rng, i):
    start = dt.datetime(2026, 1, 1)
    created = start + dt.timedelta(minutes=rng.randrange(0, 200 * 1440))
    row = {"created_at": created}
    t = created
    if rng.random() < 0.95:
        t += dt.timedelta(minutes=rng.randrange(60, 30 * 1440))
        row["mql_at"] = t
        if rng.random() < 0.15:
            row["rejected_at"] = t + dt.timedelta(
                minutes=rng.randrange(60, 10 * 1440))
        else:
            for stage, p in (("sal_at", 0.85), ("sql_at", 0.8),
                             ("opportunity_at", 0.5), ("customer_at", 0.4)):
                if rng.random() >= p:
                    break
                t += dt.timedelta(minutes=rng.randrange(60, 20 * 1440))
                row[stage] = t
    row["channel"] = rng.choice(["Web", "Ads", "Events"])
    row["size"] = rng.choice(SIZES)
    # revenue in cents; a few refunds are negative
    row["cents"] = rng.randrange(-50000, 5000000) if rng.random() < 0.9 \
        else None
    row["id"] = "c%04d" % i
    return row


def main(style, rows, seed, out):
    rng = random.Random(seed)
    leads = [lead(rng, i) for i in range(rows)]
    date = us_date if style == "us" else de_date
    money = us_money if style == "us" else de_money
    header = ["contact_id"] + STAGES + ["channel", "annual_revenue",
                                        "company_size"]
    with open(out + "/export.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(header)
        for r in leads:
            w.writerow([r["id"]] + [date(r[s]) if s in r else ""
                                    for s in STAGES] +
                       [r["channel"],
                        money(r["cents"]) if r["cents"] is not None else "",
                        r["size"][1 if style == "us" else 2]])
    iso = "%Y-%m-%dT%H:%M:%SZ"
    with open(out + "/iso.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for r in leads:
            w.writerow([r["id"]] + [r[s].strftime(iso) if s in r else ""
                                    for s in STAGES] +
                       [r["channel"],
                        "%.2f" % (r["cents"] / 100)
                        if r["cents"] is not None else "",
                        r["size"][0]])
    expected = {"rows": rows, "stages": {}, "values": {}}
    for s in STAGES:
        times = [r[s] for r in leads if s in r]
        expected["stages"][s] = {
            "count": len(times),
            "first": min(times).strftime(iso) if times else None,
            "last": max(times).strftime(iso) if times else None}
    for r in leads:
        expected["values"][r["id"]] = {
            "company_size": r["size"][0],
            "annual_revenue": r["cents"] / 100
            if r["cents"] is not None else None}
    with open(out + "/expected.json", "w") as f:
        json.dump(expected, f)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
