#!/usr/bin/env bash
# Progress on a terminal: mql-fit with stderr on a pseudo-terminal (script
# from util-linux) shows how much of each file it has read (percent of
# bytes, rate); with stderr on a file, or with -q, it shows nothing.
set -u -o pipefail
command -v mql-gen >/dev/null || { echo "mql-gen not built: skipped"; exit 77; }
command -v script >/dev/null || { echo "script (util-linux) missing: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$tmp" || fail "no $tmp"
mql-gen --contacts 3000 --seed 3 -o . >/dev/null 2>&1 || fail "mql-gen exited $?"
fit="mql-fit contacts.csv events.csv --rules rules.json --label sal --holdout-from 2025-10-01"

# under a terminal: only stderr reaches it (stdout goes to a file)
script -qec "$fit -o a.json >a.out" terminal.log </dev/null >/dev/null 2>&1 ||
	fail "mql-fit under a terminal exited $?: $(tail -c 300 terminal.log)"
grep -aq 'mql-fit: reading events\.csv  *[0-9]*% of [0-9.]* MB' terminal.log ||
	fail "no progress line for events.csv: $(tr '\r' '\n' <terminal.log | head -5)"
grep -aq 'reading events\.csv 100% of' terminal.log ||
	fail "the progress of events.csv never reaches 100%"
grep -aq 'MB/s' terminal.log || fail "no rate in the progress line"
[ -s a.json ] || fail "no model under a terminal"

# -q under a terminal: nothing
script -qec "$fit -q -o b.json >b.out" quiet.log </dev/null >/dev/null 2>&1 ||
	fail "mql-fit -q under a terminal exited $?"
grep -aq '% of' quiet.log && fail "progress shown with -q"

# stderr not a terminal: nothing
$fit -o c.json >c.out 2>c.err || fail "mql-fit exited $?"
grep -aq '% of' c.err && fail "progress shown on a file: $(head -3 c.err)"
grep -aq $'\r' c.err && fail "a carriage return on a file"
cmp -s a.json c.json || fail "the model differs under a terminal"
exit 0
