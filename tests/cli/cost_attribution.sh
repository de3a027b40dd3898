#!/usr/bin/env bash
# mql-cost --attribution through the events reader, worked by hand.
# Lead c1 originates from campaign A (created 2026-03-01), is touched by B
# (03-02) and C (03-03), becomes a customer on 03-05 worth 900, then is
# touched by D (03-06, after the stage: no credit).  Lead c2 has no
# originating campaign; it is touched by B on 03-02 and becomes an MQL on
# 03-04.  Events of an unknown contact are skipped.
#   customer credits: linear A, B, C 1/3 each; u-shaped A 0.4, B 0.2, C 0.4;
#   last touch C; first touch A.
#   c1's MQL (03-01, at creation) is A's alone under every model; c2's MQL
#   is B's (its only touch before 03-04).  c2 as a lead (03-01) had no touch
#   yet: that lead is credited to "(none)", which therefore appears with
#   zero MQLs and customers.
set -u -o pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cat >"$tmp/contacts.csv" <<'CSV'
contact_id,created_at,channel,campaign,mql_at,customer_at,revenue
c1,2026-03-01,organic,A,2026-03-01,2026-03-05,900
c2,2026-03-01,paid,,2026-03-04,,
CSV
cat >"$tmp/events.csv" <<'CSV'
contact_id,occurred_at,event,campaign
c1,2026-03-06,web_visit,D
c1,2026-03-03,web_visit,C
c2,2026-03-02,email_click,B
c1,2026-03-02,email_click,B
zz,2026-03-02,email_click,A
c1,2026-03-04,web_visit,
CSV
printf 'campaign,channel,month,amount\nB,paid,2026-03,300\n' >"$tmp/spend.csv"

# Prints "campaign customer revenue mql" per row, rounded to 4 decimals.
credits() {
	mql-cost "$tmp/contacts.csv" "$tmp/spend.csv" "$tmp/events.csv" \
		--by campaign --attribution "$1" --format csv --quiet | tr -d '\r' |
		awk -F, '$1 == "group" { printf "%s %.4f %.4f %.4f\n", $2, $7, $8, $5 }' |
		LC_ALL=C sort
}
expect() {
	local got
	got=$(credits "$1") || fail "$1: mql-cost exited $?"
	[ "$got" = "$2" ] || fail "$1: got
$got
expected
$2"
}
expect linear "(none) 0.0000 0.0000 0.0000
A 0.3333 300.0000 1.0000
B 0.3333 300.0000 1.0000
C 0.3333 300.0000 0.0000"
expect u-shaped "(none) 0.0000 0.0000 0.0000
A 0.4000 360.0000 1.0000
B 0.2000 180.0000 1.0000
C 0.4000 360.0000 0.0000"
expect last "(none) 0.0000 0.0000 0.0000
A 0.0000 0.0000 1.0000
B 0.0000 0.0000 1.0000
C 1.0000 900.0000 0.0000"
expect first "(none) 0.0000 0.0000 0.0000
A 1.0000 900.0000 1.0000
B 0.0000 0.0000 1.0000"
exit 0
