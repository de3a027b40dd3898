#!/usr/bin/env bash
# -o writes through a temporary file: a failed run leaves no file (and no
# temporary) behind and never touches an existing output.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/out"
printf 'contact_id,channel,mql_at\na,web,2026-01-02\nb,mail,\n' >"$tmp/good.csv"
printf 'contact_id,channel\na,web\nb\n' >"$tmp/bad.csv"

status=0
mql-check "$tmp/bad.csv" -o "$tmp/out/report.txt" 2>/dev/null || status=$?
[ "$status" -eq 65 ]
[ -z "$(ls -A "$tmp/out")" ]

mql-check "$tmp/good.csv" --format csv -o "$tmp/out/report.csv"
# RFC 4180 lines end in CRLF
tr -d '\r' <"$tmp/out/report.csv" >"$tmp/report.lf"
grep -q '^section,item,count,share,detail,amount,first,last$' "$tmp/report.lf"
grep -q '^channels,web,1,0.5,,,,$' "$tmp/report.lf"
cp "$tmp/out/report.csv" "$tmp/before.csv"

status=0
mql-check "$tmp/bad.csv" --format csv -o "$tmp/out/report.csv" 2>/dev/null || status=$?
[ "$status" -eq 65 ]
cmp -s "$tmp/before.csv" "$tmp/out/report.csv"
[ "$(ls -A "$tmp/out")" = "report.csv" ]

# What the terminal report says, worked out by hand on three leads, one event
# of an unknown contact and 1000 + 250.5 spent: b never became an MQL and
# only a reached SAL (attrition, not missing values); employees has 2
# distinct values; the one warning is the unknown contact's event.
printf 'contact_id,created_at,channel,employees,mql_at,sal_at\na,2026-01-01,web,10,2026-01-02,2026-01-03\nb,2026-01-02,mail,20,,\nc,2026-01-03,web,20,2026-01-04,\n' >"$tmp/c.csv"
printf 'contact_id,occurred_at,event\na,2026-01-01,page_view\nz,2026-01-02,page_view\n' >"$tmp/e.csv"
printf 'campaign,channel,month,amount\nspring,web,2026-01,1000\nfair,mail,2026-01,250.5\n' >"$tmp/s.csv"
mql-check "$tmp/c.csv" "$tmp/e.csv" "$tmp/s.csv" --as-of 2027-01-01 >"$tmp/out.txt"
[ "$(grep -v '^  from:' "$tmp/out.txt" | grep -v '^$' | tail -n 1)" = "verdict: usable with warnings (1 warning)" ]
grep -q '^  from: events/unknown contacts$' "$tmp/out.txt"
awk '/^== missing/ { m = 1; next } /^== / { m = 0 } m' "$tmp/out.txt" >"$tmp/missing.txt"
grep -q '^(none) ' "$tmp/missing.txt"
! grep -q 'mql_at\|sal_at' "$tmp/missing.txt"
grep -q 'numeric, 2 distinct values' "$tmp/out.txt"
! grep -q 'levels' "$tmp/out.txt"
awk '/^== spend/ { s = 1; next } s && /^item/ { print; exit }' "$tmp/out.txt" | grep -q ' amount *$'
mql-check "$tmp/c.csv" "$tmp/e.csv" "$tmp/s.csv" --as-of 2027-01-01 --format csv | tr -d '\r' >"$tmp/out.csv"
# the spend's range: the month 2026-01, first to last day
grep -q '^spend,amount,,,.*,1250.5,2026-01-01,2026-01-31$' "$tmp/out.csv"
grep -q '^dates,created_at,3,1,.*,,2026-01-01,2026-01-03$' "$tmp/out.csv"
[ "$(tail -n 1 "$tmp/out.csv")" = "verdict,usable with warnings (1 warning),1,,events/unknown contacts,,," ]

# Exit status by verdict: usable and usable with warnings exit 0, not usable
# exits 65 (bad input data) once its report is written, here or in -o.
printf 'contact_id,created_at,mql_at\na,2026-01-01,2026-01-02\n' >"$tmp/usable.csv"
mql-check "$tmp/usable.csv" --as-of 2027-01-01 >"$tmp/usable.txt" 2>"$tmp/usable.err"
[ "$(tail -n 1 "$tmp/usable.txt")" = "verdict: usable" ]
[ ! -s "$tmp/usable.err" ]
# No MQL at all: not usable
printf 'contact_id,created_at,mql_at\na,2026-01-01,\n' >"$tmp/none.csv"
status=0
mql-check "$tmp/none.csv" --as-of 2027-01-01 >"$tmp/none.txt" 2>"$tmp/none.err" || status=$?
[ "$status" -eq 65 ]
grep -q '^verdict: not usable (1 fault)$' "$tmp/none.txt"
grep -q '^mql-check: the data is not usable: outcomes/mql$' "$tmp/none.err"
status=0
mql-check "$tmp/none.csv" --as-of 2027-01-01 -q --format csv -o "$tmp/out/none.csv" 2>"$tmp/none.err" || status=$?
[ "$status" -eq 65 ]
[ ! -s "$tmp/none.err" ]
[ "$(tail -n 1 "$tmp/out/none.csv" | tr -d '\r')" = "verdict,not usable (1 fault),1,,outcomes/mql,,," ]
# No mql_at column: not usable too
printf 'contact_id,created_at\na,2026-01-01\n' >"$tmp/nocolumn.csv"
status=0
mql-check "$tmp/nocolumn.csv" --as-of 2027-01-01 -q >/dev/null || status=$?
[ "$status" -eq 65 ]
