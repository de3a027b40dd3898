#!/usr/bin/env bash
# SIGTERM or SIGINT in the middle of writing: the temporary files are
# removed, no output appears, and the command dies of the signal (exit
# status 128 + its number, as the shell reports it).
set -u -o pipefail
command -v mql-gen >/dev/null || { echo "mql-gen not built: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
set -m # background commands keep SIGINT's default action
# interrupt SIGNAL STATUS: starts a large mql-gen, signals it once its
# events temporary holds data, and checks what is left.
interrupt() {
	local signal=$1 expected=$2 dir="$tmp/$1" temp="" status
	mql-gen --contacts 300000 --seed 2 -o "$dir" -q &
	local pid=$!
	for _ in $(seq 400); do
		temp=$(find "$dir" -name '.events.csv.??????' -size +64k 2>/dev/null)
		[ -n "$temp" ] && break
		sleep 0.02
	done
	[ -n "$temp" ] || { kill "$pid"; fail "$signal: no temporary seen"; }
	kill "-$signal" "$pid"
	wait "$pid"
	status=$?
	[ "$status" -eq "$expected" ] || fail "$signal: exit status $status, expected $expected"
	left=$(find "$dir" -name '.*')
	[ -z "$left" ] || fail "$signal: temporaries left: $left"
	[ ! -e "$dir/events.csv" ] || fail "$signal: an output was committed"
}
interrupt TERM 143
interrupt INT 130
echo ok
