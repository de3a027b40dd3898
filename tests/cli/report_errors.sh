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
printf 'contact_id,created_at\n1,2026-01-01\n1,2026-01-02\n' >"$tmp/dup.csv"
expect 65 mql-report "$tmp/dup.csv" -o "$tmp/out.csv"
[ ! -e "$tmp/out.csv" ] || fail "a failed run left $tmp/out.csv"
ls -A "$tmp" | grep -q '^\.' && fail "a temporary file was left behind"
mql-report --version | grep -q '^mql-report (mqlcal) ' || fail "version line"
echo ok
