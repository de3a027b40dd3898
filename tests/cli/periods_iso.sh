#!/usr/bin/env bash
# Periods and date ranges as ISO 8601 dates in the machine formats, worked
# by hand: mql-report --cohort quarter and month carry each cohort's first
# day in period_start, and mql-check's csv gives each date range's first
# and last day in columns of their own (spend: the last day a row covers,
# its end being exclusive).
set -u -o pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cat >"$tmp/contacts.csv" <<'CSV'
contact_id,created_at,channel,mql_at
a,2026-02-10,web,2026-02-20
b,2026-03-31,web,
c,2026-05-01,ads,2026-06-15
d,2025-12-31,ads,2026-01-02
CSV
printf 'contact_id,occurred_at,event\n' >"$tmp/events.csv"
cat >"$tmp/spend.csv" <<'CSV'
campaign,channel,month,amount
x,web,2026-01,100
x,web,2026-03,100
CSV
# cohort,channel,...,period_start: the quarter's first day; the total none
mql-report "$tmp/contacts.csv" --by channel --cohort quarter --as-of 2026-07-01 \
	--format csv | tr -d '\r' >"$tmp/quarter.csv" || fail "mql-report exited $?"
head -1 "$tmp/quarter.csv" | grep -q '^level,cohort,channel,.*,period_start$' ||
	fail "header: $(head -1 "$tmp/quarter.csv")"
starts=$(awk -F, 'NR > 1 { print $2 "=" $NF }' "$tmp/quarter.csv" | sort -u | paste -sd' ')
[ "$starts" = "2025-Q4=2025-10-01 2026-Q1=2026-01-01 2026-Q2=2026-04-01 all=" ] ||
	fail "quarters: $starts"
mql-report "$tmp/contacts.csv" --cohort month --as-of 2026-07-01 --format csv |
	tr -d '\r' | awk -F, 'NR > 1 { print $2 "=" $NF }' | paste -sd' ' >"$tmp/months"
[ "$(cat "$tmp/months")" = "2025-12=2025-12-01 2026-02=2026-02-01 2026-03=2026-03-01 2026-05=2026-05-01 all=" ] ||
	fail "months: $(cat "$tmp/months")"
# without a cohort, no period_start
mql-report "$tmp/contacts.csv" --by channel --format csv | head -1 | grep -q period_start &&
	fail "period_start without a cohort"

# mql-check: first and last, the last two columns
mql-check "$tmp/contacts.csv" "$tmp/events.csv" "$tmp/spend.csv" --as-of 2026-07-01 --format csv 2>/dev/null |
	tr -d '\r' >"$tmp/check.csv"
head -1 "$tmp/check.csv" | grep -q ',first,last$' || fail "check header: $(head -1 "$tmp/check.csv")"
range() { awk -F, -v s="$1" -v i="$2" '$1 == s && $2 == i { print $(NF - 1), $NF }' "$tmp/check.csv"; }
[ "$(range dates created_at)" = "2025-12-31 2026-05-01" ] || fail "created_at: $(range dates created_at)"
[ "$(range dates mql_at)" = "2026-01-02 2026-06-15" ] || fail "mql_at: $(range dates mql_at)"
[ "$(range spend amount)" = "2026-01-01 2026-03-31" ] || fail "spend: $(range spend amount)"
exit 0
