#!/usr/bin/env bash
# -o writes through a temporary file: a failed run leaves no file (and no
# temporary) behind and never touches an existing output.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/out"
printf 'contact_id,channel\na,web\nb,mail\n' >"$tmp/good.csv"
printf 'contact_id,channel\na,web\nb\n' >"$tmp/bad.csv"

status=0
mql-check "$tmp/bad.csv" -o "$tmp/out/report.txt" 2>/dev/null || status=$?
[ "$status" -eq 65 ]
[ -z "$(ls -A "$tmp/out")" ]

mql-check "$tmp/good.csv" --format csv -o "$tmp/out/report.csv"
# RFC 4180 lines end in CRLF
tr -d '\r' <"$tmp/out/report.csv" >"$tmp/report.lf"
grep -q '^section,item,count,share,detail$' "$tmp/report.lf"
grep -q '^channels,web,1,0.5,$' "$tmp/report.lf"
cp "$tmp/out/report.csv" "$tmp/before.csv"

status=0
mql-check "$tmp/bad.csv" --format csv -o "$tmp/out/report.csv" 2>/dev/null || status=$?
[ "$status" -eq 65 ]
cmp -s "$tmp/before.csv" "$tmp/out/report.csv"
[ "$(ls -A "$tmp/out")" = "report.csv" ]
