#!/usr/bin/env bash
# mql-gen: the history agrees with its truth.json and rules.json, checked by
# an independent implementation of the score formula (gen_check.py):
# mql_at is the old rules' first crossing, acceptance per channel matches the
# true model as of mql_at, event counts match their rates, and the history
# has the channel sales rejects, the small campaign and open outcomes.
set -u
command -v python3 >/dev/null || { echo "python3 not installed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mql-gen --contacts 20000 --seed 7 -q -o "$work" || { echo "FAIL: mql-gen"; exit 1; }
python3 "$MQL_SRC/tests/cli/gen_check.py" "$work"
