#!/usr/bin/env bash
# mql-rules refuses a scale outside the bounds of points.h with exit 2 and
# the option's name: --pdo from 1 to 1000, --threshold-points from 1 to
# 1e6 (--pdo 1e-300 once gave a rule file of zeros, and 1e300 infinite
# points); a scale that gives a rule more than 1e6 points is bad input.
set -u -o pipefail
command -v mql-rules >/dev/null || { echo "mql-rules not built: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
model="$MQL_FIXTURES/model/spec-example.json"
expect() { # code message options...
	local code=$1 message=$2 status=0
	shift 2
	mql-rules "$model" "$@" -o "$tmp/rules.json" 2>"$tmp/err" >/dev/null || status=$?
	[ "$status" -eq "$code" ] || fail "$*: exit $status, expected $code: $(cat "$tmp/err")"
	grep -qF -- "$message" "$tmp/err" || fail "$*: message: $(cat "$tmp/err")"
	[ ! -e "$tmp/rules.json" ] || fail "$*: wrote a rule file"
}
expect 2 "--pdo: must be a number from 1 to 1000" --pdo 1e-300
expect 2 "--pdo: must be a number from 1 to 1000" --pdo 0.5
expect 2 "--pdo: must be a number from 1 to 1000" --pdo 1e300
expect 2 "--threshold-points: must be a number from 1 to 1e+06" --threshold-points 1e300
expect 2 "--threshold-points: must be a number from 1 to 1e+06" --threshold-points 0.1
# at the bounds: 1000 / ln 2 = 1442.7 points per logit, so demo's 0.8
# is round(1154.2) = 1154 points and the threshold round(1442.7 x 1.8)
# = round(2596.9) = 2597
mql-rules "$model" --pdo 1000 -o "$tmp/rules.json" 2>"$tmp/err" >/dev/null ||
	fail "--pdo 1000: exit $?: $(cat "$tmp/err")"
grep -q '"threshold": 2597,' "$tmp/rules.json" || fail "threshold: $(grep threshold "$tmp/rules.json")"
grep -q '"points": 1154' "$tmp/rules.json" || fail "points: $(grep points "$tmp/rules.json")"
exit 0
