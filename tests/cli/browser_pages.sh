#!/usr/bin/env bash
# Every page the review writes, opened in headless Chromium as a reader
# would see it (tests/cli/browser_check.py): no JavaScript error, nothing
# wider than a 1280 px window or an A4 page, no content cut or hidden
# behind a scrollbar, no chart text cut or outside its chart, links only to
# pages and CSV files, and a chart on the review page.  The pages checked
# are the committed reports/ and those the current tools write for a small
# generated history; a deliberately broken page must be caught.
# Screenshots and PDF prints stay in the build directory (browser-pages/).
#
# Skipped (77) only when no Chromium is installed and MQL_REQUIRE_BROWSER
# is unset; tools/install-deps.sh installs it.
set -u -o pipefail
fail() { echo "FAIL: $*" >&2; exit 1; }
chromium=${MQL_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$chromium" ]; then
	[ -n "${MQL_REQUIRE_BROWSER:-}" ] && fail "no chromium, and MQL_REQUIRE_BROWSER is set"
	echo "no chromium: skipped"
	exit 77
fi
command -v python3 >/dev/null || fail "no python3"
command -v mql-gen >/dev/null || fail "mql-gen not built"
check="$MQL_SRC/tests/cli/browser_check.py"
shots="$MQL_BIN/../browser-pages"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$shots"
mkdir -p "$shots"

# The broken page: each of its faults must be reported.
python3 "$check" "$chromium" "$shots/broken" "$MQL_FIXTURES/html/broken.html" >"$tmp/broken.out" 2>&1
[ $? -eq 1 ] || fail "the broken page was not reported: $(cat "$tmp/broken.out")"
for fault in 'broken.html (1280 px screen): JavaScript error: ReferenceError: undefined_function' \
	'broken.html (1280 px screen): div.scroll "wide' \
	'broken.html (1280 px screen): p.cut "a sentence far too long' \
	'broken.html (1280 px screen): chart text outside its chart: "a legend that runs off the chart"' \
	'broken.html (1280 px screen): chart text cut: "notebooks-data/rules.…"' \
	'broken.html (1280 px screen): link to notes.md: neither a page nor a CSV file' \
	'broken.html (718 px print): div.scroll "wide'; do
	grep -qF "$fault" "$tmp/broken.out" || fail "not reported: '$fault' in: $(cat "$tmp/broken.out")"
done
! grep -q 'table.csv' "$tmp/broken.out" || fail "a CSV link was refused: $(cat "$tmp/broken.out")"

# The pages of a small generated history, written by the tools as built.
mql-gen --contacts 3000 --seed 7 -o "$tmp/data" >/dev/null 2>&1 || fail "mql-gen exited $?"
"$MQL_SRC/tools/mql-review.sh" --bin "$MQL_BIN" --data "$tmp/data" --out "$tmp/reports" \
	2>"$tmp/review.log" || fail "review exited $?: $(tail -5 "$tmp/review.log")"
python3 "$check" "$chromium" "$shots/generated" --charts index.html=3 "$tmp"/reports/*.html \
	>"$tmp/generated.out" 2>&1 || fail "the generated pages: $(cat "$tmp/generated.out")"

# The committed review, as it is forwarded.
python3 "$check" "$chromium" "$shots/committed" --charts index.html=3 "$MQL_SRC"/reports/*.html \
	>"$tmp/committed.out" 2>&1 || fail "the committed reports/: $(cat "$tmp/committed.out")"
for page in "$MQL_SRC"/reports/*.html; do
	name=$(basename "$page" .html)
	[ -s "$shots/committed/$name.png" ] || fail "no screenshot of $name"
	[ -s "$shots/committed/$name.pdf" ] || fail "no print of $name"
done
echo ok
