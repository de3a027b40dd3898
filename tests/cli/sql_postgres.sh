#!/usr/bin/env bash
# The warehouse route against a real PostgreSQL: a private cluster loads a
# generated history with \copy (every property as text, *_at as
# timestamptz), runs the queries mql-sql compiles from a rule file with
# every op and decay kind, and the results must equal the local pipeline's:
# mql-fit --features on the features query's result gives the model of
# mql-fit on the CSV files (estimates to 1e-8), and the scores query gives
# mql-score's scores (1e-9) and crossings.  The history is edited to hold
# mixed-case and padded levels, missing values, employee ranges ("25-50",
# "1000+"), events before their contact's creation, events of unknown
# contacts and (as generated) events after mql_at.  The session runs in a
# time zone that is not UTC, which must change nothing.  Then the same
# history shaped as a CRM exports it (no sal_at, half the rejections a lead
# status without a date, padded and in other cases): mql-sql --accepted-at
# sql --preset hubspot must give the model of mql-fit --preset hubspot on
# that CSV file.
set -euo pipefail
T=$(mktemp -d)
. "$MQL_SRC/tests/cli/sql_cluster.inc"
trap 'pg_stop; rm -rf "$T"' EXIT
export PGTZ=Asia/Kolkata

mql-gen --contacts 1500 --seed 11 -o "$T/g" --quiet
python3 - "$T/g" <<'PY'
import csv, random, sys
d = sys.argv[1]
rnd = random.Random(5)
rows = list(csv.DictReader(open(f"{d}/contacts.csv", newline="")))
fields = list(rows[0].keys())
for r in rows:
    u = rnd.random()
    s = r["seniority"]
    if u < 0.15:
        r["seniority"] = s.upper()
    elif u < 0.3:
        r["seniority"] = "  " + s.lower() + " "
    elif u < 0.36:
        r["seniority"] = ""
    u = rnd.random()
    if u < 0.05:
        r["company_size"] = ""
    elif u < 0.1:
        r["company_size"] = "25-50"
    elif u < 0.14:
        r["company_size"] = "1000+"
    elif u < 0.2:
        r["company_size"] = " " + r["company_size"] + " "
    if rnd.random() < 0.1:
        r["job_title"] = r["job_title"].upper()
    if rnd.random() < 0.05:
        r["industry"] = " sOFTWARE "
