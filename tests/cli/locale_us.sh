#!/usr/bin/env bash
# A contacts export in US form ("3/5/2026 2:07 PM", "$12,500.00",
# "1,000+"), written by locale_export.py with its ISO twin, read through
# mql-check, mql-score and mql-report with --locale en-US: stage counts,
# date ranges and every number against the values drawn
# (locale_values.py), the report's counts and rates against
# report_counts.py and its waits against R's survival package on the ISO
# twin.  Without --locale the columns settle their own order (some day is
# above 12); a column where none does is an error that names the option.
set -u -o pipefail
command -v python3 >/dev/null || exit 77
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

python3 "$here/locale_export.py" us 400 7 "$tmp" || fail "export not written"
grep -q ' PM,' "$tmp/export.csv" || fail "export has no 12-hour clock"
grep -q '"\$[0-9]*,[0-9]*\.[0-9][0-9]"' "$tmp/export.csv" ||
	fail "export has no money with thousands"
printf 'contact_id,occurred_at,event\n' >"$tmp/events.csv"
rules() { # property -> rules.json of one point per unit
	printf '{"format": "mqlcal.rules/1", "name": "values", "threshold": 1e12, "fit": [{"id": "v", "property": "%s", "op": "linear", "points": 1}], "engagement": []}\n' "$1"
}
rules company_size >"$tmp/size.json"
rules annual_revenue >"$tmp/revenue.json"

check_values() { # mql-check/mql-score options...
	mql-check "$tmp/export.csv" "$@" --format json -o "$tmp/check.json" ||
		fail "mql-check $* exited $?"
	for v in size revenue; do
		mql-score "$tmp/$v.json" "$tmp/export.csv" "$tmp/events.csv" \
			--as-of 2026-12-01 --format csv -o "$tmp/$v.csv" "$@" ||
			fail "mql-score $* exited $?"
	done
	python3 "$here/locale_values.py" "$tmp/expected.json" \
		"$tmp/check.json" "$tmp/size.csv" "$tmp/revenue.csv" ||
		fail "values read with '$*' differ from those written"
}
check_values --locale en-US
check_values

mql-report "$tmp/export.csv" --locale en-US --by channel --format csv -q |
	tr -d '\r' >"$tmp/report.csv" || fail "mql-report exited $?"
python3 "$here/report_counts.py" "$tmp/iso.csv" "$tmp/report.csv" ||
	fail "report counts differ from the ISO twin's"
if command -v Rscript >/dev/null; then
	Rscript "$here/report_survfit.R" "$tmp/iso.csv" "$tmp/report.csv" ||
		fail "report waits differ from R survival on the ISO twin"
fi

# Day first, these dates are impossible (month 13 and more): exit 65.
mql-check "$tmp/export.csv" --locale en-GB -q >/dev/null 2>"$tmp/err"
[ $? -eq 65 ] || fail "en-GB reading of US dates did not exit 65"
grep -q "export.csv:[0-9]*:[0-9]*: cannot parse" "$tmp/err" ||
	fail "no file:line:col: $(cat "$tmp/err")"

# A column whose every date reads both ways: exit 65 at its first, naming
# --locale; with the option it reads month first (created_at of line 3 is
# 2026-03-05T14:07:00Z: date -u -d '2026-03-05 14:07' +%s = 1772719620).
cat >"$tmp/ambiguous.csv" <<'CSV'
contact_id,created_at,mql_at
a,2026-01-02,
b,3/5/2026 2:07 PM,3/13/2026 9:00 AM
c,4/6/2026 12:30 AM,
CSV
mql-check "$tmp/ambiguous.csv" -q >/dev/null 2>"$tmp/err"
[ $? -eq 65 ] || fail "ambiguous column did not exit 65"
grep -q "ambiguous.csv:3:2: .*'3/5/2026 2:07 PM'.*--locale en-US" "$tmp/err" ||
	fail "ambiguous message: $(cat "$tmp/err")"
mql-check "$tmp/ambiguous.csv" --locale en-US --format json -o "$tmp/a.json" ||
	fail "ambiguous file with --locale exited $?"
python3 - "$tmp/a.json" <<'PY' || fail "ambiguous file read wrong"
import json, sys
items = {(x["section"], x["item"]): x for x in json.load(open(sys.argv[1]))}
# 12:30 AM is half past midnight: 2026-04-06T00:30:00Z
assert items[("dates", "created_at")]["detail"] == \
    "2026-01-02T00:00:00Z .. 2026-04-06T00:30:00Z", items[("dates", "created_at")]
assert items[("dates", "mql_at")]["detail"] == \
    "2026-03-13T09:00:00Z .. 2026-03-13T09:00:00Z", items[("dates", "mql_at")]
PY
# The events file streams in parallel ranges: an earlier row's order does
# not settle a later one, so the ambiguous date on line 3 is an error
# without --locale, and month first with it.  (b is an MQL, so the data is
# usable and exit 65 can only come from the date.)
printf 'contact_id,created_at,mql_at\nb,3/13/2026 9:00 AM,3/14/2026 9:00 AM\n' >"$tmp/settled.csv"
cat >"$tmp/events_us.csv" <<'CSV'
contact_id,occurred_at,event
b,3/13/2026 9:00 AM,visit
b,3/5/2026 2:07 PM,visit
CSV
mql-check "$tmp/settled.csv" "$tmp/events_us.csv" --locale en-US \
	--format json -o "$tmp/e.json" || fail "events with --locale exited $?"
python3 - "$tmp/e.json" <<'PY' || fail "event dates read wrong"
import json, sys
items = {(x["section"], x["item"]): x for x in json.load(open(sys.argv[1]))}
assert items[("dates", "occurred_at")]["detail"] == \
    "2026-03-05T14:07:00Z .. 2026-03-13T09:00:00Z", items[("dates", "occurred_at")]
PY
mql-check "$tmp/settled.csv" "$tmp/events_us.csv" -q >/dev/null 2>"$tmp/err"
[ $? -eq 65 ] || fail "ambiguous event date did not exit 65"
grep -q "events_us.csv:3:2: .*'3/5/2026 2:07 PM'.*--locale en-US" "$tmp/err" ||
	fail "event message: $(cat "$tmp/err")"
echo "ok"
