#!/usr/bin/env bash
# mql-check gives the same summary, and the same file:line:column for a bad
# events file, with any number of threads: the file is cut at row starts,
# never inside a quoted campaign that spans lines.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

# c1 is an MQL, so the data is usable (exit 0) and 65 is only a bad file.
printf 'contact_id,created_at,mql_at\nc1,2026-01-01,2026-01-02\nc2,2026-01-01,\nc3,2026-01-01,\n' >"$tmp/contacts.csv"
# 3000 rows; every 7th has a campaign quoted over three lines, with a
# doubled quote, whose middle line looks like a row.
awk 'BEGIN {
	print "contact_id,occurred_at,event,campaign"
	for (i = 0; i < 3000; i++) {
		id = "c" (i % 4 + 1)
		if (i % 7 == 0)
			printf "%s,2026-02-%02d,type%d,\"spring\nc1,2026-02-01,ghost,\n\"\"promo\"\"\"\n", id, i % 28 + 1, i % 5
		else
			printf "%s,2026-02-%02d,type%d,\n", id, i % 28 + 1, (i * 3) % 11
	}
}' >"$tmp/events.csv"

mql-check "$tmp/contacts.csv" "$tmp/events.csv" --threads 1 --as-of 2026-06-01 --format csv >"$tmp/one.csv"
grep -q '^files,events,3000,' "$tmp/one.csv" || { echo "expected 3000 event rows" >&2; exit 1; }
if grep -q ghost "$tmp/one.csv"; then echo "a quoted line was read as a row" >&2; exit 1; fi
for threads in 2 3 8 0; do
	mql-check "$tmp/contacts.csv" "$tmp/events.csv" --threads "$threads" --as-of 2026-06-01 --format csv >"$tmp/many.csv"
	if ! cmp -s "$tmp/one.csv" "$tmp/many.csv"; then
		echo "--threads $threads differs from one thread:" >&2
		diff "$tmp/one.csv" "$tmp/many.csv" >&2 || true
		failures=$((failures + 1))
	fi
done

# expect_error THREADS FILE:LINE:COL WORDS, reading $tmp/bad.csv
expect_error() {
	local status=0
	mql-check "$tmp/contacts.csv" "$tmp/bad.csv" --threads "$1" 2>"$tmp/err" >/dev/null || status=$?
	if [ "$status" -ne 65 ] || ! grep -qF "mql-check: $tmp/bad.csv:$2: " "$tmp/err" ||
		! grep -qF "$3" "$tmp/err"; then
		echo "--threads $1: exit $status, expected 65 and $2 $3: $(cat "$tmp/err")" >&2
		failures=$((failures + 1))
	fi
}
# A bad date on line 3001 (line 1 is the header, the 3000 rows of plain
# lines are lines 2..3001 when no row spans lines).
awk 'BEGIN { print "contact_id,occurred_at,event"
	for (i = 0; i < 3000; i++) print "c1," (i == 2999 ? "soon" : "2026-02-01") ",visit" }' >"$tmp/bad.csv"
for threads in 1 2 3 8; do expect_error "$threads" 3001:2 "cannot parse 'soon' as a date"; done
# A quote opened on line 2500 (column 15, after the 14 bytes "c1,2026-02-01,")
# and never closed.
awk 'BEGIN { print "contact_id,occurred_at,event"
	for (i = 0; i < 3000; i++) print "c1,2026-02-01," (i == 2498 ? "\"open" : "visit") }' >"$tmp/bad.csv"
for threads in 1 2 3 8; do expect_error "$threads" 2500:15 "unterminated quoted field"; done

status=0
mql-check "$tmp/contacts.csv" "$tmp/events.csv" --threads 9 >/dev/null 2>&1 || status=$?
[ "$status" -eq 2 ] || { echo "--threads 9: exit $status, expected 2" >&2; failures=$((failures + 1)); }
exit $((failures > 0))
