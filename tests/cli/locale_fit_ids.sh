#!/usr/bin/env bash
# Discovery judges a column by the numbers the loader read in the file's
# locale: under --locale de a running number written "100.037" is 100037,
# a whole number unique per row, so an id and never a feature; a size
# column "1.000-4.999" beside it is read as 1000 and stays numeric.
set -u -o pipefail
command -v python3 >/dev/null || exit 77
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

python3 - "$tmp/contacts.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("contact_id,created_at,mql_at,sal_at,rejected_at,Lead Nummer,Mitarbeiter\n")
    for i in range(60):
        number = 100000 + 37 * (i + 1)  # 100.037, 100.074, ...
        text = "%d.%03d" % divmod(number, 1000)
        size = "1.000-4.999" if i % 3 else "25-50"
        outcome = ("05.02.2026", "") if i % 2 else ("", "06.02.2026")
        f.write("c%d,02.01.2026,03.02.2026,%s,%s,%s,%s\n"
                % ((i,) + outcome + (text, size)))
PY
printf 'contact_id,occurred_at,event\n' >"$tmp/events.csv"

mql-fit "$tmp/contacts.csv" "$tmp/events.csv" --locale de \
	--properties "Lead Nummer" -q -o "$tmp/model.json" 2>"$tmp/err"
status=$?
[ $status -ne 0 ] || fail "a running number was fitted"
grep -q "unique per row" "$tmp/err" || fail "message: $(cat "$tmp/err")"
mql-check "$tmp/contacts.csv" --locale de --format json -o "$tmp/check.json" ||
	fail "mql-check exited $?"
python3 - "$tmp/check.json" <<'PY' || fail "kinds read wrong"
import json, sys
items = {(x["section"], x["item"]): x for x in json.load(open(sys.argv[1]))}
assert items[("properties", "Lead Nummer")]["detail"].startswith("numeric, 60 distinct values"), items[("properties", "Lead Nummer")]
assert items[("properties", "Mitarbeiter")]["detail"].startswith("numeric"), items[("properties", "Mitarbeiter")]
PY
echo "ok"
