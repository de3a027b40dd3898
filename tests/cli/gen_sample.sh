#!/usr/bin/env bash
# The committed sample in notebooks-data/ is exactly what the command in
# notebooks-data/README.md writes: regenerate it and compare byte for byte.
set -u
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
grep -q "mql-gen --contacts 20000 --seed 2026 --event-scale 0.7 -o notebooks-data" \
  "$MQL_SRC/notebooks-data/README.md" || { echo "FAIL: README command changed"; exit 1; }
mql-gen --contacts 20000 --seed 2026 --event-scale 0.7 -q -o "$work" || { echo "FAIL: mql-gen"; exit 1; }
for f in contacts.csv events.csv spend.csv rules.json truth.json; do
  cmp "$work/$f" "$MQL_SRC/notebooks-data/$f" ||
    { echo "FAIL: notebooks-data/$f is not what mql-gen writes: regenerate it"; exit 1; }
done
exit 0
