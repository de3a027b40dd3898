#!/usr/bin/env bash
# Raw CRM exports load with --preset: a HubSpot contact export (its header
# names, "YYYY-MM-DD HH:MM" dates, employee ranges) and a Salesforce lead
# export.  Counts are read off the few rows written here.
set -euo pipefail
command -v python3 >/dev/null || exit 77
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/hubspot.csv" <<'CSV'
Record ID,First Name,Create Date,Original Source,First Touch Converting Campaign,Became a Marketing Qualified Lead Date,Became a Sales Qualified Lead Date,Became an Opportunity Date,Became a Customer Date,Lead Status,Job Title,Number of Employees,Industry,Country/Region
101,Ann,2026-01-05 10:00,ORGANIC_SEARCH,Q1 webinar,2026-01-20 09:30,2026-02-01 12:00,,,OPEN,VP Sales,25-50,Software,Germany
102,Bob,2026-01-06 11:15,PAID_SEARCH,,2026-01-21 08:00,,,,NEW,Analyst,1000+,Retail,France
103,Cy,2026-01-07 09:00,PAID_SEARCH,Q1 webinar,,,,,NEW,Engineer,10,Software,
104,Di,2026-01-08 09:00,REFERRALS,,2026-01-22 10:00,,,,Unqualified,CFO,10,Retail,Spain
105,Ed,2026-01-09 09:00,REFERRALS,,2026-01-23 10:00,,,,BAD_TIMING,CEO,10,Retail,Spain
CSV
mql-check "$tmp/hubspot.csv" --preset hubspot --format json -o "$tmp/hubspot.json"

cat >"$tmp/salesforce.csv" <<'CSV'
Lead ID,Created Date,Lead Source,Title,No. of Employees,Industry,Country,MQL_Date__c,Converted Date,Lead Status
00Q1,2026-03-02T08:00:00Z,Web,CTO,500,Software,US,2026-03-05,2026-03-20,Closed - Converted
00Q2,2026-03-03T08:00:00Z,Partner,Intern,12,Retail,UK,,,Open - Not Contacted
00Q3,2026-03-04T08:00:00Z,Trade Show,CFO,80,Retail,UK,2026-03-06,,Closed - Not Converted
CSV
mql-check "$tmp/salesforce.csv" --preset salesforce --format json -o "$tmp/salesforce.json"

python3 - "$tmp/hubspot.json" "$tmp/salesforce.json" <<'PY'
import json, sys
def items(path):
    return {(x["section"], x["item"]): x for x in json.load(open(path))}
hub, sf = items(sys.argv[1]), items(sys.argv[2])
assert hub[("files", "contacts")]["count"] == 5
assert hub[("stages", "created_at")]["count"] == 5
assert hub[("stages", "mql_at")]["count"] == 4      # 101, 102, 104, 105
assert hub[("stages", "sql_at")]["count"] == 1      # 101
# no SAL stage in HubSpot: reaching SQL is the acceptance
assert hub[("outcomes", "accepted")]["count"] == 1  # 101
assert hub[("outcomes", "open")]["count"] == 1      # 102
assert hub[("outcomes", "rejected")]["count"] == 2  # 104, 105: Lead Status
assert hub[("outcomes", "rejected without a date")]["count"] == 2
assert hub[("outcomes", "definition")]["detail"] == \
    "accepted = reached SQL: this export has no SAL stage"
assert hub[("channels", "PAID_SEARCH")]["count"] == 2
assert hub[("campaigns", "Q1 webinar")]["count"] == 2
assert hub[("properties", "company_size")]["detail"].startswith("numeric")
assert hub[("properties", "job_title")]["detail"].startswith("categorical")
assert hub[("missing", "country")]["count"] == 1   # 103
assert ("properties", "First Name") in hub          # unmapped: a property
assert sf[("files", "contacts")]["count"] == 3
assert sf[("stages", "mql_at")]["count"] == 2
assert sf[("outcomes", "accepted")]["count"] == 1   # 00Q1, Converted Date
assert sf[("outcomes", "rejected")]["count"] == 1   # 00Q3, Closed - Not Converted
assert sf[("outcomes", "open")]["count"] == 0
assert sf[("stages", "sql_at")]["count"] == 1        # Converted Date
assert sf[("channels", "Web")]["count"] == 1
assert sf[("properties", "company_size")]["detail"].startswith("numeric")
PY
