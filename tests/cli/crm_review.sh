#!/usr/bin/env bash
# Raw CRM exports, end to end, with no hand edits: the HubSpot "all contacts"
# export and the Salesforce Lead report of tests/fixtures/crm (German locale,
# Windows-1252, report footer, Campaign Member report as events) go through
# mql-check, mql-report, mql-fit, mql-rules and the review with the preset,
# --locale and --encoding alone.  Outcome counts are checked against a count
# made here from the raw CSV, model.json may hold only fit properties and
# events, the threshold must be positive and every page must be written.
set -u -o pipefail
command -v python3 >/dev/null || exit 77
fx=$MQL_FIXTURES/crm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# The committed fixtures are what the generator writes.
python3 "$MQL_SRC/tests/make_crm_fixtures.py" "$tmp/fresh" || fail "make_crm_fixtures.py failed"
diff -r "$fx" "$tmp/fresh" >/dev/null || fail "tests/fixtures/crm differs from make_crm_fixtures.py's output"

# The outcomes counted from the raw files, without mqlcal.
python3 - "$fx" >"$tmp/expected" <<'PY'
import csv, io, sys
d = sys.argv[1]
hs = list(csv.DictReader(open(f"{d}/hubspot-contacts.csv", encoding="utf-8", newline="")))
mql = [r for r in hs if r["Became a Marketing Qualified Lead Date"]]
acc = [r for r in mql if r["Became a Sales Qualified Lead Date"] or
       r["Became an Opportunity Date"] or r["Became a Customer Date"]]
rej = [r for r in mql if r not in acc and
       r["Lead Status"].strip().lower() in ("unqualified", "bad timing", "bad_timing")]
print("hubspot", len(hs), len(mql), len(acc), len(rej), len(mql) - len(acc) - len(rej))
text = open(f"{d}/salesforce-leads.csv", "rb").read().decode("cp1252")
body = text.split("\r\n\r\n")[0]          # the report footer follows a blank line
sf = list(csv.DictReader(io.StringIO(body)))
mql = [r for r in sf if r["MQL Date"]]
acc = [r for r in mql if r["Converted Date"]]
rej = [r for r in mql if not r["Converted Date"] and r["Lead Status"] == "Closed - Not Converted"]
print("salesforce", len(sf), len(mql), len(acc), len(rej), len(mql) - len(acc) - len(rej))
created = sorted("%s-%s-%sT%s:00Z" % (t[6:10], t[3:5], t[0:2], t[11:16]) for t in (r["Created Date"] for r in sf))
print("sf_created", created[0], created[-1])
print("sf_big", sum(1 for r in sf if int(r["No. of Employees"].replace(".", "")) >= 1000))
PY
read -r _ hs_rows hs_mql hs_acc hs_rej hs_open < <(grep '^hubspot ' "$tmp/expected")
read -r _ sf_rows sf_mql sf_acc sf_rej sf_open < <(grep '^salesforce ' "$tmp/expected")
[ "$hs_rej" -gt 20 ] && [ "$sf_rej" -gt 20 ] && [ "$hs_open" -gt 0 ] || fail "fixtures lack rejections or open MQLs"

# Checks mql-check's JSON against the counts: file rows mql accepted rejected open.
check_outcomes() {
	python3 - "$@" <<'PY' || fail "mql-check outcomes of $2 differ from the raw count"
import json, sys
path, name, rows, mql, acc, rej, open_ = sys.argv[1:8]
items = {(x["section"], x["item"]): x for x in json.load(open(path))}
got = (items[("files", "contacts")]["count"], items[("outcomes", "mql")]["count"],
       items[("outcomes", "accepted")]["count"], items[("outcomes", "rejected")]["count"],
       items[("outcomes", "open")]["count"])
want = tuple(float(x) for x in (rows, mql, acc, rej, open_))
assert got == want, f"{name}: mqlcal {got}, raw count {want}"
assert items[("outcomes", "definition")]["detail"] == \
    "accepted = reached SQL: this export has no SAL stage", items[("outcomes", "definition")]
assert items[("properties", "company_size")]["detail"].startswith("numeric"), \
    items[("properties", "company_size")]
PY
}

# Every coefficient of model.json tests a fit property or an event type:
# nothing of the outcome, the person or the export time.
check_model() {
	python3 - "$1" <<'PY' || fail "model $1 holds an excluded column"
import json, sys
m = json.load(open(sys.argv[1]))
allowed = {"job_title", "company_size", "industry", "country", "channel", "campaign",
           "annual revenue"}
assert m["coefficients"], "no coefficients"
for c in m["coefficients"]:
    rule = c["rule"]
    if "event" in rule:
        continue
    assert rule["property"].lower() in allowed, f"{c['name']} tests {rule['property']}"
PY
}

# --- HubSpot: the preset alone.
hs=$fx/hubspot-contacts.csv
mql-check "$hs" --preset hubspot --format json -o "$tmp/hs-check.json" ||
	fail "mql-check of the HubSpot export exited $?"
