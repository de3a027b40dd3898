#!/usr/bin/env bash
# Every command refuses an output (-o, --ledger, --html, --rows) that is
# one of its own inputs (a positional file, --map, --rules, --previous,
# --history, --features), named directly, through a symbolic link or by a
# hard link: exit 2 with one message, before any work, inputs unchanged.
set -u -o pipefail
command -v mql-gen >/dev/null || { echo "mql-gen not built: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mql-gen --contacts 300 --seed 5 -o "$tmp" -q || fail "mql-gen exited $?"
cd "$tmp" || fail "cd"
mql-fit contacts.csv events.csv --rules rules.json -o model.json -q ||
	fail "mql-fit exited $?"
cp rules.json new.json
printf '{}\n' >map.json
ln -s contacts.csv soft.csv
ln contacts.csv hard.csv
cp contacts.csv features.csv # stands for mql-sql's table: never read here
sha256sum contacts.csv events.csv spend.csv rules.json new.json model.json \
	map.json features.csv >sums
# refuse TARGET COMMAND...: COMMAND (which writes TARGET) must exit 2 with
# the message and leave every input as it was.
refuse() {
	local target=$1 name=$2
	shift
	"$@" >out 2>err
	local got=$?
	[ "$got" -eq 2 ] || fail "$* exited $got, expected 2: $(cat err)"
	[ "$(cat err)" = "$name: refusing to write '$target': it is an input of this run" ] ||
		fail "$*: message: $(cat err)"
	sha256sum --quiet -c sums || fail "$*: an input changed"
	[ ! -s out ] || fail "$*: work was done: $(head -c 200 out)"
	ls -A | grep -q '^\.' && fail "$*: a temporary file was left"
	return 0
}
refuse contacts.csv mql-check contacts.csv events.csv spend.csv -o contacts.csv
refuse events.csv mql-check contacts.csv events.csv spend.csv -o events.csv
refuse spend.csv mql-check contacts.csv events.csv spend.csv -o spend.csv
refuse map.json mql-check contacts.csv --map map.json -o map.json
refuse soft.csv mql-check contacts.csv -o soft.csv
refuse hard.csv mql-check contacts.csv -o hard.csv
refuse "$tmp/contacts.csv" mql-check ./contacts.csv -o "$tmp/contacts.csv"
refuse contacts.csv mql-report contacts.csv -o contacts.csv
refuse soft.csv mql-report contacts.csv --format csv -o soft.csv
refuse map.json mql-report contacts.csv --map map.json -o map.json
refuse contacts.csv mql-channels contacts.csv spend.csv -o contacts.csv
refuse spend.csv mql-channels contacts.csv spend.csv -o spend.csv
refuse hard.csv mql-channels contacts.csv spend.csv -o hard.csv
refuse contacts.csv mql-cost contacts.csv spend.csv events.csv -o contacts.csv
refuse spend.csv mql-cost contacts.csv spend.csv events.csv -o spend.csv
refuse events.csv mql-cost contacts.csv spend.csv events.csv -o events.csv
refuse contacts.csv mql-fit contacts.csv events.csv -o contacts.csv
refuse events.csv mql-fit contacts.csv events.csv -o events.csv
refuse rules.json mql-fit contacts.csv events.csv --rules rules.json -o rules.json
refuse map.json mql-fit contacts.csv --map map.json -o map.json
refuse features.csv mql-fit contacts.csv --rules rules.json \
	--features features.csv -o features.csv
refuse rules.json mql-sql features rules.json -o rules.json
refuse model.json mql-rules model.json -o model.json
refuse rules.json mql-rules model.json --previous rules.json -o rules.json
refuse contacts.csv mql-rules model.json events.csv --history contacts.csv -o contacts.csv
refuse events.csv mql-rules model.json events.csv --history contacts.csv -o events.csv
refuse contacts.csv mql-rules model.json events.csv --history contacts.csv \
	--rows contacts.csv -o "$tmp/out.json"
refuse rules.json mql-score rules.json contacts.csv events.csv -o rules.json
refuse contacts.csv mql-score rules.json contacts.csv events.csv -o contacts.csv
refuse events.csv mql-score rules.json contacts.csv events.csv -o events.csv
refuse events.csv mql-score rules.json contacts.csv events.csv \
	--ledger events.csv -o "$tmp/scores.csv"
refuse soft.csv mql-score rules.json contacts.csv --ledger soft.csv
refuse rules.json mql-backtest rules.json new.json contacts.csv events.csv -o rules.json
refuse new.json mql-backtest rules.json new.json contacts.csv events.csv -o new.json
refuse contacts.csv mql-backtest rules.json new.json contacts.csv events.csv -o contacts.csv
refuse events.csv mql-backtest rules.json new.json contacts.csv events.csv -o events.csv
refuse new.json mql-backtest rules.json new.json contacts.csv events.csv \
	--html new.json -o "$tmp/table.txt"
[ ! -e scores.csv ] && [ ! -e table.txt ] && [ ! -e out.json ] ||
	fail "an output was written by a refused run"
# Two outputs of one run naming one file: the second would replace the
# first, so the run is refused before any work (by name, and through a
# link to an existing file).
both_out=$(mql-score rules.json contacts.csv events.csv --ledger twice.csv \
	-o twice.csv 2>&1) && fail "mql-score wrote two outputs to one file"
case "$both_out" in *"another output of this run writes the same file"*) ;;
*) fail "unexpected message: $both_out" ;; esac
: >kept.csv
ln -s kept.csv link.csv
mql-score rules.json contacts.csv events.csv --ledger kept.csv -o link.csv \
	>/dev/null 2>&1 && fail "mql-score wrote two outputs to one file through a link"
[ ! -e twice.csv ] && [ ! -s kept.csv ] || fail "a refused run wrote an output"
# An output beside the inputs is written as usual.
mql-report contacts.csv --format csv -o report.csv || fail "mql-report exited $?"
[ -s report.csv ] || fail "report.csv empty"
echo ok
