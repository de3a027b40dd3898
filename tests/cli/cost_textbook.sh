#!/usr/bin/env bash
# mql-cost on the textbook example, worked by hand: campaign "launch" spent
# 50,000 (30,000 in January, 20,000 in February) and brought 800 leads,
# 500 MQLs and 50 customers: 50,000 / 500 = 100 per MQL,
# 50,000 / 50 = 1,000 per customer, 50,000 / 800 = 62.5 per lead.
# "organic" has leads and no spend; "webinar" has spend and no leads: both
# are shown, with empty costs.  Also the exit codes of bad calls.
set -u -o pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
	echo "contact_id,created_at,channel,campaign,mql_at,customer_at,revenue"
	for i in $(seq 1 810); do
		campaign=launch channel=paid mql= customer= revenue=
		[ "$i" -gt 800 ] && campaign=organic channel=organic
		[ "$i" -le 500 ] && mql=2026-01-20
		[ "$i" -le 50 ] && customer=2026-02-10 && revenue=3000
		echo "c$i,2026-01-05,$channel,$campaign,$mql,$customer,$revenue"
	done
} >"$tmp/contacts.csv"
cat >"$tmp/spend.csv" <<'CSV'
campaign,channel,month,amount
launch,paid,2026-01,30000
launch,paid,2026-02,20000
webinar,events,2026-01,2000
CSV
fail() { echo "FAIL: $*" >&2; exit 1; }

# csv rows end in CRLF (RFC 4180): strip the CR before comparing.
mql-cost "$tmp/contacts.csv" "$tmp/spend.csv" --by campaign --format csv \
	-o "$tmp/cost.crlf" || fail "mql-cost exited $?"
tr -d '\r' <"$tmp/cost.crlf" >"$tmp/cost.csv"
# a row without its level: campaign,spend,leads,mql,sql,customer,revenue,
#   cost_per_lead,cost_per_mql,cost_per_sql,cost_per_customer,roi,currency
# (empty: the spend file has no currency column)
row() { awk -F, -v g="$1" '$2 == g' "$tmp/cost.csv" | cut -d, -f2-; }
head -1 "$tmp/cost.csv" | grep -qx 'level,campaign,spend,leads,mql,sql,customer,revenue,cost_per_lead,cost_per_mql,cost_per_sql,cost_per_customer,roi,currency' ||
	fail "header: $(head -1 "$tmp/cost.csv")"
# the total is the last row and the only one of level "total"
[ "$(cut -d, -f1,2 "$tmp/cost.csv" | sort | uniq -c | awk '$2 ~ /^total,/ { print $1, $2 }')" = "1 total,all" ] &&
	tail -1 "$tmp/cost.csv" | grep -q '^total,all,' || fail "levels: $(cut -d, -f1,2 "$tmp/cost.csv")"
[ "$(row launch | cut -d, -f2-4)" = "50000,800,500" ] || fail "launch counts: $(row launch)"
[ "$(row launch | cut -d, -f8,9,11)" = "62.5,100,1000" ] || fail "launch costs: $(row launch)"
# ROI = (50 * 3,000 - 50,000) / 50,000 = 2
[ "$(row launch | cut -d, -f12)" = "2" ] || fail "launch roi: $(row launch)"
[ "$(row organic | cut -d, -f2,3,8)" = ",10," ] || fail "organic: $(row organic)"
[ "$(row webinar | cut -d, -f2,3,8)" = "2000,0," ] || fail "webinar: $(row webinar)"
# Totals: 52,000 / 500 = 104 per MQL, 52,000 / 50 = 1,040 per customer.
[ "$(row all | cut -d, -f9,11)" = "104,1040" ] || fail "total: $(row all)"

# By month: January has 30,000 + 2,000 of spend and all 810 leads, 500 MQLs
# (32,000 / 810 = 39.506..., 32,000 / 500 = 64), no revenue: ROI -1.
mql-cost "$tmp/contacts.csv" "$tmp/spend.csv" --by month --format csv \
	-o "$tmp/month.crlf" || fail "--by month exited $?"
tr -d '\r' <"$tmp/month.crlf" >"$tmp/month.csv"
# csv and json end with the first day of the period, ISO 8601.
head -1 "$tmp/month.csv" | grep -q '^level,month,spend,.*,roi,period_start,currency$' ||
	fail "header: $(head -1 "$tmp/month.csv")"
grep -qx 'group,2026-01,32000,810,500,0,0,0,39.50617283950617,64,,,-1,2026-01-01,' "$tmp/month.csv" ||
	fail "January: $(grep 2026-01 "$tmp/month.csv")"
tail -1 "$tmp/month.csv" | grep -q '^total,all,.*,,$' || fail "total: $(tail -1 "$tmp/month.csv")"
# 2026-Q1 holds all 52,000 of spend (30,000 + 20,000 + 2,000)
mql-cost "$tmp/contacts.csv" "$tmp/spend.csv" --by quarter --format csv |
	tr -d '\r' | grep -q '^group,2026-Q1,52000,.*,2026-01-01,$' ||
	fail "--by quarter: no 2026-Q1 starting 2026-01-01"

# The HTML report shows cost per MQL and per customer side by side.
mql-cost "$tmp/contacts.csv" "$tmp/spend.csv" --format html -o "$tmp/cost.html" ||
	fail "html exited $?"
grep -q 'Cost per MQL' "$tmp/cost.html" && grep -q 'Cost per customer' "$tmp/cost.html" ||
	fail "html lacks the two charts"

# Bad calls: missing file 66, attribution without events 2, bad spend 65.
mql-cost "$tmp/nope.csv" "$tmp/spend.csv" 2>/dev/null
[ $? -eq 66 ] || fail "missing file should exit 66"
mql-cost "$tmp/contacts.csv" "$tmp/spend.csv" --attribution linear 2>/dev/null
[ $? -eq 2 ] || fail "--attribution without events.csv should exit 2"
printf 'campaign,channel,month,amount\nx,y,2026-01,-5\n' >"$tmp/bad.csv"
mql-cost "$tmp/contacts.csv" "$tmp/bad.csv" -o "$tmp/out.csv" 2>/dev/null
[ $? -eq 65 ] || fail "negative spend should exit 65"
[ ! -e "$tmp/out.csv" ] || fail "a failed run left an output file"
exit 0
