#!/usr/bin/env bash
# Every kind of bad input makes mql-check exit 65 with
# "mql-check: FILE:LINE[:COL]: message" naming where the fault is.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

# expect NAME LINE[:COL] WORDS [OPTION...] -- writes nothing; reads
# $tmp/NAME.csv
expect() {
	local name=$1 where=$2 words=$3 status=0
	shift 3
	mql-check "$tmp/$name.csv" "$@" 2>"$tmp/$name.err" >/dev/null || status=$?
	if [ "$status" -ne 65 ]; then
		echo "$name: exit $status, expected 65" >&2
		failures=$((failures + 1))
	elif ! grep -qF "mql-check: $tmp/$name.csv:$where: " "$tmp/$name.err" ||
		! grep -qF "$words" "$tmp/$name.err"; then
		echo "$name: unexpected message: $(cat "$tmp/$name.err")" >&2
		failures=$((failures + 1))
	fi
}

printf 'contact_id,channel\na,web\nb\n' >"$tmp/ragged.csv"
expect ragged 3:2 "row has 1 fields (expected 2"

printf 'contact_id,channel\na,web\nb,"open\nc,web\n' >"$tmp/unterminated.csv"
expect unterminated 3:3 "unterminated quoted field"

printf 'contact_id,channel\na,web\nb,caf\xe9\n' >"$tmp/utf8.csv"
expect utf8 3:6 "invalid UTF-8"

printf 'contact_id,created_at\na,2026-01-05\nb,2026-02-30\n' >"$tmp/date.csv"
expect date 3:2 "cannot parse '2026-02-30' as a date"

printf 'contact_id,channel\na,web\nb,web\na,mail\n' >"$tmp/duplicate.csv"
expect duplicate 4:1 "duplicate contact_id 'a' (first on line 2"

printf 'id,channel\na,web\n' >"$tmp/noid.csv"
expect noid 1 "missing column 'contact_id'"

# a German spreadsheet's CSV read with the separator it was told: the
# header's separator is named (untold, the header decides: check_delimiters)
printf 'contact_id;created_at\na;2026-01-01\n' >"$tmp/semicolons.csv"
expect semicolons 1 "or --map/--preset to name one; the header is one column holding ';': add --delimiter ';')" --delimiter ,

: >"$tmp/empty.csv"
expect empty 1 "empty file"

{ printf 'contact_id,note\na,'; head -c 2000000 /dev/zero | tr '\0' x; printf '\n'; } >"$tmp/huge.csv"
expect huge 2:2 "field longer than"

# a missing file is 66, not 65
status=0
mql-check "$tmp/nonexistent.csv" 2>/dev/null || status=$?
[ "$status" -eq 66 ] || { echo "missing file: exit $status" >&2; failures=$((failures + 1)); }

# events that name a bad date fail too, with the events file named
printf 'contact_id\na\n' >"$tmp/c.csv"
printf 'contact_id,occurred_at,event\na,2026-01-01,x\na,soon,x\n' >"$tmp/e.csv"
status=0
mql-check "$tmp/c.csv" "$tmp/e.csv" 2>"$tmp/e.err" >/dev/null || status=$?
[ "$status" -eq 65 ] && grep -qF "$tmp/e.csv:3:2: cannot parse 'soon'" "$tmp/e.err" ||
	{ echo "events: exit $status: $(cat "$tmp/e.err")" >&2; failures=$((failures + 1)); }

[ "$failures" -eq 0 ]