with open(f"{d}/contacts.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=fields)
    w.writeheader()
    w.writerows(rows)
events = list(csv.DictReader(open(f"{d}/events.csv", newline="")))
created = {r["contact_id"]: r["created_at"] for r in rows}
types = ["demo_request", "pricing_page_view", "webinar_attended", "email_click"]
for r in rnd.sample(rows, 200):
    # a few days before the contact's creation (imported activity)
    day = int(r["created_at"][8:10])
    when = r["created_at"][:8] + "%02d" % max(1, day - rnd.randint(1, 7)) + r["created_at"][10:]
    if when < r["created_at"]:
        events.append({"contact_id": r["contact_id"], "occurred_at": when,
                       "event": rnd.choice(types), "campaign": ""})
for k in range(30):
    events.append({"contact_id": f"X{k}", "occurred_at": "2025-06-01T00:00:00Z",
                   "event": "demo_request", "campaign": ""})
with open(f"{d}/events.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["contact_id", "occurred_at", "event", "campaign"])
    w.writeheader()
    w.writerows(events)
# the CRM's shape: no SAL stage; a rejection is often a status alone
crm = [k for k in fields if k != "sal_at"] + ["lead_status"]
statuses = ["  UNQUALIFIED ", "Bad timing", "unqualified"]
for r in rows:
    r.pop("sal_at")
    r["lead_status"] = rnd.choice(["Open", "In progress", "", "Connected"])
    if r["rejected_at"] and rnd.random() < 0.5:
        r["rejected_at"] = ""
        r["lead_status"] = rnd.choice(statuses)
with open(f"{d}/crm-contacts.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=crm)
    w.writeheader()
    w.writerows(rows)
PY

cat >"$T/rules.json" <<'JSON'
{
  "format": "mqlcal.rules/1",
  "name": "every op and decay",
  "threshold": 60,
  "score_limit": [-10, 110],
  "grades": {"fit": [30, 15, 5], "engagement": [50, 25, 10]},
  "calibration": {"points_per_logit": 20, "logit_at_threshold": 0.3},
  "fit": [
    {"id": "senior", "property": "seniority", "op": "in", "values": ["vp", " C-Level "], "points": 20},
    {"id": "not_junior", "property": "seniority", "op": "not_in", "values": ["individual contributor", "INTERN", "student"], "points": 5},
    {"id": "seniority_unknown", "property": "seniority", "op": "missing", "points": -5},
    {"id": "size_mid", "property": "company_size", "op": "range", "min": 50, "max": 1000, "points": 8},
    {"id": "size_big", "property": "company_size", "op": "range", "min": 1000, "points": 15},
    {"id": "size_log", "property": "company_size", "op": "linear", "transform": "log1p", "min": 10, "max": 5000, "points": 1.5},
    {"id": "title_lead", "property": "job_title", "op": "matches", "pattern": "\\b(vp|head|director)\\b|^[Ss]r[.]", "points": 10},
    {"id": "software", "property": "industry", "op": "in", "values": ["software"], "points": 6},
    {"id": "us", "property": "country", "op": "not_in", "values": ["united states"], "points": -3}
  ],
  "engagement": [
    {"id": "demo", "event": "demo_request", "points": 25, "half_life_days": 30, "max_count": 2},
    {"id": "pricing", "event": "pricing_page_view", "points": 8, "lifespan_days": 60, "max_count": 3},
    {"id": "webinar", "event": "webinar_attended", "points": 10, "window_days": 90},
    {"id": "download", "event": "content_download", "points": 6, "max_count": 4},
    {"id": "click", "event": "email_click", "points": 2, "half_life_days": 14},
    {"id": "visit", "event": "web_visit", "points": 0.5, "lifespan_days": 45, "max_count": 20},
    {"id": "unsub", "event": "unsubscribe", "points": -30}
  ]
}
JSON

pg_start
cat >"$T/load.sql" <<SQL
CREATE TABLE contacts (contact_id text PRIMARY KEY, created_at timestamptz,
  channel text, campaign text, job_title text, seniority text, company_size text,
  industry text, country text, email_type text, mql_at timestamptz, sal_at timestamptz,
  rejected_at timestamptz, sql_at timestamptz, opportunity_at timestamptz,
  customer_at timestamptz, revenue text);
CREATE TABLE events (contact_id text, occurred_at timestamptz, event text, campaign text);
CREATE TABLE crm_contacts (contact_id text PRIMARY KEY, created_at timestamptz,
  channel text, campaign text, job_title text, seniority text, company_size text,
  industry text, country text, email_type text, mql_at timestamptz,
  rejected_at timestamptz, sql_at timestamptz, opportunity_at timestamptz,
  customer_at timestamptz, revenue text, lead_status text);
\copy contacts FROM '$PGDIR/contacts.csv' CSV HEADER
\copy crm_contacts FROM '$PGDIR/crm-contacts.csv' CSV HEADER
\copy events FROM '$PGDIR/events.csv' CSV HEADER
CREATE INDEX ON events (contact_id, occurred_at);
ANALYZE;
SQL
cp "$T/g/contacts.csv" "$T/g/crm-contacts.csv" "$T/g/events.csv" "$T/load.sql" "$PGDIR/"
pg_own "$PGDIR"
pg_sql -f "$PGDIR/load.sql"

# One query: compiled into the cluster's folder, run, its CSV copied back.
run_query() { # name, mql-sql arguments...
	local name=$1
	shift
	mql-sql "$@" -o "$PGDIR/$name.sql"
	pg_own "$PGDIR/$name.sql"
	pg_sql --csv -f "$PGDIR/$name.sql" -o "$PGDIR/$name.csv"
	cp "$PGDIR/$name.csv" "$T/$name.csv"
}

run_query sal features "$T/rules.json"
run_query sql features "$T/rules.json" --label sql --window 60 --as-of 2026-01-15
run_query crm features "$T/rules.json" --contacts-table crm_contacts \
	--accepted-at sql --preset hubspot
run_query scores scores "$T/rules.json"
run_query scores_asof scores "$T/rules.json" --as-of 2025-11-20T12:00:00Z
# A half-life of an hour: a contact whose timeline starts more than 1000
# hours before as-of sums over its earlier events, the others keep the
# running form; both must give mql-score's scores.
python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
r["engagement"][4]["half_life_days"] = 1 / 24
json.dump(r, open(sys.argv[2], "w"))' "$T/rules.json" "$T/short.json"
run_query scores_short scores "$T/short.json"

for label in sal sql; do
	extra=()
	[ $label = sql ] && extra=(--label sql --window 60 --as-of 2026-01-15)
	mql-fit "$T/g/contacts.csv" "$T/g/events.csv" --rules "$T/rules.json" "${extra[@]}" \
		--holdout-from 2025-10-01 -o "$T/local-$label.json" --quiet
	mql-fit --features "$T/$label.csv" --rules "$T/rules.json" \
		--holdout-from 2025-10-01 -o "$T/table-$label.json" --quiet
done
mql-fit "$T/g/crm-contacts.csv" "$T/g/events.csv" --rules "$T/rules.json" --preset hubspot \
	--holdout-from 2025-10-01 -o "$T/local-crm.json" --quiet
mql-fit --features "$T/crm.csv" --rules "$T/rules.json" \
	--holdout-from 2025-10-01 -o "$T/table-crm.json" --quiet
mql-score "$T/rules.json" "$T/g/contacts.csv" "$T/g/events.csv" --format csv \
	-o "$T/local-scores.csv" --quiet
mql-score "$T/rules.json" "$T/g/contacts.csv" "$T/g/events.csv" --format csv \
	--as-of 2025-11-20T12:00:00Z -o "$T/local-scores_asof.csv" --quiet
mql-score "$T/short.json" "$T/g/contacts.csv" "$T/g/events.csv" --format csv \
	-o "$T/local-scores_short.csv" --quiet

python3 - "$T" <<'PY'
import csv, json, sys
T = sys.argv[1]
bad = []
rules = json.load(open(f"{T}/rules.json"))
ids = [r["id"] for r in rules["fit"] + rules["engagement"]]
for label in ("sal", "sql", "crm"):
    local = json.load(open(f"{T}/local-{label}.json"))
    table = json.load(open(f"{T}/table-{label}.json"))
    rows = list(csv.DictReader(open(f"{T}/{label}.csv")))
    # the table must exercise every rule: each column takes two values
    for i in ids:
        if len({r[i] for r in rows}) < 2:
            bad.append(f"{label}: column {i} is constant in the table")
    if len(rows) < 200:
        bad.append(f"{label}: only {len(rows)} rows")
    for key in ("label", "n", "positives", "fitted_at"):
        if local.get(key) != table.get(key):
            bad.append(f"{label}: {key} {table.get(key)!r}, local {local.get(key)!r}")
    for key in ("rows", "positives", "window_days", "as_of"):
        if local["population"].get(key) != table["population"].get(key):
            bad.append(f"{label}: population {key} {table['population'].get(key)!r}, local {local['population'].get(key)!r}")
    def near(name, got, want, tol):
        if abs(got - want) > tol * max(1.0, abs(want)):
            bad.append(f"{label}: {name} {got!r}, local {want!r}")
    terms = {c["name"]: c for c in local["coefficients"]}
    terms["(intercept)"] = local["intercept"]
    got = {c["name"]: c for c in table["coefficients"]}
    got["(intercept)"] = table["intercept"]
    if set(terms) != set(got):
        bad.append(f"{label}: coefficients {sorted(got)} vs {sorted(terms)}")
    for name in terms:
        for key in ("estimate", "std_error"):
            near(f"{name}.{key}", got[name][key], terms[name][key], 1e-8)
        if got[name].get("support", 0) != terms[name].get("support", 0):
            bad.append(f"{label}: {name} support {got[name].get('support')} vs {terms[name].get('support')}")
    for key in ("deviance", "null_deviance", "aic"):
        near(key, table["fit"][key], local["fit"][key], 1e-8)
    near("auc", table["validation"]["auc"], local["validation"]["auc"], 1e-12)
    if table["validation"]["n"] != local["validation"]["n"]:
        bad.append(f"{label}: validation n differs")
    if label == "sal" and local["events"]["after_decision"] == 0:
        bad.append("no event after mql_at in the history")
# the CRM's shape reads as the loader reads it: accepted at SQL, and
# rejections by status alone among the negatives
crm = json.load(open(f"{T}/local-crm.json"))
undated = crm["population"].get("undated_rejections", 0)
if "reached SQL" not in json.dumps(crm) or crm["positives"] < 50 or undated < 20:
    bad.append(f"crm: n {crm['n']}, positives {crm['positives']}, undated rejections {undated}")

def num(s):
    return float(s) if s != "" else None
# the short half-life's run must take both routes: timelines that start
# within 1000 hours of as-of (the latest date in the tables) and before it
from datetime import datetime, timedelta
def when(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00"))
contacts = list(csv.DictReader(open(f"{T}/g/contacts.csv")))
events = list(csv.DictReader(open(f"{T}/g/events.csv")))
stages = ("created_at", "mql_at", "sal_at", "rejected_at", "sql_at", "opportunity_at", "customer_at")
as_of = max([when(r[k]) for r in contacts for k in stages if r[k]] + [when(e["occurred_at"]) for e in events])
start = {r["contact_id"]: when(r["created_at"]) for r in contacts if r["created_at"]}
counted = {x["event"] for x in json.load(open(f"{T}/short.json"))["engagement"]}
for e in events:
    if e["contact_id"] in start and e["event"] in counted:
        start[e["contact_id"]] = min(start[e["contact_id"]], when(e["occurred_at"]))
recent = sum(as_of - t <= timedelta(hours=1000) for t in start.values())
if not 10 <= recent <= len(start) - 10:
    bad.append(f"scores_short: {recent} of {len(start)} timelines start within 1000 hours of as-of")
for name in ("scores", "scores_asof", "scores_short"):
    db = {r["contact_id"]: r for r in csv.DictReader(open(f"{T}/{name}.csv"))}
    local = {r["contact_id"]: r for r in csv.DictReader(open(f"{T}/local-{name}.csv"))}
    if set(db) != set(local):
        bad.append(f"{name}: {len(db)} contacts, local {len(local)}")
        continue
    crossings = 0
    for cid, want in local.items():
        got = db[cid]
        for key in ("score", "fit_score", "engagement_score", "probability"):
            a, b = num(got[key]), num(want[key])
            if (a is None) != (b is None) or (a is not None and abs(a - b) > 1e-9 * max(1.0, abs(b))):
                bad.append(f"{name} {cid}: {key} {got[key]!r}, local {want[key]!r}")
        for key in ("grade", "mql", "mql_at"):
            if got[key] != want[key]:
                bad.append(f"{name} {cid}: {key} {got[key]!r}, local {want[key]!r}")
        crossings += want["mql_at"] != ""
    if crossings < 50:
        bad.append(f"{name}: only {crossings} crossings")
if bad:
    print("\n".join(bad[:40]))
    sys.exit(1)
PY
