#!/usr/bin/env bash
# mql-rules --previous on the generator's deliberately wrong old rule file:
# the change table must name the rules whose truth differs most from their
# old points.  Refit the old file's structure on a generated history, then
# compare its change table with truth.json, read here by jq: each old rule
# is matched to the true coefficient it stands for (the same event, or the
# same property and values), whose true points are b x 20 / ln 2.  The three
# old rules furthest from their truth must be among the table's first five
# rows and move toward the truth; the two closest to it must be in the
# second half.
set -u -o pipefail
command -v mql-gen >/dev/null || { echo "mql-gen not built: skipped"; exit 77; }
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mql-gen --contacts 10000 --seed 3 -o "$tmp" >/dev/null 2>&1 || fail "mql-gen exited $?"
cd "$tmp" || fail "cd"
mql-fit contacts.csv events.csv --rules rules.json -o model.json -q || fail "mql-fit exited $?"
# The ranking against the truth takes every fitted point (--refit-all);
# by default a rule whose 95% CI covers its old weight keeps its points,
# checked below against model.json by formula.
mql-rules model.json --previous rules.json --refit-all --format csv -o new.json >changes.csv ||
	fail "mql-rules exited $?"
mql-rules model.json --previous rules.json --format csv -o kept.json >kept.csv ||
	fail "mql-rules exited $?"
# kept = ci_low <= old points / B <= ci_high, B = 20 / ln 2 (the default pdo)
jq -r --slurpfile old rules.json '
	($old[0].fit + $old[0].engagement) as $rules
	| .coefficients[] | . as $c
	| ($rules | map(select(.id == $c.name))[0].points) as $p
	| select($p != null)
	| [$c.name, $p, (if ($c.ci_low <= $p / (20 / (2 | log)) and $p / (20 / (2 | log)) <= $c.ci_high) then "kept" else "refit" end)]
	| @tsv' model.json | sort >expected_kept.tsv
[ "$(grep -c kept expected_kept.tsv)" -ge 1 ] || fail "no rule's CI covers its old weight: the check would not test keeping"
[ "$(grep -c refit expected_kept.tsv)" -ge 1 ] || fail "every rule kept: the check would not test refitting"
while IFS=$'\t' read -r id old verdict; do
	now=$(jq --arg id "$id" '[.fit[], .engagement[]] | map(select(.id == $id))[0].points' kept.json)
	flags=$(awk -F, -v i="$id" '$1 == i' kept.csv)
	if [ "$verdict" = kept ]; then
		[ "$now" = "$old" ] || fail "$id should keep $old points, has $now"
		case "$flags" in *kept*) ;; *) fail "$id kept but not flagged: $flags" ;; esac
	else
		case "$flags" in *kept*) fail "$id flagged kept though its CI excludes $old" ;; esac
	fi
done <expected_kept.tsv
# old rule id -> true coefficient ("none": the truth has no such effect)
cat >map.txt <<'MAP'
demo demo_request
pricing pricing_page_view
download content_download
webinar webinar_attended
click email_click
open email_open
visit web_visit
unsub unsubscribe
seniority_vp seniority_exec
size_1000 size_large
industry_education industry_public
title_director seniority_director
country_us none
MAP
# id, old points, true points, |difference|; furthest first
while read -r id truth_id; do
	old=$(jq --arg id "$id" '[.fit[], .engagement[]] | map(select(.id == $id))[0].points' rules.json)
	true_points=$(jq --arg t "$truth_id" '(.coefficients[$t] // 0) * 20 / (2 | log)' truth.json)
	awk -v i="$id" -v o="$old" -v t="$true_points" \
		'BEGIN { d = t - o; printf "%s %s %.3f %.3f\n", i, o, t, d < 0 ? -d : d }'
done <map.txt | sort -k4,4gr >truth_rank.txt
[ "$(wc -l <truth_rank.txt)" -eq 13 ] || fail "truth ranking: $(cat truth_rank.txt)"
# the change table's order (rule is column 1; change column 4)
tail -n +2 changes.csv | cut -d, -f1 >table_order.txt
position() { grep -n -x "$1" table_order.txt | cut -d: -f1; }
rows=$(wc -l <table_order.txt)
head -3 truth_rank.txt | while read -r id old true_points _; do
	pos=$(position "$id")
	[ -n "$pos" ] && [ "$pos" -le 5 ] ||
		fail "$id (old $old, truth $true_points) is row ${pos:-none} of the change table"
	change=$(awk -F, -v i="$id" '$1 == i { print $4 }' changes.csv)
	awk -v c="$change" -v o="$old" -v t="$true_points" 'BEGIN { exit !((t - o) * c > 0) }' ||
		fail "$id moved $change, but the truth is $true_points against $old"
done || exit 1
tail -2 truth_rank.txt | while read -r id _; do
	pos=$(position "$id")
	[ "$pos" -gt $((rows / 2)) ] || fail "$id is close to its truth, yet row $pos of $rows"
done || exit 1
exit 0
