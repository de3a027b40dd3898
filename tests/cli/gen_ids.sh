#!/usr/bin/env bash
# mql-gen --ids: integer record numbers and 18-character Salesforce ids,
# unique, the same in contacts.csv and events.csv, the Salesforce ones
# carrying the checksum of their capitals (recomputed here in Python);
# --order time gives the same bytes twice and the contact order's rows.
set -u -o pipefail
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
for ids in integer salesforce; do
  mql-gen --contacts 3000 --seed 4 --ids "$ids" -q -o "$work/$ids" || fail "mql-gen --ids $ids"
done
python3 - "$work" <<'PY' || fail "ids"
import csv, re, sys
work = sys.argv[1]
def check(shape, pattern):
    ids = [r["contact_id"] for r in csv.DictReader(open(f"{work}/{shape}/contacts.csv"))]
    assert len(ids) == 3000 and len(set(ids)) == 3000, shape + ": ids not unique"
    assert all(re.fullmatch(pattern, i) for i in ids), shape + ": " + ids[0]
    seen = {r["contact_id"] for r in csv.DictReader(open(f"{work}/{shape}/events.csv"))}
    assert seen <= set(ids), shape + ": an event names an unknown contact"
    return ids
check("integer", r"[1-9][0-9]{10}")
for i in check("salesforce", r"003[0-9A-Za-z]{15}"):
    # Salesforce's checksum: per 5 characters, bit k set when character k
    # is a capital; the bits index "A".."Z","0".."5".
    suffix = ""
    for chunk in range(3):
        bits = sum(1 << k for k, ch in enumerate(i[5 * chunk:5 * chunk + 5]) if ch.isupper())
        suffix += "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"[bits]
    assert i[15:] == suffix, i
PY
mql-gen --contacts 3000 --seed 4 --ids salesforce --order time -q -o "$work/t1" || fail "time order"
mql-gen --contacts 3000 --seed 4 --ids salesforce --order time -q -o "$work/t2" || fail "time order again"
cmp "$work/t1/events.csv" "$work/t2/events.csv" || fail "time order differs between two runs"
cmp "$work/t1/contacts.csv" "$work/salesforce/contacts.csv" || fail "contacts differ by order"
cmp <(sort "$work/t1/events.csv") <(sort "$work/salesforce/events.csv") || fail "time order changes the rows"
tail -n +2 "$work/t1/events.csv" | cut -d, -f2 | LC_ALL=C sort -c || fail "time order is not sorted"
[ -z "$(ls -A "$work/t1" | grep -v -e csv -e json)" ] || fail "the sort left a scratch file"
mql-gen --contacts 10 --order sideways -q -o "$work/x"; [ $? -eq 2 ] || fail "--order sideways should exit 2"
exit 0