check_outcomes "$tmp/hs-check.json" hubspot "$hs_rows" "$hs_mql" "$hs_acc" "$hs_rej" "$hs_open"
mql-report "$hs" --preset hubspot --format csv -o "$tmp/hs-funnel.csv" 2>"$tmp/hs-report.err" ||
	fail "mql-report of the HubSpot export exited $?"
grep -q "accepted = reached SQL: this export has no SAL stage" "$tmp/hs-report.err" ||
	fail "mql-report does not say what accepted means: $(cat "$tmp/hs-report.err")"
grep -q "^$hs_rej rejections have no date" <(sed 's/^mql-report: //' "$tmp/hs-report.err") ||
	fail "mql-report does not count the undated rejections: $(cat "$tmp/hs-report.err")"
gawk -F, -v acc="$hs_acc" -v mql="$hs_mql" '$1 == "total" {
	for (i = 1; i <= NF; i++) if (h[i] == "sal") s = $i; else if (h[i] == "mql") m = $i
	exit !(s == acc && m == mql) }
	NR == 1 { for (i = 1; i <= NF; i++) { sub(/\r$/, "", $i); h[i] = $i } }' "$tmp/hs-funnel.csv" ||
	fail "mql-report's total is not $hs_mql MQLs, $hs_acc accepted: $(tail -1 "$tmp/hs-funnel.csv")"
printf 'contact_id,occurred_at,event\n' >"$tmp/no-events.csv"
mql-fit "$hs" "$tmp/no-events.csv" --preset hubspot --folds 5 -o "$tmp/hs-model.json" \
	>"$tmp/hs-fit.txt" 2>&1 || fail "mql-fit of the HubSpot export exited $?: $(tail -3 "$tmp/hs-fit.txt")"
check_model "$tmp/hs-model.json"
python3 - "$tmp/hs-model.json" "$hs_acc" "$hs_rej" <<'PY' || fail "HubSpot model: wrong rows or no signal"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["label"] == "sal" and m["positives"] == int(sys.argv[2]), (m["label"], m["positives"])
assert m["n"] == int(sys.argv[2]) + int(sys.argv[3]), m["n"]     # undated rejections are negatives
assert m["validation"]["auc_ci"][0] > 0.5, m["validation"]
PY
mql-rules "$tmp/hs-model.json" --target-precision 0.7 -o "$tmp/hs-rules.json" 2>"$tmp/hs-rules.err" ||
	fail "mql-rules exited $?: $(cat "$tmp/hs-rules.err")"
mkdir -p "$tmp/hs-data"
"$MQL_SRC/tools/mql-review.sh" --bin "$MQL_BIN" --data "$tmp/hs-data" --contacts "$hs" --preset hubspot \
	--out "$tmp/hs-out" 2>"$tmp/hs-review.log" ||
	fail "review of the HubSpot export exited $?: $(tail -5 "$tmp/hs-review.log")"

# Checks a review's outputs: every page, the definition, a positive threshold.
check_review() {
	local out=$1 data=$2
	for f in index.html funnel.html channels.html check.md fit.txt rules.txt rule-changes.md; do
		[ -s "$out/$f" ] || fail "review page $out/$f missing or empty"
	done
	for f in model.json rules.json funnel.csv channels.csv check.csv; do
		[ -s "$data/review/$f" ] || fail "review output $data/review/$f missing or empty"
	done
	grep -q "reached SQL: this export has no SAL stage" "$out/funnel.html" ||
		fail "$out/funnel.html does not say what accepted means"
	grep -q "reached SQL: this export has no SAL stage" "$out/index.html" ||
		fail "$out/index.html does not say what accepted means"
	check_model "$data/review/model.json"
	python3 -c 'import json, sys; t = json.load(open(sys.argv[1]))["threshold"]; sys.exit(not t > 0)' \
		"$data/review/rules.json" || fail "threshold of $data/review/rules.json is not positive"
}
check_review "$tmp/hs-out" "$tmp/hs-data"

# --- Salesforce: Lead report and Campaign Member report as exported.
sf=$fx/salesforce-leads.csv cm=$fx/salesforce-campaign-members.csv
sfopt=(--preset salesforce --locale de --encoding windows-1252)
mql-check "$sf" "$cm" "${sfopt[@]}" --format json -o "$tmp/sf-check.json" 2>"$tmp/sf-check.err" ||
	fail "mql-check of the Salesforce report exited $?: $(cat "$tmp/sf-check.err")"
check_outcomes "$tmp/sf-check.json" salesforce "$sf_rows" "$sf_mql" "$sf_acc" "$sf_rej" "$sf_open"
read -r _ first last < <(grep '^sf_created ' "$tmp/expected")
python3 - "$tmp/sf-check.json" "$first" "$last" "$cm" "$sf" <<'PY' || fail "Salesforce dates or events read wrong"
import csv, io, json, sys
items = {(x["section"], x["item"]): x for x in json.load(open(sys.argv[1]))}
detail = items[("dates", "created_at")]["detail"]
assert detail == f"{sys.argv[2]} .. {sys.argv[3]}", detail
raw = open(sys.argv[4], "rb").read()
try:
    text = raw.decode("utf-8")
