#!/usr/bin/env bash
# mql-gen --drift: the last quarter's leads come from a shifted population
# (far more content syndication, junior, less intent): the old rules' score
# distribution shifts (PSI > 0.25), and truth.json says so.  Without
# --drift the same check finds a stable score (PSI < 0.1).
set -u
command -v python3 >/dev/null || { echo "python3 not installed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mql-gen --contacts 8000 --seed 3 --drift -q -o "$work" || { echo "FAIL: mql-gen"; exit 1; }
python3 "$MQL_SRC/tests/cli/gen_check.py" "$work" --drift || exit 1
mql-gen --contacts 8000 --seed 3 -q -o "$work/stable" || { echo "FAIL: mql-gen"; exit 1; }
python3 "$MQL_SRC/tests/cli/gen_check.py" "$work/stable" --stable
