#!/usr/bin/env bash
# Discovery on a HubSpot "all contacts" export and a Salesforce Lead report,
# with the columns those products export under their own labels: it leaves
# out exactly the stage, status, score, deal revenue, personal, owner, id,
# date and export-time columns, each with the reason of its kind, and keeps
# the fit properties (title, industry, size, annual revenue, country,
# source).  The leaked columns are made to predict the outcome (as they do
# in real exports), so a model that used them would show it.
# --properties overrides, with a warning.
set -euo pipefail
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
python3 - "$T" <<'PY'
import csv, random, sys
rng = random.Random(7)
out = sys.argv[1]
titles = ["Marketing Manager", "VP Sales", "Analyst", "Engineer", "Director"]
industries = ["Software", "Retail", "Healthcare", "Finance"]
countries = ["United States", "Germany", "France", "United Kingdom"]
sources = ["Organic Search", "Paid Search", "Direct Traffic", "Referrals"]
def person(i):
    first = rng.choice(["Ann", "Bob", "Eva", "Joe", "Mia", "Tom"])
    last = rng.choice(["Smith", "Meyer", "Dubois", "Brown", "Rossi"])
    return first, last, f"{first.lower()}.{last.lower()}{i}@example.com"
def day(i, offset=0):
    return f"2026-0{1 + i % 9}-{1 + (i + offset) % 28:02d} 10:{i % 60:02d}"

hubspot = ["Record ID", "First Name", "Last Name", "Email", "Phone Number",
           "Company Name", "Job Title", "Industry", "Number of Employees",
           "Annual Revenue", "Country/Region", "Original Source",
           "Lifecycle Stage", "Lead Status", "Contact owner", "Create Date",
           "Last Activity Date", "HubSpot Score", "Likelihood to close",
           "Total Revenue", "Days To Close", "Number of Pageviews",
           "Number of Sessions", "Number of Form Submissions",
           "Marketing emails opened", "Marketing emails clicked",
           "Recent Conversion", "First Conversion",
           "Became a Marketing Qualified Lead Date", "Accepted by Sales"]
