#!/usr/bin/env bash
# mql-cost on spend as Google Ads downloads it: the report's name and date
# range above the header, the Month segment as a date, the currency code,
# and total rows at the end.  The title and the totals are skipped, each
# with a note naming its lines; the costs are those of the same spend as a
# plain file (cost_textbook.sh: 50,000 over 500 MQLs = 100 per MQL, over
# 50 customers = 1,000).  A row of spend after the totals is refused.
set -u -o pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
{
	echo "contact_id,created_at,channel,campaign,mql_at,customer_at,revenue"
	for i in $(seq 1 800); do
		mql= customer= revenue=
		[ "$i" -le 500 ] && mql=2026-01-20
		[ "$i" -le 50 ] && customer=2026-02-10 && revenue=3000
		echo "c$i,2026-01-05,paid,launch,$mql,$customer,$revenue"
	done
} >"$tmp/contacts.csv"
printf '%s\r\n' 'Campaign report' '"January 1, 2026 - February 28, 2026"' \
	'Campaign,Month,Currency code,Cost' \
	'launch,2026-01-01,USD,30000.00' 'launch,2026-02-01,USD,20000.00' \
	'Total: Account,,USD,50000.00' 'Total: Search,,USD,50000.00' >"$tmp/spend.csv"

mql-cost "$tmp/contacts.csv" "$tmp/spend.csv" --by campaign --format csv \
	-o "$tmp/cost.crlf" 2>"$tmp/err" || fail "mql-cost exited $?: $(cat "$tmp/err")"
grep -q "note: skipped the report's title above its header (2 lines) at $tmp/spend.csv:1" "$tmp/err" ||
	fail "no title note: $(cat "$tmp/err")"
grep -q "note: skipped the report's total rows (2 lines) at $tmp/spend.csv:6" "$tmp/err" ||
	fail "no totals note: $(cat "$tmp/err")"
tr -d '\r' <"$tmp/cost.crlf" >"$tmp/cost.csv"
row=$(awk -F, '$2 == "launch"' "$tmp/cost.csv")
# campaign,spend,leads,mql,...,cost_per_mql (10),...,cost_per_customer (12)
[ "$(echo "$row" | cut -d, -f3-5,10,12,14)" = "50000,800,500,100,1000,USD" ] ||
	fail "launch: $row"

# spend after the totals would be counted beside them: refused
printf '%s\r\n' 'launch,2026-03-01,USD,10.00' >>"$tmp/spend.csv"
mql-cost "$tmp/contacts.csv" "$tmp/spend.csv" --by campaign -o "$tmp/late.txt" 2>"$tmp/err"
[ $? -eq 65 ] || fail "spend after the totals: exit not 65"
grep -q "spend.csv:8: a row of spend after the report's total rows (line 6 on" "$tmp/err" ||
	fail "message: $(cat "$tmp/err")"
[ ! -e "$tmp/late.txt" ] || fail "an output was written"
exit 0
