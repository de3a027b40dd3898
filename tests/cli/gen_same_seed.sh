#!/usr/bin/env bash
# mql-gen: the same seed gives byte-identical files, another seed does not;
# usage errors exit 2 and a failed run leaves no file behind.
set -u
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

mql-gen --contacts 20000 --seed 1 -q -o "$work/a" || fail "first run"
mql-gen --contacts 20000 --seed 1 -q -o "$work/b" || fail "second run"
for f in contacts.csv events.csv spend.csv rules.json truth.json; do
  [ -s "$work/a/$f" ] || fail "$f is empty"
  cmp "$work/a/$f" "$work/b/$f" || fail "$f differs between two runs"
done
mql-gen --contacts 20000 --seed 2 -q -o "$work/c" || fail "seed 2"
cmp -s "$work/a/events.csv" "$work/c/events.csv" && fail "seed 2 gives seed 1's events"

# 20,000 contacts, one header line each file.
[ "$(wc -l < "$work/a/contacts.csv")" -eq 20001 ] || fail "contacts.csv rows"

mql-gen --contacts 10 --seed 1 -q; [ $? -eq 2 ] || fail "missing -o should exit 2"
mql-gen --contacts 0 --seed 1 -q -o "$work/d"; [ $? -eq 2 ] || fail "--contacts 0 should exit 2"
mql-gen --contacts 10 --seed -3 -q -o "$work/d"; [ $? -eq 2 ] || fail "negative seed should exit 2"
mql-gen --contacts x -q -o "$work/d"; [ $? -eq 2 ] || fail "--contacts x should exit 2"
[ -z "$(ls -A "$work/d" 2>/dev/null)" ] || fail "a failed run left files in $work/d"
touch "$work/file"
mql-gen --contacts 10 -q -o "$work/file"; [ $? -eq 74 ] || fail "output over a file should exit 74"
mql-gen --help | grep -q "example" || fail "--help shows an example"
exit 0
