#!/usr/bin/env bash
# A rule file without rules is refitted as the intercept alone: mql-fit
# exits 0 with no coefficients and the intercept's closed-form estimate,
# log(positives / (n - positives)), without touching the empty design
# (the clang UndefinedBehaviorSanitizer build stops on arithmetic on its
# null pointer).
set -u -o pipefail
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
fixtures="$MQL_FIXTURES/fit"
printf '{"format": "mqlcal.rules/1", "threshold": 10, "fit": [], "engagement": []}\n' \
	>"$tmp/empty.json"
mql-fit "$fixtures/history-contacts.csv" "$fixtures/history-events.csv" \
	--rules "$tmp/empty.json" -q -o "$tmp/model.json" 2>"$tmp/err" ||
	fail "mql-fit exited $?: $(cat "$tmp/err")"
[ "$(jq '.coefficients | length' "$tmp/model.json")" = 0 ] || fail "coefficients"
jq -e '(.intercept.estimate - ((.positives / (.n - .positives)) | log)) | fabs < 1e-9' \
	"$tmp/model.json" >/dev/null || fail "intercept: $(jq -c '[.n, .positives, .intercept.estimate]' "$tmp/model.json")"
# the same file with no arrays at all reads the same way
printf '{"format": "mqlcal.rules/1", "threshold": 10}\n' >"$tmp/bare.json"
mql-fit "$fixtures/history-contacts.csv" --rules "$tmp/bare.json" -q \
	-o "$tmp/bare-model.json" 2>"$tmp/err" || fail "bare: exited $?: $(cat "$tmp/err")"
[ "$(jq '.coefficients | length' "$tmp/bare-model.json")" = 0 ] || fail "bare coefficients"
exit 0
