#!/usr/bin/env bash
# The quarterly review (tools/mql-review.sh) end to end on a small generated
# history: every step runs, every report and notebook file is written, and
# the summary page has its sections with the channel the generator makes
# bad (content_syndication) among the channels to stop or to watch.  Then the same history
# as a HubSpot export (HubSpot's column names, no sales-accepted or
# rejected dates) reviewed with --preset hubspot; and a review without a
# rule file or a spend file leaves no output of an earlier one behind.
set -u -o pipefail
command -v mql-gen >/dev/null || { echo "mql-gen not built: skipped"; exit 77; }
command -v gawk >/dev/null || { echo "gawk missing: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
review="$MQL_SRC/tools/mql-review.sh"
mql-gen --contacts 4000 --seed 5 -o "$tmp/data" >/dev/null 2>&1 || fail "mql-gen exited $?"
"$review" --bin "$MQL_BIN" --data "$tmp/data" --out "$tmp/reports" 2>"$tmp/log" ||
	fail "review exited $?: $(tail -5 "$tmp/log")"
for f in index.html check.md fit.txt rule-changes.md rules.txt backtest.html \
	backtest.txt funnel.html channels.html cost.html; do
	[ -s "$tmp/reports/$f" ] || fail "reports/$f missing or empty"
done
for f in check.csv model.json rules.json rule-changes.csv model-rows.csv backtest.csv \
	funnel.csv channels.csv cost.csv cost-by-quarter.csv coefficients.csv calibration.csv \
	gains.csv; do
	[ -s "$tmp/data/review/$f" ] || fail "review/$f missing or empty"
done
# The notebook files: totals only on rows of level "total", so the group
# rows sum to them; ISO first days of periods; old/new, not paths; the
# model's tables as flat rows equal to model.json's.
python3 - "$tmp/data" <<'PY' || fail "the notebook files"
import csv, datetime, json, math, sys
data = sys.argv[1]
review = data + "/review/"
def rows(name):
    with open(review + name, newline="") as f:
        return list(csv.DictReader(f))
def check(ok, what):
    if not ok:
        sys.exit(what)
def split(table, group):
    check(list(table[0])[0] == "level", "level is not the first column")
    groups = [r for r in table if r["level"] == "group"]
    totals = [r for r in table if r["level"] == "total"]
    check(len(groups) + len(totals) == len(table), "a level other than group/total")
    check(all(r[group] == "all" for r in totals), "a total not named all")
    check(all(r[group] != "all" for r in groups), "a group named all")
    return groups, totals
leads = sum(1 for _ in csv.DictReader(open(data + "/contacts.csv")))
for name, group, counts in (("funnel.csv", "channel", ["leads", "mql", "customer"]),
                            ("cost.csv", "channel", ["leads", "mql", "customer"]),
                            ("cost-by-quarter.csv", "quarter", ["leads"]),
                            ("channels.csv", "channel", ["mql", "sql", "customer"])):
    groups, totals = split(rows(name), group)
    check(len(totals) == 1, name + ": not one total")
    for c in counts:
        got = sum(float(r[c]) for r in groups)
        check(got == float(totals[0][c]), "%s: %s sums to %s, total %s" % (name, c, got, totals[0][c]))
    if "leads" in counts:
        check(float(totals[0]["leads"]) == leads, "%s: %s leads, contacts.csv has %d" % (name, totals[0]["leads"], leads))
for r in split(rows("cost-by-quarter.csv"), "quarter")[0]:
    year, q = r["quarter"].split("-Q")
    start = datetime.date(int(year), 3 * int(q) - 2, 1).isoformat()
    check(r["period_start"] == start, "%s starts %s, not %s" % (r["quarter"], r["period_start"], start))
backtest = rows("backtest.csv")
groups, totals = split(backtest, "period")
check(sorted(r["rules"] for r in totals) == ["new", "old"], "backtest totals")
paths = {"old": data + "/rules.json", "new": review + "rules.json"}
for r in backtest:
    check(r["rules_file"] == paths[r["rules"]], "rules_file %s for %s" % (r["rules_file"], r["rules"]))
    if r["level"] == "group":
        check(r["period_start"] == r["period"] + "-01", "period_start " + r["period_start"])
for role in ("old", "new"):
    got = sum(int(r["mql"]) for r in groups if r["rules"] == role)
    want = [int(r["mql"]) for r in totals if r["rules"] == role][0]
    check(got == want, "backtest %s: months sum to %d MQLs, all says %d" % (role, got, want))
# model.json's numbers have 15 significant digits where they are within a
# few ulps of the full 17 (cJSON's printing); the CSV has all 17
def same(a, b):
    return math.isclose(float(a), b, rel_tol=1e-14, abs_tol=1e-300)
model = json.load(open(review + "model.json"))
coefficients = rows("coefficients.csv")
check([r["rule"] for r in coefficients] == ["(intercept)"] + [c["name"] for c in model["coefficients"]],
      "coefficient rules")
for r, c in zip(coefficients, [model["intercept"]] + model["coefficients"]):
    for key in ("estimate", "std_error", "p", "ci_low", "ci_high"):
        check(same(r[key], c[key]), "%s %s: %s vs %s" % (r["rule"], key, r[key], c[key]))
check(coefficients[0]["kind"] == "intercept", "intercept kind")
for name, key in (("calibration.csv", "calibration"), ("gains.csv", "gains")):
    table, bins = rows(name), model["validation"][key]
    check(len(table) == len(bins) == 10, "%s: %d rows, model.json %d" % (name, len(table), len(bins)))
    for r, b in zip(table, bins):
        check(all(same(r[k], b[k]) for k in b), "%s bin %s" % (name, r["bin"]))
PY
page="$tmp/reports/index.html"
for h in "What to do" "The new rules against the old" "What changed in the rules" \
	"Channels: what to stop"; do
	grep -q "<h2>$h" "$page" || fail "index.html lacks '$h'"
done
grep -Eq "<p>(Stop spending on|Watch) [^<]*content_syndication" "$page" ||
	fail "content_syndication neither to stop nor to watch"
# The generator's old rules pay 12 points per content download although
# downloads barely move acceptance (truth.json: 0.05 a download, about 1.4
# points at 20 points per doubling): the review must cut them.
gawk -F, '$1 == "download" { exit !($2 == 12 && $3 < 6) }' "$tmp/data/review/rule-changes.csv" ||
	fail "download: $(grep '^download,' "$tmp/data/review/rule-changes.csv")"

# Reviewed again without a rule file or a spend file, into the same
# directories: the backtest's and the cost's outputs of the first review
# are gone, and the page links neither page nor their CSV files.
mv "$tmp/data/rules.json" "$tmp/data/spend.csv" "$tmp/"
"$review" --bin "$MQL_BIN" --data "$tmp/data" --out "$tmp/reports" 2>"$tmp/log" ||
	fail "review without rules and spend exited $?: $(tail -5 "$tmp/log")"
for f in reports/backtest.html reports/backtest.txt reports/cost.html data/review/backtest.csv \
	data/review/equal-volume.csv data/review/cost.csv data/review/cost-by-quarter.csv; do
	[ ! -e "$tmp/$f" ] || fail "$f left from the first review"
done
for f in backtest.html cost.html backtest.csv equal-volume.csv cost.csv; do
	! grep -q "href=\"[^\"]*$f\"" "$page" || fail "index.html links $f, which this review did not write"
done
grep -q 'href="funnel.html"' "$page" || fail "index.html lost its link to funnel.html"
mv "$tmp/rules.json" "$tmp/spend.csv" "$tmp/data/"

# The same history as a HubSpot export.
mkdir -p "$tmp/hs"
gawk -F, -v OFS=, '
NR == 1 {
	split("contact_id:Record ID,created_at:Create Date,channel:Original Source,campaign:First Touch Converting Campaign,mql_at:Became a Marketing Qualified Lead Date,sql_at:Became a Sales Qualified Lead Date,opportunity_at:Became an Opportunity Date,customer_at:Became a Customer Date,job_title:Job Title,company_size:Number of Employees,industry:Industry,country:Country/Region", pairs, ",")
	for (p in pairs) { split(pairs[p], kv, ":"); rename[kv[1]] = kv[2] }
	for (i = 1; i <= NF; i++) { drop[i] = ($i == "sal_at" || $i == "rejected_at"); if ($i in rename) $i = rename[$i] }
}
{ line = ""; for (i = 1; i <= NF; i++) if (!drop[i]) line = line (line == "" ? "" : OFS) $i; print line }' \
	"$tmp/data/contacts.csv" >"$tmp/hs/contacts.csv" || fail "cannot write the HubSpot export"
grep -q "^Record ID,Create Date" "$tmp/hs/contacts.csv" || fail "bad HubSpot header: $(head -1 "$tmp/hs/contacts.csv")"
cp "$tmp/data/events.csv" "$tmp/data/spend.csv" "$tmp/data/rules.json" "$tmp/hs/"
"$review" --bin "$MQL_BIN" --data "$tmp/hs" --out "$tmp/hs-reports" --preset hubspot 2>"$tmp/log" ||
	fail "review --preset hubspot exited $?: $(tail -5 "$tmp/log")"
grep -q '"label":	"sql"' "$tmp/hs/review/model.json" || fail "the HubSpot review did not fit --label sql"
[ -s "$tmp/hs-reports/index.html" ] || fail "no HubSpot summary page"
exit 0
