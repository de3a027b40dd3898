#!/usr/bin/env bash
# mql-report's exit codes, and -o never leaving a partial file.
set -u -o pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
contacts="$MQL_FIXTURES/funnel/contacts.csv"
expect() {
	local code=$1
	shift
	"$@" >/dev/null 2>"$tmp/err"
	local got=$?
	[ "$got" -eq "$code" ] || fail "$* exited $got, expected $code: $(cat "$tmp/err")"
}
expect 0 mql-report "$contacts" --as-of 2026-03-31
expect 0 mql-report --help
expect 0 mql-report --version
expect 2 mql-report
expect 2 mql-report "$contacts" --by no_such_column
expect 2 mql-report "$contacts" --by a,b,c
expect 2 mql-report "$contacts" --as-of 31.03.2026
expect 2 mql-report "$contacts" --cohort week
expect 2 mql-report "$contacts" --format xml
expect 66 mql-report "$tmp/missing.csv"
expect 74 mql-report "$contacts" -o "$tmp/no/such/dir/out.csv"
printf 'contact_id,created_at\n1,2026-01-01\n1,2026-01-02\n' >"$tmp/dup.csv"
expect 65 mql-report "$tmp/dup.csv" -o "$tmp/out.csv"
[ ! -e "$tmp/out.csv" ] || fail "a failed run left $tmp/out.csv"
grep -q "^mql-report: $tmp/dup.csv:3:1: duplicate contact_id" "$tmp/err" ||
	fail "message without the place: $(cat "$tmp/err")"
printf 'contact_id,created_at\n1,2026-01-01\n2,soon\n' >"$tmp/bad.csv"
expect 65 mql-report "$tmp/bad.csv"
grep -q "^mql-report: $tmp/bad.csv:3:2: cannot parse 'soon'" "$tmp/err" ||
	fail "message without the place: $(cat "$tmp/err")"
expect 2 mql-report "$contacts" --frobnicate
grep -q "^usage: mql-report contacts.csv" "$tmp/err" || fail "usage error without synopsis"
ls -A "$tmp" | grep -q '^\.' && fail "a temporary file was left behind"
mql-report --version | grep -q '^mql-report (mqlcal) ' || fail "version line"
echo ok
