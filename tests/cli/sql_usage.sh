#!/usr/bin/env bash
# mql-sql and mql-fit --features refuse what they cannot do, with exit 2
# (usage) or 65 (bad input), and name the fault.
set -euo pipefail
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cat >"$T/rules.json" <<'JSON'
{"format": "mqlcal.rules/1", "threshold": 10,
 "fit": [{"id": "vp", "property": "seniority", "op": "in", "values": ["VP"], "points": 10}],
 "engagement": [{"id": "demo", "event": "demo_request", "points": 5}]}
JSON
expect() { # status, pattern, command...
	local want=$1 pattern=$2
	shift 2
	set +e
	"$@" >"$T/out" 2>"$T/err"
	local got=$?
	set -e
	if [ "$got" -ne "$want" ] || ! grep -q -- "$pattern" "$T/err"; then
		echo "$*: exit $got (expected $want), stderr:" >&2
		cat "$T/err" >&2
		exit 1
	fi
}
expect 2 "unknown query 'feature'" mql-sql feature "$T/rules.json"
expect 2 "label is for the features" mql-sql scores "$T/rules.json" --label sql
expect 2 "dialect" mql-sql features "$T/rules.json" --dialect oracle
expect 2 "window" mql-sql features "$T/rules.json" --label sql --window 0
expect 2 "needs the --rules" mql-fit --features "$T/f.csv"
expect 2 "half-lives auto" mql-fit --features "$T/f.csv" --rules "$T/rules.json" --half-lives auto
expect 2 "contacts.csv is required" mql-fit --rules "$T/rules.json"
printf 'contact_id,sal,mql_at,as_of,vp\nC1,1,2026-01-01,2026-02-01,1\n' >"$T/f.csv"
expect 65 "no column 'demo'" mql-fit --features "$T/f.csv" --rules "$T/rules.json"
printf 'contact_id,sql,mql_at,as_of,vp,demo\nC1,1,2026-01-01,2026-02-01,1,0\n' >"$T/f.csv"
expect 2 "outcome is 'sql', not --label sal" mql-fit --features "$T/f.csv" --rules "$T/rules.json" --label sal
mql-sql --help | grep -q "postgres (tested)"

# The query's name is a word, not an input: with a file named 'features' in
# the working directory, -o features replaces it with the query, while -o
# onto the rule file (an input) is still refused.
mkdir "$T/cwd"
printf 'old\n' >"$T/cwd/features"
(cd "$T/cwd" && mql-sql features ../rules.json -o features)
grep -q '^SELECT\|^WITH\|^--' "$T/cwd/features"
! grep -qx old "$T/cwd/features"
(cd "$T/cwd" && mql-sql scores ../rules.json -o scores)
[ -s "$T/cwd/scores" ]
expect 2 "refusing to write" mql-sql features "$T/rules.json" -o "$T/rules.json"
