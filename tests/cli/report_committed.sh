#!/usr/bin/env bash
# The funnel report of the committed sample (reports/funnel.html, written by
# `make review`): well-formed, self-contained (no URL, no script), with its
# charts, and the same counts as mql-report gives on notebooks-data now.
set -u -o pipefail
page="$MQL_SRC/reports/funnel.html"
[ -f "$page" ] || { echo "no reports/funnel.html: skipped"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$page" ||
	fail "reports/funnel.html is not well-formed"
! grep -qi 'http' "$page" || fail "reports/funnel.html refers to a URL"
! grep -qi '<script' "$page" || fail "reports/funnel.html has a script"
[ "$(grep -c '<svg' "$page")" -ge 4 ] || fail "reports/funnel.html lacks its charts"
leads=$(mql-report "$MQL_SRC/notebooks-data/contacts.csv" --format csv -q |
	tr -d '\r' | awk -F, '$1 == "total" && $2 == "all" { print $3 }')
[ -n "$leads" ] || fail "no total from mql-report"
shown=$(python3 -c 'import sys; print(f"{int(sys.argv[1]):,}")' "$leads")
grep -q ">$shown</div><div class=\"label\">leads<" "$page" ||
	fail "reports/funnel.html does not show $leads leads: regenerate with make review"
echo ok
