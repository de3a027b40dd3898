#!/usr/bin/env bash
# Every option a tool accepts (its --help, common options included) is in its
# man page, man/mql-TOOL.1, written as roff writes it ("\-\-wide"); -o stands
# for --output.  And every man page is read by man without a warning.
set -u -o pipefail
fail() { echo "FAIL: $*" >&2; exit 1; }
missing=""
for page in "$MQL_SRC"/man/mql-*.1; do
	tool=$(basename "$page" .1)
	# mql-review is a script (tools/mql-review.sh), not a built tool
	[ "$tool" = mql-review ] && continue
	command -v "$tool" >/dev/null || fail "no $tool for $page"
	options=$("$tool" --help | sed -n '/^options:/,/^presets:/p' |
		grep -oE '^ +(-[a-zA-Z], )?--[a-z0-9-]+' | grep -oE -- '--[a-z0-9-]+')
	[ -n "$options" ] || fail "$tool --help lists no options"
	for option in $options; do
		roff=$(printf '%s' "$option" | sed 's/-/\\\\-/g')
		[ "$option" = --output ] && roff='\\-o '
		grep -q -- "$roff\\([^a-z0-9\\\\]\\|\$\\)" "$page" || missing="$missing $tool:$option"
	done
	if command -v man >/dev/null; then
		warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
		[ -z "$warnings" ] || fail "$page: $warnings"
	fi
done
[ -z "$missing" ] || fail "options missing from their man pages:$missing"
echo ok
