#!/usr/bin/env bash
# A contacts export in German form ("05.03.2026 14:07", "12.500,00 EUR",
# "1.000-4.999", "4.800"), written by locale_export.py with its ISO twin,
# read through mql-check, mql-score and mql-report with --locale de:
# stage counts, date ranges and every number against the values drawn
# (locale_values.py), the report's counts and rates against
# report_counts.py and its waits against R's survival package on the ISO
# twin.  Without --locale a point is a decimal point ("4.800" is 4.8) and
# a decimal comma in the revenue column is an error that names the option.
set -u -o pipefail
command -v python3 >/dev/null || exit 77
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

python3 "$here/locale_export.py" de 400 11 "$tmp" || fail "export not written"
grep -q '"4\.800"\|,4\.800' "$tmp/export.csv" || fail "export has no 4.800"
grep -q '[0-9]\.[0-9][0-9][0-9],[0-9][0-9] ' "$tmp/export.csv" ||
	fail "export has no money with thousands"
printf 'contact_id,occurred_at,event\n' >"$tmp/events.csv"
rules() { # property -> rules.json of one point per unit
	printf '{"format": "mqlcal.rules/1", "name": "values", "threshold": 1e12, "fit": [{"id": "v", "property": "%s", "op": "linear", "points": 1}], "engagement": []}\n' "$1"
}
rules company_size >"$tmp/size.json"
rules annual_revenue >"$tmp/revenue.json"

mql-check "$tmp/export.csv" --locale de --format json -o "$tmp/check.json" ||
	fail "mql-check exited $?"
for v in size revenue; do
	mql-score "$tmp/$v.json" "$tmp/export.csv" "$tmp/events.csv" \
		--locale de --as-of 2026-12-01 --format csv -o "$tmp/$v.csv" ||
		fail "mql-score exited $?"
done
python3 "$here/locale_values.py" "$tmp/expected.json" "$tmp/check.json" \
	"$tmp/size.csv" "$tmp/revenue.csv" ||
	fail "values read with --locale de differ from those written"

mql-report "$tmp/export.csv" --locale de --by channel --format csv -q |
	tr -d '\r' >"$tmp/report.csv" || fail "mql-report exited $?"
python3 "$here/report_counts.py" "$tmp/iso.csv" "$tmp/report.csv" ||
	fail "report counts differ from the ISO twin's"
if command -v Rscript >/dev/null; then
	Rscript "$here/report_survfit.R" "$tmp/iso.csv" "$tmp/report.csv" ||
		fail "report waits differ from R survival on the ISO twin"
fi

# Without the option the sizes' points could separate thousands or
# decimals, and no size settles it: exit 65 naming --locale and the first
# such value's line and column, nothing written.
mql-score "$tmp/size.json" "$tmp/export.csv" "$tmp/events.csv" \
	--as-of 2026-12-01 --format csv -o "$tmp/plain.csv" 2>"$tmp/err"
[ $? -eq 65 ] || fail "grouped points without --locale did not exit 65"
read -r line column < <(python3 - "$tmp/export.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
column = rows[0].index("company_size")
line = next(n for n, r in enumerate(rows[1:], 2) if "." in r[column])
print(line, column + 1)
PY
)
grep -q "export.csv:$line:$column: cannot tell whether the point in .*--locale de.*--locale en-US" \
	"$tmp/err" || fail "grouped points message: $(cat "$tmp/err")"
[ ! -e "$tmp/plain.csv" ] || fail "an output was written on bad input"
# Said to be English, "4.800" is 4.8, "1.000-4.999" is 1 and "10.000+" is
# 10.
mql-score "$tmp/size.json" "$tmp/export.csv" "$tmp/events.csv" \
	--locale en-US --as-of 2026-12-01 --format csv -o "$tmp/plain.csv" ||
	fail "mql-score --locale en-US exited $?"
python3 - "$tmp/export.csv" "$tmp/plain.csv" <<'PY' || fail "plain reading"
import csv, sys
english = {"4.800": 4.8, "1.000-4.999": 1, "1.000+": 1, "10.000+": 10,
           "25-50": 25, "1-10": 1, "120": 120}
sizes = {r["contact_id"]: r["company_size"] for r in csv.DictReader(open(sys.argv[1]))}
seen = set()
for r in csv.DictReader(open(sys.argv[2])):
    text = sizes[r["contact_id"]]
    assert abs(float(r["fit_score"]) - english[text]) < 1e-9, (text, r)
    seen.add(text)
assert seen == set(english), seen
PY

# A revenue column with decimal commas and no locale: exit 65 at the
# first, naming the option.
sed '1s/annual_revenue/revenue/' "$tmp/export.csv" >"$tmp/revenue.csv"
mql-check "$tmp/revenue.csv" -q >/dev/null 2>"$tmp/err"
[ $? -eq 65 ] || fail "decimal commas without --locale did not exit 65"
grep -q "revenue.csv:[0-9]*:10: cannot parse '.*' as a number.*--locale" \
	"$tmp/err" || fail "revenue message: $(cat "$tmp/err")"
mql-check "$tmp/revenue.csv" --locale de -q >/dev/null ||
	fail "revenue column with --locale de exited $?"
echo "ok"
