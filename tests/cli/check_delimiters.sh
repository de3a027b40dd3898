#!/usr/bin/env bash
# Without --delimiter the header decides the separator: the same contacts
# written with ',', ';' (a German spreadsheet's CSV, with decimal commas
# in its rows), tabs and '|' give mql-report the same bytes.  A header
# split by commas stays comma-separated though a name holds ';', and a
# separator given with --delimiter is used as told.
set -u -o pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
rows=(
	'contact_id,created_at,channel,campaign,mql_at,sal_at'
	'c1,2026-01-05,paid,launch,2026-01-20,2026-01-25'
	'c2,2026-01-06,web,blog,2026-01-21,'
	'c3,2026-01-07,web,blog,,'
	'c4,2026-01-08,events,"fair, spring",2026-01-22,2026-01-30'
)
printf '%s\n' "${rows[@]}" >"$tmp/comma.csv"
mql-report "$tmp/comma.csv" --format csv -q -o "$tmp/comma.out" ||
	fail "comma: exit $?"
for name in semicolon tab pipe; do
	case $name in
	semicolon) sep=';' ;;
	tab) sep=$'\t' ;;
	pipe) sep='|' ;;
	esac
	# the quoted comma stays inside its field
	printf '%s\n' "${rows[@]}" | sed "s/,/$sep/g; s/\"fair$sep spring\"/\"fair, spring\"/" \
		>"$tmp/$name.csv"
	mql-report "$tmp/$name.csv" --format csv -q -o "$tmp/$name.out" 2>"$tmp/err" ||
		fail "$name: exit $?: $(cat "$tmp/err")"
	cmp -s "$tmp/comma.out" "$tmp/$name.out" || fail "$name: not the comma file's report"
done
grep -q '^group,events,1,1,1' "$tmp/comma.out" || fail "the quoted campaign: $(cat "$tmp/comma.out")"

# a German export: ';' apart, decimal commas, read with its locale
printf '%s\n' 'contact_id;created_at;company_size;mql_at' 'a;05.01.2026;1,5;20.01.2026' \
	'b;06.01.2026;12,25;' >"$tmp/german.csv"
mql-check "$tmp/german.csv" --locale de -q >"$tmp/german.out" 2>"$tmp/err" ||
	fail "german: exit $?: $(cat "$tmp/err")"
grep -q "german.csv: 2 rows, 4 columns" "$tmp/german.out" || fail "german: $(cat "$tmp/german.out")"
grep -Eq "^company_size +2 +numeric" "$tmp/german.out" || fail "german sizes: $(cat "$tmp/german.out")"

# commas split the header: a ';' inside a name does not make it a
# semicolon file
printf '%s\n' 'contact_id,created_at,notes;extra' 'a,2026-01-05,x;y' >"$tmp/mixed.csv"
mql-report "$tmp/mixed.csv" --format csv -q -o "$tmp/mixed.out" 2>"$tmp/err" ||
	fail "mixed: exit $?: $(cat "$tmp/err")"

# told: the comma file read with ';' is one column
mql-report "$tmp/comma.csv" --delimiter ';' -q -o "$tmp/told.out" 2>"$tmp/err"
[ $? -eq 65 ] || fail "--delimiter ';' on a comma file: not refused"
grep -q "missing column 'contact_id'" "$tmp/err" || fail "told: $(cat "$tmp/err")"
exit 0
