#!/usr/bin/env bash
# An option with a fixed set of values lists them in --help and in its
# usage error, from the one list the library parses: the values below are
# the spec's, typed here by hand.
set -u -o pipefail
fail() { echo "FAIL: $*" >&2; exit 1; }

# tool option values...: the help line ends with the values, and a value
# outside them exits 2 naming them.
expect_choices() {
	local tool=$1 option=$2
	shift 2
	local list=$1
	if [ $# -gt 1 ]; then
		list=$(printf '%s, ' "${@:1:$#-1}")
		list="${list%, } or ${!#}"
	fi
	local help
	help=$("$tool" --help | grep -E -- "^ +--$option [A-Z]+ ") || fail "$tool --help has no --$option"
	[[ "$help" == *": $list" ]] || fail "$tool --help: --$option does not list '$list': $help"
	local status=0
	"$tool" x.csv y.csv z.csv "--$option" nonsense >/dev/null 2>"$TMPDIR_ERR" || status=$?
	[ "$status" -eq 2 ] || fail "$tool --$option nonsense exited $status, expected 2"
	grep -qF "option '--$option' does not accept 'nonsense' (expected $list)" "$TMPDIR_ERR" ||
		fail "$tool --$option error: $(cat "$TMPDIR_ERR")"
	for value in "$@"; do
		status=0
		"$tool" "--$option" "$value" --help >/dev/null 2>&1 || status=$?
		[ "$status" -eq 0 ] || fail "$tool --$option $value refused"
	done
}
TMPDIR_ERR=$(mktemp)
trap 'rm -f "$TMPDIR_ERR"' EXIT

expect_choices mql-fit label sal sql opportunity customer
expect_choices mql-sql label sal sql opportunity customer
expect_choices mql-channels stage sal sql opportunity customer
expect_choices mql-cost by channel campaign month quarter
expect_choices mql-backtest by month quarter
expect_choices mql-report cohort month quarter
expect_choices mql-check encoding utf-8 windows-1252 latin1
expect_choices mql-check format table csv json md html
exit 0
