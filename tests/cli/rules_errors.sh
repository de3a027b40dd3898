#!/usr/bin/env bash
# mql-rules and mql-backtest refuse what they cannot do with the exit codes
# of the spec: 2 usage, 65 bad input, 66 missing input; nothing half
# written is left behind.
set -u -o pipefail
command -v mql-rules >/dev/null || { echo "mql-rules not built: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
expect() { # code command...
	local want=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	local got=$?
	[ $got -eq "$want" ] || fail "$* exited $got, expected $want: $(cat "$tmp/err")"
}
model="$MQL_FIXTURES/model/spec-example.json"
expect 0 mql-rules --help
expect 66 mql-rules "$tmp/absent.json"
expect 2 mql-rules "$model" --capacity 100
expect 2 mql-rules "$model" --target-precision 0.5 --target-recall 0.5
expect 2 mql-rules "$model" --history c.csv
expect 2 mql-rules "$model" --pdo 0
expect 2 mql-rules "$model" events.csv --history c.csv --capacity 100 --capacity-months 25
grep -q "capacity-months: expected 1 to 24" "$tmp/err" || fail "message: $(cat "$tmp/err")"
expect 2 mql-rules "$model" --window 1e20
grep -q "at most 36500" "$tmp/err" || fail "message: $(cat "$tmp/err")"
printf '{"format": "mqlcal.model/1", "intercept": {"estimate": "x"}}' >"$tmp/bad.json"
expect 65 mql-rules "$tmp/bad.json" -o "$tmp/rules.json"
grep -q "intercept.estimate: expected a finite number" "$tmp/err" || fail "message: $(cat "$tmp/err")"
[ ! -e "$tmp/rules.json" ] || fail "a rule file was written for a bad model"
# the spec example's one operating point has precision 0.6: 0.9 is out of reach
expect 65 mql-rules "$model" --target-precision 0.9 -o "$tmp/rules.json"
grep -q "the best is 0.6" "$tmp/err" || fail "message: $(cat "$tmp/err")"
# and reachable targets work: threshold = round(B (0.3 + 1.5)) with
# B = 20 / ln 2: round(28.8539 x 1.8) = round(51.937) = 52
expect 0 mql-rules "$model" --target-precision 0.5 -o "$tmp/rules.json"
grep -q '"threshold": 52,' "$tmp/rules.json" || fail "threshold: $(grep threshold "$tmp/rules.json")"
# without created_at and without events the history has no length, so no
# MQLs per month: refused, not divided by zero
printf 'contact_id,seniority,mql_at,sal_at\nc1,VP,2026-01-05,2026-01-07\nc2,,2026-02-01,\n' \
	>"$tmp/contacts.csv"
printf 'contact_id,occurred_at,event\n' >"$tmp/events.csv"
expect 65 mql-rules "$model" "$tmp/events.csv" --history "$tmp/contacts.csv" \
	--capacity 10 -o "$tmp/capacity.json"
grep -q "MQLs per month, is unknown" "$tmp/err" || fail "message: $(cat "$tmp/err")"
[ ! -e "$tmp/capacity.json" ] || fail "a rule file was written without a capacity"
expect 2 mql-backtest a.json b.json c.csv
expect 66 mql-backtest "$tmp/rules.json" "$tmp/absent.json" c.csv e.csv
exit 0
