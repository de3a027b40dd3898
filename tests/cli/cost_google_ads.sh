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
. "$MQL_SRC/tests/cli/launch_textbook.inc"
printf '%s\r\n' 'Campaign report' '"January 1, 2026 - February 28, 2026"' \
	'Campaign,Month,Currency code,Cost' \
	'launch,2026-01-01,USD,30000.00' 'launch,2026-02-01,USD,20000.00' \
	'Total: Account,,USD,50000.00' 'Total: Search,,USD,50000.00' >"$tmp/spend.csv"

# read NAME TOTALS: mql-cost on $tmp/NAME.csv into $tmp/NAME.crlf, its
# two-line title and its TOTALS ("2 lines) at ...:6") noted, launch's costs
# right
read_download() {
	local name=$1 totals=$2 file=$tmp/$1.csv
	mql-cost "$tmp/contacts.csv" "$file" --by campaign --format csv \
		-o "$tmp/$name.crlf" 2>"$tmp/err" || fail "$name: mql-cost exited $?: $(cat "$tmp/err")"
	grep -qF "note: skipped the report's title above its header (2 lines) at $file:1" "$tmp/err" ||
		fail "$name: no title note: $(cat "$tmp/err")"
	grep -qF "note: skipped the report's total rows ($totals" "$tmp/err" ||
		fail "$name: no totals note: $(cat "$tmp/err")"
	launch_costs "$tmp/$name.crlf" || fail "$name: wrong costs"
}
read_download spend "2 lines) at $tmp/spend.csv:6"

# the same download as "Excel CSV": UTF-16 (little-endian, a byte-order
# mark) and tab-separated; a campaign name past the Basic Multilingual
# Plane (a surrogate pair) stays whole
{
	printf '\377\376'
	printf '%s\r\n' 'Campaign report' 'January 1, 2026 - February 28, 2026' \
		$'Campaign\tMonth\tCurrency code\tCost' $'launch\t2026-01-01\tUSD\t30000.00' \
		$'launch\t2026-02-01\tUSD\t20000.00' $'Caf\u00e9 \U0001F680\t2026-02-01\tUSD\t7.50' \
		$'Total: Account\t\tUSD\t50007.50' | iconv -f UTF-8 -t UTF-16LE
} >"$tmp/excel.csv"
read_download excel "1 line) at $tmp/excel.csv:7"
grep -q $'^group,Caf\u00e9 \U0001F680,7.5,' <(tr -d '\r' <"$tmp/excel.crlf") ||
	fail "excel: the other campaign: $(cat "$tmp/excel.crlf")"

# spend after the totals would be counted beside them: refused
printf '%s\r\n' 'launch,2026-03-01,USD,10.00' >>"$tmp/spend.csv"
mql-cost "$tmp/contacts.csv" "$tmp/spend.csv" --by campaign -o "$tmp/late.txt" 2>"$tmp/err"
[ $? -eq 65 ] || fail "spend after the totals: exit not 65"
grep -q "spend.csv:8: a row of spend after the report's total rows (line 6 on" "$tmp/err" ||
	fail "message: $(cat "$tmp/err")"
[ ! -e "$tmp/late.txt" ] || fail "an output was written"
exit 0
