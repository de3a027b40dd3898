#!/usr/bin/env bash
# Every table and text a command prints on stdout fits the terminal: with
# COLUMNS=100 and COLUMNS=60 no line of stdout is longer, nor of 100 when
# COLUMNS is unset and stdout is not a terminal; --wide prints every
# column of the table as before (the columns of its --format csv header);
# the csv output does not change with COLUMNS.
set -u -o pipefail
command -v mql-gen >/dev/null || { echo "mql-gen not built: skipped"; exit 77; }
command -v gawk >/dev/null || { echo "gawk missing: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export LC_ALL=C.UTF-8 # gawk counts characters: "…" is one
cd "$tmp" || fail "no $tmp"
mql-gen --contacts 3000 --seed 3 -o . >/dev/null 2>&1 || fail "mql-gen exited $?"
mql-fit contacts.csv events.csv --rules rules.json --label sal --holdout-from 2025-10-01 \
	-o model.json -q >/dev/null || fail "mql-fit exited $?"
mql-rules model.json events.csv --history contacts.csv --previous rules.json \
	-o new.json -q >/dev/null || fail "mql-rules exited $?"

# longest FILE WIDTH: fails unless every line of FILE has at most WIDTH
# characters.
longest() {
	gawk -v w="$2" 'length($0) > w { printf "%s:%d: %d characters\n", FILENAME, FNR, length($0); bad = 1 }
		END { exit bad }' "$1" || fail "$1 is wider than $2"
}

# case_of NAME WIDE ARGS...: the command at 100, 60 and unset COLUMNS, then
# --wide, wider than 100 when WIDE is 1.
case_of() {
	local name=$1 wide=$2
	shift 2
	for columns in 100 60; do
		COLUMNS=$columns "$@" >"$name.$columns" 2>"$name.err" ||
			fail "$name exited $? at $columns: $(tail -3 "$name.err")"
		longest "$name.$columns" "$columns"
	done
	env -u COLUMNS "$@" >"$name.unset" 2>/dev/null || fail "$name exited $? without COLUMNS"
	longest "$name.unset" 100
	COLUMNS=60 "$@" --wide >"$name.wide" 2>/dev/null || fail "$name --wide exited $?"
	grep -q 'left out to fit' "$name.wide" && fail "$name --wide left columns out"
	[ "$wide" = 0 ] ||
		[ "$(gawk '{ if (length($0) > n) n = length($0) } END { print n + 0 }' "$name.wide")" -gt 100 ] ||
		fail "$name --wide is no wider than 100"
}

case_of check 1 mql-check contacts.csv events.csv spend.csv --as-of 2026-10-01
case_of fit 0 mql-fit contacts.csv events.csv --rules rules.json --label sal --holdout-from 2025-10-01 -o "$tmp/m.json"
case_of rules 1 mql-rules model.json events.csv --history contacts.csv --previous rules.json -o "$tmp/r.json"
case_of backtest 1 mql-backtest rules.json new.json contacts.csv events.csv --from 2025-10-01
case_of report 1 mql-report contacts.csv --by channel
case_of channels 1 mql-channels contacts.csv spend.csv
case_of cost 1 mql-cost contacts.csv spend.csv --by channel
case_of score 0 mql-score new.json contacts.csv events.csv --as-of 2026-10-01

# --wide has every column of the csv header, on the table's first line
# (but the csv's own: the level of a row, the backtest's file paths and
# periods' first days, the currency, which the text shows only when there
# is one, and each rate's interval bounds, which the text writes beside the
# rate).
wide_has_csv_columns() {
	local name=$1
	shift
	COLUMNS=60 "$@" --format csv >"$name.csv" 2>/dev/null || fail "$name --format csv exited $?"
	COLUMNS=200 "$@" --format csv 2>/dev/null | cmp -s - "$name.csv" ||
		fail "$name: the csv changes with COLUMNS"
	head -1 "$name.csv" | tr -d '\r' | tr , '\n' | grep -v -e '_low$' -e '_high$' | grep -vx -e level -e rules_file -e period_start -e currency |
		while read -r column; do
			head -1 "$name.wide" | grep -qw -- "$column" ||
				fail "$name --wide lacks column '$column'"
		done || exit 1
}
wide_has_csv_columns backtest mql-backtest rules.json new.json contacts.csv events.csv --from 2025-10-01
wide_has_csv_columns report mql-report contacts.csv --by channel
wide_has_csv_columns channels mql-channels contacts.csv spend.csv
wide_has_csv_columns cost mql-cost contacts.csv spend.csv --by channel
# narrow: the first column and the note naming what was left out
head -1 channels.60 | grep -q '^channel ' || fail "channels at 60 lost its first column"
grep -q 'left out to fit 60 characters' channels.60 || fail "channels at 60 names no column left out"
exit 0
