#!/usr/bin/env bash
# mql-report on a generated history: counts and Wilson intervals per
# channel against an independent computation in Python's standard library
# (report_counts.py), waits against R's survival package (report_survfit.R:
# Kaplan-Meier time to MQL, Aalen-Johansen acceptance with rejection as a
# competing event), the HTML report well-formed and self-contained, and
# each output format's shape.
set -u -o pipefail
command -v mql-gen >/dev/null || { echo "mql-gen not built: skipped"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mql-gen --contacts 3000 --seed 11 -o "$tmp" >/dev/null 2>&1 || fail "mql-gen exited $?"

mql-report "$tmp/contacts.csv" --by channel --format csv -q |
	tr -d '\r' >"$tmp/report.csv" || fail "mql-report exited $?"
python3 "$here/report_counts.py" "$tmp/contacts.csv" "$tmp/report.csv" ||
	fail "counts or rates differ from the independent computation"
tail -n 1 "$tmp/report.csv" | grep -q '^total,all,' || fail "last row is not the total"

if command -v Rscript >/dev/null; then
	Rscript "$here/report_survfit.R" "$tmp/contacts.csv" "$tmp/report.csv" ||
		fail "waits differ from R survival"
else
	echo "Rscript missing: waits not checked against R"
fi

# The HTML report: well-formed (it is written as XML-compatible HTML),
# with the three charts, and nothing fetched from the network.
mql-report "$tmp/contacts.csv" --format html -o "$tmp/report.html" -q ||
	fail "html exited $?"
python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' \
	"$tmp/report.html" || fail "report.html is not well-formed"
! grep -qi 'http' "$tmp/report.html" || fail "report.html refers to a URL"
[ "$(grep -c '<svg' "$tmp/report.html")" -ge 4 ] || fail "charts missing"

# json: an array with one object per group and the total.
rows=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' \
	<(mql-report "$tmp/contacts.csv" --format json -q)) || fail "json unreadable"
[ "$rows" -eq "$(($(wc -l <"$tmp/report.csv") - 1))" ] || fail "json has $rows rows"

# Cohorts come first; md is a table.
mql-report "$tmp/contacts.csv" --by channel,campaign --cohort quarter --format csv -q \
	>"$tmp/cohorts.csv" || fail "--cohort exited $?"
head -n 1 "$tmp/cohorts.csv" | grep -q '^level,cohort,channel,campaign,leads,' ||
	fail "cohort columns"
mql-report "$tmp/contacts.csv" --format md -q | sed -n 2p | grep -q '^|---|' ||
	fail "md separator row"
echo ok
