#!/usr/bin/env bash
# Drift: mql-gen --drift draws the last quarter's leads from a shifted
# population (more content syndication, junior titles, less intent).  The
# backtest's PSI of that quarter's scores against the leads before --from
# must say "major" (> 0.25) while the earlier quarters stay below 0.1; the
# same history without --drift keeps the last quarter below 0.1.
set -u -o pipefail
command -v mql-gen >/dev/null || { echo "mql-gen not built: skipped"; exit 77; }
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
psi_table() { # dir [--drift]
	mql-gen --contacts 6000 --seed 11 $2 -o "$1" >/dev/null 2>&1 ||
		fail "mql-gen exited $?"
	jq '.rules | .fit |= map(select(.property != "channel"))' \
		"$1/truth.json" >"$1/structure.json" || fail "jq"
	mql-fit "$1/contacts.csv" "$1/events.csv" --rules "$1/structure.json" \
		--holdout-from 2025-10-01 -o "$1/model.json" -q ||
		fail "mql-fit exited $?"
	mql-rules "$1/model.json" -o "$1/fitted.json" -q || fail "mql-rules"
	mql-backtest "$1/rules.json" "$1/fitted.json" "$1/contacts.csv" \
		"$1/events.csv" --from 2025-10-01 --by quarter --format json -q \
		>"$1/table.json" || fail "mql-backtest exited $?"
}
psi_of() { # table period
	jq -r --arg p "$2" '.[] | select(.period == $p and .rules == "new" and (.rules_file | endswith("fitted.json"))) | "\(.psi) \(.drift)"' "$1"
}
psi_table "$tmp/drift" --drift
set -- $(psi_of "$tmp/drift/table.json" 2026-Q3)
[ "${2:-}" = major ] || fail "drifted 2026-Q3: PSI ${1:-none} ${2:-}"
for q in 2025-Q4 2026-Q1 2026-Q2; do
	set -- $(psi_of "$tmp/drift/table.json" $q)
	[ "${2:-}" = stable ] || fail "$q before the drift: PSI ${1:-none} ${2:-}"
done
psi_table "$tmp/steady" ""
set -- $(psi_of "$tmp/steady/table.json" 2026-Q3)
[ "${2:-}" = stable ] || fail "no drift, yet 2026-Q3 has PSI ${1:-none} ${2:-}"
exit 0
