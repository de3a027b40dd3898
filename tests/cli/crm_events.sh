#!/usr/bin/env bash
# Activity exports as events files: the Account Engagement (Pardot) visitor
# activities and the Marketo activity log of tests/fixtures/crm are read
# with a preset alone (--preset pardot / marketo, and under --preset
# salesforce too, found by their own columns).  The events per type that
# mql-check counts must be those counted here from the raw CSV.
set -u -o pipefail
command -v python3 >/dev/null || exit 77
fx=$MQL_FIXTURES/crm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# file id-column time-column type-column preset...
check_events() {
	local file=$1 id=$2 time=$3 type=$4
	shift 4
	# the contacts: every id of the export, created before its first event,
	# an MQL the next day (so the data is usable: mql-check exits 0)
	python3 - "$fx/$file" "$id" "$time" >"$tmp/contacts.csv" <<'PY' || fail "cannot list the ids of $file"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
print("contact_id,created_at,mql_at")
for i in sorted({r[sys.argv[2]] for r in rows}):
    print(f"{i},2025-01-01,2025-01-02")
PY
	for preset in "$@"; do
		mql-check "$tmp/contacts.csv" "$fx/$file" --preset "$preset" --format json \
			-o "$tmp/check.json" 2>"$tmp/check.err" ||
			fail "mql-check of $file with --preset $preset exited $?: $(cat "$tmp/check.err")"
		python3 - "$tmp/check.json" "$fx/$file" "$type" "$time" <<'PY' ||
import csv, json, sys
items = {(x["section"], x["item"]): x for x in json.load(open(sys.argv[1]))}
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8", newline="")))
assert items[("files", "events")]["count"] == len(rows), items[("files", "events")]
assert items[("events", "unknown contacts")]["count"] == 0
for kind in {r[sys.argv[3]] for r in rows}:
    want = sum(1 for r in rows if r[sys.argv[3]] == kind)
    assert items[("events", kind)]["count"] == want, (kind, items.get(("events", kind)), want)
first = min(r[sys.argv[4]] for r in rows)[:10]
assert items[("dates", "occurred_at")]["detail"].startswith(first), items[("dates", "occurred_at")]
PY
			fail "$file with --preset $preset: counts differ from the raw file"
	done
}

# What --help lists (made from the presets' own tables) is in the manual.
mql-check --help >"$tmp/help.txt" || fail "mql-check --help exited $?"
python3 - "$tmp/help.txt" "$MQL_SRC/man/mql-check.1" <<'PY' || fail "man/mql-check.1 lacks preset columns that --help lists"
import sys
man = open(sys.argv[2]).read().replace("\\-", "-").replace("\\(em", "-")
lines = [l.strip() for l in open(sys.argv[1]) if " -> " in l]
assert len(lines) > 30, len(lines)
for l in lines:
    left, right = l.split(" -> ", 1)
    name, meaning = right.split(": ", 1)
    assert left + " - " + meaning in man and ".B " + name in man, l
PY

check_events pardot-visitor-activities.csv "Prospect ID" "Created At" "Type Name" pardot salesforce
check_events marketo-activities.csv "Lead ID" "Activity Date" "Activity Type" marketo hubspot
echo ok
