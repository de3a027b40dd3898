#!/usr/bin/env bash
# mql-cost on spend as Microsoft Advertising downloads it: a UTF-8 byte
# order mark, the report's properties (name, time, time zone, ...) above a
# blank line and the header, the copyright line below a blank line at the
# end; once as its API writes the columns (TimePeriod, CampaignName,
# CurrencyCode) and once as its web reports do (Gregorian date in US form,
# Campaign name, Currency code, a row of totals at the end).  Properties,
# totals and footer are skipped, each with a note naming its lines; the
# costs are those of the same spend as a plain file (cost_textbook.sh:
# 50,000 over 500 MQLs = 100 per MQL, over 50 customers = 1,000).  Without the copyright line the blank line and the
# text after it stay bad input.
set -u -o pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
. "$MQL_SRC/tests/cli/launch_textbook.inc"
properties() { # aggregation
	printf '\357\273\277'
	printf '%s\r\n' '"Report Name: Spend by campaign"' '"Report Time: 1/1/2026,2/28/2026"' \
		'"Time Zone: (GMT-08:00) Pacific Time (US & Canada); Tijuana"' \
		'"Last Completed Available Day: 3/1/2026 10:15:00 PM (GMT)"' \
		'"Last Completed Available Hour: 3/1/2026 10:15:00 PM (GMT)"' \
		"\"Report Aggregation: $1\"" '"Report Filter: "' '"Potential Incomplete Data: false"' \
		'"Rows: 2"' ''
}
footer() { printf '%s\r\n' '' '"©2026 Microsoft Corporation. All rights reserved. "'; }
check() { # name spend.csv footer-line [options]
	local name=$1 spend=$2 footer_line=$3
	shift 3
	mql-cost "$tmp/contacts.csv" "$spend" --by campaign --format csv "$@" \
		-o "$tmp/$name.crlf" 2>"$tmp/err" || fail "$name: mql-cost exited $?: $(cat "$tmp/err")"
	grep -q "note: skipped the report's title above its header (10 lines) at $spend:1" "$tmp/err" ||
		fail "$name: no title note: $(cat "$tmp/err")"
	grep -q "note: skipped the Microsoft Advertising report footer (2 lines) at $spend:$footer_line" "$tmp/err" ||
		fail "$name: no footer note: $(cat "$tmp/err")"
	launch_costs "$tmp/$name.crlf" || fail "$name: wrong costs"
}

{
	properties Monthly
	printf '%s\r\n' '"TimePeriod","CampaignName","Impressions","Clicks","Spend","CurrencyCode"' \
		'"2026-01-01","launch","120000","2400","30000.00","USD"' \
		'"2026-02-01","launch","80000","1600","20000.00","USD"'
	footer
} >"$tmp/api.csv"
check api "$tmp/api.csv" 14

{
	properties Daily
	printf '%s\r\n' '"Gregorian date","Account name","Campaign name","Spend","Currency code"' \
		'"1/15/2026","Acme","launch","30000.00","USD"' \
		'"2/10/2026","Acme","launch","20000.00","USD"' '"Total","","","50000.00","USD"'
	footer
} >"$tmp/web.csv"
check web "$tmp/web.csv" 15 --locale en-US
grep -q "note: skipped the report's total rows (1 line) at $tmp/web.csv:14" "$tmp/err" ||
	fail "web: no totals note: $(cat "$tmp/err")"

# a blank line and text after the rows, without the copyright, is no footer
sed -i '$d' "$tmp/api.csv"
printf '%s\r\n' '"Acme Corp"' >>"$tmp/api.csv"
mql-cost "$tmp/contacts.csv" "$tmp/api.csv" --by campaign -o "$tmp/bad.txt" 2>"$tmp/err"
[ $? -eq 65 ] || fail "no copyright line: exit not 65: $(cat "$tmp/err")"
[ ! -e "$tmp/bad.txt" ] || fail "an output was written"
exit 0