with open(f"{out}/hubspot.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(hubspot)
    for i in range(300):
        won = rng.random() < 0.4
        first, last, email = person(i)
        w.writerow([
            1000 + i, first, last, email, f"+1 555 01{i % 100:02d}",
            f"Company {i % 40}", rng.choice(titles), rng.choice(industries),
            rng.choice([10, 50, 200, 1000]), rng.choice([1e6, 5e6, 2e7]),
            rng.choice(countries), rng.choice(sources),
            "Sales Qualified Lead" if won else rng.choice(["Lead", "Marketing Qualified Lead"]),
            "Connected" if won else rng.choice(["Unqualified", "Bad Timing"]),
            rng.choice(["Ann Owner", "Bob Owner"]), day(i), day(i, 5),
            (60 if won else 20) + rng.randint(0, 15),
            rng.choice(["0.31", "0.52", "0.77"]),
            rng.choice([5000, 12500]) if won else "",
            rng.randint(5, 60) if won else "",
            (12 if won else 3) + rng.randint(0, 5), rng.randint(1, 9),
            rng.randint(1, 4), rng.randint(0, 12), rng.randint(0, 4),
            rng.choice(["Demo request", "Pricing page"]),
            rng.choice(["Ebook", "Newsletter"]), day(i, 2),
            "Yes" if won else "No"])

salesforce = ["Lead ID", "First Name", "Last Name", "Title",
              "Company / Account", "Email", "Phone", "Lead Source",
              "Industry", "Annual Revenue", "No. of Employees", "Country",
              "Rating", "Lead Status", "Lead Owner", "Create Date",
              "Last Activity", "Converted", "Converted Date", "Age"]
with open(f"{out}/salesforce.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(salesforce)
    for i in range(300):
        won = rng.random() < 0.35
        first, last, email = person(i)
        w.writerow([
            f"00Q5g00000{i:05d}", first, last, rng.choice(titles),
            f"Account {i % 50}", email, f"(555) 010-{i:04d}",
            rng.choice(["Web", "Partner Referral", "Trade Show", "Phone Inquiry"]),
            rng.choice(industries), rng.choice([1e6, 5e6, 2e7]),
            rng.choice([10, 50, 200, 1000]), rng.choice(countries),
            "Hot" if won else rng.choice(["Warm", "Cold"]),
            "Closed - Converted" if won else "Closed - Not Converted",
            rng.choice(["Ann Owner", "Bob Owner"]), day(i).split(" ")[0],
            day(i, 9).split(" ")[0], 1 if won else 0,
            day(i, 12).split(" ")[0] if won else "", rng.randint(3, 300)])
PY
printf '{"Record ID": "contact_id"}\n' > "$T/hubspot-map.json"
printf '{"Lead ID": "contact_id"}\n' > "$T/salesforce-map.json"
mql-fit "$T/hubspot.csv" --outcome "Accepted by Sales" --map "$T/hubspot-map.json" \
	-o "$T/hubspot.json" > "$T/hubspot.txt"
mql-fit "$T/salesforce.csv" --outcome Converted --map "$T/salesforce-map.json" \
	-o "$T/salesforce.json" > "$T/salesforce.txt"
mql-fit "$T/hubspot.csv" --outcome "Accepted by Sales" --map "$T/hubspot-map.json" \
	--properties "Industry,HubSpot Score" -o "$T/override.json" --quiet
python3 - "$T" <<'PY'
import json, sys
T = sys.argv[1]
bad = []
PERSONAL, STAGE, STATUS = "name, email", "funnel stage", "lead status"
SCORE, DEAL, OWNER = "CRM score", "revenue or a deal amount", "an owner"
DATE, AGG, ACT = "a date", "export-time aggregate", "sales activity"
CONV = "conversion record"
decided = {
    "hubspot": {
        "First Name": PERSONAL, "Last Name": PERSONAL, "Email": PERSONAL,
        "Phone Number": PERSONAL, "Company Name": PERSONAL,
        "Lifecycle Stage": STAGE, "Lead Status": STATUS,
        "Contact owner": OWNER, "Create Date": DATE,
        "Last Activity Date": ACT, "HubSpot Score": SCORE,
        "Likelihood to close": SCORE, "Total Revenue": DEAL,
        "Days To Close": DEAL, "Number of Pageviews": AGG,
        "Number of Sessions": AGG, "Number of Form Submissions": AGG,
        "Marketing emails opened": AGG, "Marketing emails clicked": AGG,
        "Recent Conversion": AGG, "First Conversion": AGG,
        "Became a Marketing Qualified Lead Date": STAGE},
    "salesforce": {
        "First Name": PERSONAL, "Last Name": PERSONAL, "Email": PERSONAL,
        "Phone": PERSONAL, "Company / Account": PERSONAL,
        "Rating": SCORE, "Lead Status": STATUS, "Lead Owner": OWNER,
        "Create Date": DATE, "Last Activity": ACT,
        "Converted Date": CONV, "Age": AGG}}
kept = {"hubspot": {"Job Title", "Industry", "Number of Employees",
                    "Annual Revenue", "Country/Region", "Original Source"},
        "salesforce": {"Title", "Lead Source", "Industry", "Annual Revenue",
                       "No. of Employees", "Country"}}
for crm in ("hubspot", "salesforce"):
    m = json.load(open(f"{T}/{crm}.json"))
    summary = open(f"{T}/{crm}.txt").read()
    got = {e["column"]: e["reason"] for e in m.get("excluded", [])}
    if sorted(got) != sorted(decided[crm]):
        bad.append(f"{crm}: left out {sorted(got)}")
    for column, words in decided[crm].items():
        if words not in got.get(column, ""):
            bad.append(f"{crm}: {column}: {got.get(column)!r}, wanted {words!r}")
        if f"'{column}'" not in " ".join(m["warnings"]):
            bad.append(f"{crm}: no warning names {column}")
        if f"\n  {column} " not in summary:
            bad.append(f"{crm}: the summary does not list {column}")
    used = {c["rule"]["property"] for c in m["coefficients"]}
    if used != kept[crm]:
        bad.append(f"{crm}: model uses {sorted(used)}")
o = json.load(open(f"{T}/override.json"))
if {c["rule"]["property"] for c in o["coefficients"]} != {"Industry", "HubSpot Score"}:
    bad.append("--properties did not use HubSpot Score")
if not any("'HubSpot Score' is used because --properties names it" in w
           and "CRM score" in w for w in o["warnings"]):
    bad.append("no warning for the overridden HubSpot Score")
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
