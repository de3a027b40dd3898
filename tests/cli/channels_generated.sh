#!/usr/bin/env bash
# mql-channels and mql-cost on a generated history (mql-gen).  The
# generator is built so that content_syndication's MQLs are mostly
# rejected by sales, ev_cxo_dinner_2026 has 2 of 2 MQLs accepted, and
# organic_search, paid_search and referral are big, healthy channels.
# Expected: content_syndication kill, ev_cxo_dinner_2026 watch (too few
# MQLs, however good), the big channels keep.  And under every attribution
# model the credited totals equal the plain counts: the credits of every
# lead sum to 1.
set -u -o pipefail
command -v mql-gen >/dev/null || { echo "mql-gen not built: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mql-gen --contacts 20000 --seed 7 -o "$tmp" >/dev/null 2>&1 || fail "mql-gen exited $?"

mql-channels "$tmp/contacts.csv" "$tmp/spend.csv" --format csv |
	tr -d '\r' >"$tmp/channels.csv" || fail "mql-channels exited $?"
# decision is column 14, after the level and the group and before the
# reason, which may hold commas
decision() { awk -F, -v g="$1" '$2 == g { print $14 }' "$2"; }
[ "$(decision content_syndication "$tmp/channels.csv")" = kill ] ||
	fail "content_syndication: $(grep content_syndication "$tmp/channels.csv")"
for ch in organic_search paid_search referral; do
	[ "$(decision $ch "$tmp/channels.csv")" = keep ] ||
		fail "$ch: $(grep "^$ch," "$tmp/channels.csv")"
done

mql-channels "$tmp/contacts.csv" "$tmp/spend.csv" --by campaign --format csv |
	tr -d '\r' >"$tmp/campaigns.csv" || fail "mql-channels --by campaign exited $?"
[ "$(decision ev_cxo_dinner_2026 "$tmp/campaigns.csv")" = watch ] ||
	fail "ev_cxo_dinner_2026: $(grep ev_cxo_dinner_2026 "$tmp/campaigns.csv")"
awk -F, '$2 == "ev_cxo_dinner_2026" && $17 > 0 { found = 1 } END { exit !found }' \
	"$tmp/campaigns.csv" || fail "watch without a number of MQLs to settle it"
[ "$(decision cs_techtarget "$tmp/campaigns.csv")" = kill ] ||
	fail "cs_techtarget: $(grep cs_techtarget "$tmp/campaigns.csv")"
# level: every row "group" but the last, "total" on "all", whose mql, sql
# and customer are the sums of the group rows above it
awk -F, 'NR == 1 { ok = $1 == "level"; next }
	$1 == "group" && $2 != "all" { rows++; m += $3; s += $4; c += $5; next }
	$1 == "total" && $2 == "all" { totals++; tm = $3; ts = $4; tc = $5; next }
	{ ok = 0 }
	END { exit !(ok && rows > 0 && totals == 1 && m == tm && s == ts && c == tc) }' \
	"$tmp/campaigns.csv" || fail "level rows: $(cut -d, -f1-5 "$tmp/campaigns.csv")"

# A window past 100 years (36500 days) is refused as a usage error.
mql-channels "$tmp/contacts.csv" --window 1e20 >/dev/null 2>"$tmp/err"
status=$?
[ $status -eq 2 ] || fail "--window 1e20 exited $status, expected 2"
grep -q "36500" "$tmp/err" || fail "message: $(cat "$tmp/err")"

# Credits sum to 1: the totals (leads, mql, sql, customer) agree.
mql-cost "$tmp/contacts.csv" "$tmp/spend.csv" --by campaign --format csv |
	tr -d '\r' | awk -F, '$1 == "total" { print $4, $5, $6, $7 }' >"$tmp/plain"
for model in first last linear u-shaped; do
	mql-cost "$tmp/contacts.csv" "$tmp/spend.csv" "$tmp/events.csv" \
		--by campaign --attribution $model --format csv | tr -d '\r' |
		awk -F, '$1 == "total" { printf "%.0f %.0f %.0f %.0f\n", $4, $5, $6, $7 }' \
			>"$tmp/$model"
	cmp -s "$tmp/plain" "$tmp/$model" ||
		fail "$model totals $(cat "$tmp/$model") differ from $(cat "$tmp/plain")"
done
exit 0
