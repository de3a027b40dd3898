#!/usr/bin/env bash
# mql-gen --drift: the last quarter's leads come from a shifted population
# (far more content syndication), and truth.json says so.
set -u
command -v python3 >/dev/null || { echo "python3 not installed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mql-gen --contacts 8000 --seed 3 --drift -q -o "$work" || { echo "FAIL: mql-gen"; exit 1; }
python3 "$MQL_SRC/tests/cli/gen_check.py" "$work" --drift
