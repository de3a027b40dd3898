#!/usr/bin/env bash
# The byte-level faults of a CSV file (tests/fixtures/csv/, one file each)
# make every command that reads that kind of file exit 65 with
# "mql-x: FILE:LINE:COL: message", read with one thread and with several.
set -euo pipefail
fixtures=$MQL_FIXTURES/csv
data=$MQL_SRC/notebooks-data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

# Good inputs for the other arguments of each command.
head -201 "$data/contacts.csv" >"$tmp/contacts.csv"
head -3000 "$data/events.csv" >"$tmp/events.csv"
head -50 "$data/spend.csv" >"$tmp/spend.csv"
rules=$data/rules.json
mql-fit -q "$tmp/contacts.csv" "$tmp/events.csv" -o "$tmp/model.json"

# The commands reading each kind of file, with @ where it goes.
C=$tmp/contacts.csv E=$tmp/events.csv S=$tmp/spend.csv
contacts_commands=(
	"mql-check @ $E $S" "mql-report @" "mql-fit @ $E -o $tmp/out.json"
	"mql-score $rules @ $E" "mql-backtest $rules $rules @ $E"
	"mql-rules $tmp/model.json --history @ $E -o $tmp/out.json"
	"mql-cost @ $S $E" "mql-channels @ $S")
events_commands=(
	"mql-check $C @ $S" "mql-fit $C @ -o $tmp/out.json"
	"mql-score $rules $C @" "mql-backtest $rules $rules $C @"
	"mql-rules $tmp/model.json --history $C @ -o $tmp/out.json"
	"mql-cost $C $S @ --attribution linear")
spend_commands=("mql-check $C $E @" "mql-cost $C @ $E" "mql-channels $C @")

# run FILE WHERE WORDS COMMAND... : COMMAND (with @ replaced by FILE) exits
# 65 and prints FILE:WHERE: and WORDS.
run() {
	local file=$1 where=$2 words=$3 status=0
	shift 3
	local -a argv=()
	for a in $*; do [ "$a" = @ ] && argv+=("$file") || argv+=("$a"); done
	"${argv[@]}" -q >/dev/null 2>"$tmp/err" || status=$?
	if [ "$status" -ne 65 ] || ! grep -qF "${argv[0]}: $file:$where: " "$tmp/err" ||
		! grep -qF "$words" "$tmp/err"; then
		echo "${argv[*]}: exit $status, expected 65 with $where: $words:" \
			"$(head -c 300 "$tmp/err")" >&2
		failures=$((failures + 1))
	fi
}

# check KIND NAME WHERE WORDS: the fixture KIND-NAME.csv against every
# command reading KIND files (events with one thread and with four).
check() {
	local kind=$1 name=$2 where=$3 words=$4 file=$fixtures/$1-$2.csv
	local -n commands=${kind}_commands
	for cmd in "${commands[@]}"; do
		if [ "$kind" = events ] && [[ "$cmd" =~ ^mql-(check|fit) ]]; then
			run "$file" "$where" "$words" "$cmd --threads 1"
			run "$file" "$where" "$words" "$cmd --threads 4"
		else
			run "$file" "$where" "$words" "$cmd"
		fi
	done
}

check contacts nul 4:8 "NUL byte"
check events nul 4:8 "NUL byte"
check spend nul 4:10 "NUL byte"
check contacts bom 4:1 "byte-order mark past the start of the file"
check events bom 4:1 "byte-order mark past the start of the file"
check spend bom 4:1 "byte-order mark past the start of the file"
check contacts many-fields 4:18 "row has more than 17 fields (expected 17"
check events many-fields 4:5 "row has more than 4 fields (expected 4"
check spend many-fields 4:5 "row has more than 4 fields (expected 4"
check contacts cp1252 4:9 "invalid UTF-8 byte 0xfc (expected UTF-8 text; for a Windows export, try --encoding windows-1252)"
check events cp1252 4:9 "try --encoding windows-1252"
check spend cp1252 4:11 "try --encoding windows-1252"
# UTF-16 (little-endian, a byte-order mark), a surrogate without its pair
# after 8 characters; its column counts 16-bit units
for kind in contacts events spend; do
	check $kind utf16 4:9 "UTF-16 text that is no character (half a surrogate pair"
done

[ "$failures" -eq 0 ]
