#!/usr/bin/env bash
# mql-check on a real export (tests/fixtures/leads-xeducation.csv): every
# row loads, the trailing empty column is reported, and `--na Select` turns
# the placeholder into missing values.  Expected counts come from Python's
# own csv module reading the same file, not from mqlcal.  The export records
# conversions, not MQL dates (it has no mql_at column), so the verdict is
# "not usable" and every run writes its report, then exits 65.
set -euo pipefail
command -v python3 >/dev/null || exit 77
data="$MQL_FIXTURES/leads-xeducation.csv"
map="$MQL_FIXTURES/xeducation-map.json"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

not_usable() { # mql-check arguments...
	local status=0
	mql-check "$@" 2>"$tmp/err" || status=$?
	[ "$status" -eq 65 ] || { echo "mql-check $*: exit $status, expected 65" >&2; exit 1; }
	grep -q '^mql-check: the data is not usable: outcomes/mql$' "$tmp/err"
}
not_usable "$data" --map "$map" --na Select --format json -o "$tmp/na.json"
not_usable "$data" --map "$map" --format json -o "$tmp/plain.json"
not_usable "$data" --map "$map" --na Select >"$tmp/table.txt"
[ "$(grep -v '^  from:' "$tmp/table.txt" | tail -n 1)" = "verdict: not usable (1 fault)" ]

grep -q "9240 rows, 37 columns" "$tmp/table.txt"
grep -q "^trailing empty column .*unnamed last column is ignored" "$tmp/table.txt"

python3 - "$data" "$tmp/na.json" "$tmp/plain.json" <<'PY'
import csv, json, sys
data, na_path, plain_path = sys.argv[1:]
rows = list(csv.reader(open(data, newline="", encoding="utf-8")))
header, body = rows[0], rows[1:]
assert header[-1] == "" and len(header) == 38, header[-3:]

def missing(name, markers):
    i = header.index(name)
    return sum(1 for r in body if r[i].strip() in markers)

def items(path):
    return {(x["section"], x["item"]): x for x in json.load(open(path))}

na, plain = items(na_path), items(plain_path)
assert na[("files", "contacts")]["count"] == len(body) == 9240
for name in ("Specialization", "City", "Lead Profile", "Country"):
    want_na = missing(name, ("", "Select"))
    assert na[("missing", name)]["count"] == want_na, (name, want_na)
    want_plain = missing(name, ("",))
    got = plain.get(("missing", name), {"count": 0})["count"]
    assert got == want_plain, (name, got, want_plain)
# channel = "Lead Source" by the map; its levels counted as Python counts them
src = header.index("Lead Source")
google = sum(1 for r in body if r[src] == "Google")
assert na[("channels", "Google")]["count"] == google
assert na[("channels", "google")]["count"] == sum(1 for r in body if r[src] == "google")
assert na[("missing", "channel")]["count"] == sum(1 for r in body if r[src] == "")
# no column is named Select-only: Specialization loses the level "Select"
spec_levels = {r[header.index("Specialization")] for r in body} - {"", "Select"}
assert na[("properties", "Specialization")]["count"] == len(spec_levels)
assert na[("properties", "Converted")]["detail"].startswith("numeric")
assert na[("properties", "Lead Origin")]["detail"].startswith("categorical")
PY