except UnicodeDecodeError:
    text = raw.decode("cp1252")
text = text.split("\r\n\r\n")[0]
rows = list(csv.DictReader(io.StringIO(text)))
leads = open(sys.argv[5], "rb").read().decode("cp1252").split("\r\n\r\n")[0]
leads = {r["Lead ID"] for r in csv.DictReader(io.StringIO(leads))}
# the report as downloaded: members that did not respond (Responded 0, no
# date) are no events; a contact member (no Lead ID) has its Contact ID,
# which the lead report does not hold
quiet = [r for r in rows if r["Responded"] == "0"]
responded = [r for r in rows if r["Responded"] == "1"]
assert len(quiet) + len(responded) == len(rows) and quiet and all(not r["First Responded Date"] for r in quiet)
contact_members = [r for r in responded if not r["Lead ID"]]
assert contact_members and all(r["Contact ID"].startswith("003") for r in contact_members)
joined = [r for r in responded if r["Lead ID"] in leads]
assert len(joined) + len(contact_members) == len(responded)
assert items[("files", "events")]["count"] == len(rows), items[("files", "events")]
assert items[("events", "not responded")]["count"] == len(quiet), items[("events", "not responded")]
verdict = [x for k, x in items.items() if k[0] == "verdict"][0]
assert "events/unknown contacts" in verdict["detail"] and "not responded" not in verdict["detail"], verdict
assert items[("events", "unknown contacts")]["count"] == len(contact_members), items[("events", "unknown contacts")]
assert items[("dates", "occurred_at")]["count"] == len(responded), items[("dates", "occurred_at")]
for status in {r["Member Status"] for r in rows}:
    want = sum(1 for r in joined if r["Member Status"] == status)
    got = items.get(("events", status), {"count": 0})["count"]
    assert got == want, (status, got, want)
PY
mql-report "$sf" "${sfopt[@]}" --by channel --format html -o "$tmp/sf-funnel.html" 2>/dev/null ||
	fail "mql-report of the Salesforce report exited $?"
mql-fit "$sf" "$cm" "${sfopt[@]}" --folds 5 -o "$tmp/sf-model.json" >"$tmp/sf-fit.txt" 2>&1 ||
	fail "mql-fit of the Salesforce report exited $?: $(tail -3 "$tmp/sf-fit.txt")"
check_model "$tmp/sf-model.json"
read -r _ big < <(grep '^sf_big ' "$tmp/expected")
python3 - "$tmp/sf-model.json" "$sf_acc" "$sf_rej" "$big" <<'PY' || fail "Salesforce model: wrong rows, sizes or no signal"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["positives"] == int(sys.argv[2]) and m["n"] == int(sys.argv[2]) + int(sys.argv[3]), (m["n"], m["positives"])
assert m["validation"]["auc_ci"][0] > 0.5, m["validation"]
# "4.800" is 4800 employees: with this many companies of 1,000 or more, a
# size rule starts above 1,000 (read as 4.8 none could)
assert int(sys.argv[4]) > 50
edges = [c["rule"].get("min", 0) for c in m["coefficients"] if c["rule"].get("property") == "company_size"]
assert edges and max(edges) >= 1000, edges
assert any("event" in c["rule"] for c in m["coefficients"]), "no campaign response fitted"
PY
mkdir -p "$tmp/sf-data"
"$MQL_SRC/tools/mql-review.sh" --bin "$MQL_BIN" --data "$tmp/sf-data" --contacts "$sf" --events "$cm" \
	"${sfopt[@]}" --out "$tmp/sf-out" 2>"$tmp/sf-review.log" ||
	fail "review of the Salesforce report exited $?: $(tail -5 "$tmp/sf-review.log")"
check_review "$tmp/sf-out" "$tmp/sf-data"

# mql-score says once how many member rows did not respond (counted from
# the raw report: Responded 0), and nothing with --quiet.
quiet=$(iconv -f cp1252 -t utf-8 "$cm" | gawk -F'","' 'NR > 1 && $4 == "0"' | wc -l)
[ "$quiet" -gt 0 ] || fail "the Campaign Member fixture has no member that did not respond"
mql-score "$tmp/sf-data/review/rules.json" "$sf" "$cm" "${sfopt[@]}" -o "$tmp/sf-scores.csv" \
	2>"$tmp/sf-score.err" || fail "mql-score of the Salesforce report exited $?: $(cat "$tmp/sf-score.err")"
[ "$(grep -c "^mql-score: $quiet member rows that did not respond were skipped" "$tmp/sf-score.err")" = 1 ] ||
	fail "mql-score does not say once that $quiet members did not respond: $(cat "$tmp/sf-score.err")"
mql-score "$tmp/sf-data/review/rules.json" "$sf" "$cm" "${sfopt[@]}" -q -o "$tmp/sf-scores.csv" \
	2>"$tmp/sf-score-quiet.err" || fail "mql-score -q exited $?"
! grep -q "did not respond" "$tmp/sf-score-quiet.err" || fail "mql-score -q still counts the members that did not respond"
echo ok
