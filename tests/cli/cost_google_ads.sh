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

mql-cost "$tmp/contacts.csv" "$tmp/spend.csv" --by campaign --format csv \
	-o "$tmp/cost.crlf" 2>"$tmp/err" || fail "mql-cost exited $?: $(cat "$tmp/err")"
grep -q "note: skipped the report's title above its header (2 lines) at $tmp/spend.csv:1" "$tmp/err" ||
	fail "no title note: $(cat "$tmp/err")"
grep -q "note: skipped the report's total rows (2 lines) at $tmp/spend.csv:6" "$tmp/err" ||
	fail "no totals note: $(cat "$tmp/err")"
launch_costs "$tmp/cost.crlf" || fail "wrong costs"

# spend after the totals would be counted beside them: refused
printf '%s\r\n' 'launch,2026-03-01,USD,10.00' >>"$tmp/spend.csv"
mql-cost "$tmp/contacts.csv" "$tmp/spend.csv" --by campaign -o "$tmp/late.txt" 2>"$tmp/err"
[ $? -eq 65 ] || fail "spend after the totals: exit not 65"
grep -q "spend.csv:8: a row of spend after the report's total rows (line 6 on" "$tmp/err" ||
	fail "message: $(cat "$tmp/err")"
[ ! -e "$tmp/late.txt" ] || fail "an output was written"
exit 0
