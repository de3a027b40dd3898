#!/usr/bin/env bash
# mql-review.sh - the quarterly review of a lead score, as one command.
#
#   tools/mql-review.sh [--bin DIR] [--data DIR] [--out DIR] [--preset hubspot|salesforce]
#                       [--contacts FILE] [--events FILE] [--spend FILE] [--rules FILE]
#                       [--label sal|sql|opportunity|customer] [--holdout-months N]
#                       [--capacity N] [--currency CODE] [--rejected-status VALUE]...
#                       [--locale L] [--encoding E] [--map FILE] [--na TEXT]
#                       [--delimiter C] [--date-format FMT]
# The reading options after --currency are handed to every command as they
# are (see any command's --help); --currency names the currency of every
# amount (default: the spend file's currency column, else none).
#
# From a history (the committed sample in notebooks-data/ by default) it runs
# check, fit, rules (against the rule file in use), backtest, report, channels
# and cost; writes every report into --out (HTML, Markdown, text), the
# notebook-friendly CSV/JSON into DATA/review/, and the summary page,
# OUT/index.html (mql-review-page): what to do, key figures and charts,
# linking the other pages and the CSV files.  Any step that fails stops the review with
# its name and exit code.
#
# The fit learns from the months before the last --holdout-months (6) and the
# backtest judges the old and the new rule file on those held-out months.  The
# new threshold keeps the MQL volume sales handles today (--capacity, by
# default the current MQLs per month), so the comparison is about quality.
# The fit's label is sal: accepted (for HubSpot and Salesforce, which have no
# SAL stage, reaching SQL) against rejected (for them, a rejected Lead Status).
# An export in which no MQL was ever rejected has no negatives for it: the
# review then fits --label sql unless told otherwise.
set -u -o pipefail
# The text reports are files read on any screen: the same 100 columns on
# every machine, whatever the terminal this runs in.
export COLUMNS=100

bin=build/bin data=notebooks-data out=reports preset=""
contacts="" events="" spend="" rules="" holdout_months=6 capacity="" label="" currency=""
readopt=()
usage() {
	sed -n '4,9p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--bin) bin=$2; shift 2 ;;
	--data) data=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--preset) preset=$2; shift 2 ;;
	--contacts) contacts=$2; shift 2 ;;
	--events) events=$2; shift 2 ;;
	--spend) spend=$2; shift 2 ;;
	--rules) rules=$2; shift 2 ;;
	--holdout-months) holdout_months=$2; shift 2 ;;
	--capacity) capacity=$2; shift 2 ;;
	--currency) currency=$2; shift 2 ;;
	--label) label=$2; shift 2 ;;
	--rejected-status | --locale | --encoding | --map | --na | --delimiter | --date-format)
		[ $# -ge 2 ] || usage
		readopt+=("$1" "$2"); shift 2 ;;
	-h | --help) sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "mql-review: unknown option '$1'" >&2; usage ;;
	esac
done
contacts=${contacts:-$data/contacts.csv}
events=${events:-$data/events.csv}
spend=${spend:-$data/spend.csv}
rules=${rules:-$data/rules.json}
notebook=$data/review
csvopt=("${readopt[@]}")
[ -n "$preset" ] && csvopt+=(--preset "$preset")
moneyopt=()
[ -n "$currency" ] && moneyopt=(--currency "$currency")

fail() {
	echo "mql-review: $*" >&2
	exit 1
}
for tool in check fit rules backtest report channels cost review-page; do
	[ -x "$bin/mql-$tool" ] || fail "no '$bin/mql-$tool': build first (make build)"
done
[ -r "$contacts" ] || fail "cannot read '$contacts'"
mkdir -p "$out" "$notebook" || fail "cannot create '$out' and '$notebook'"
work=$(mktemp -d) || fail "cannot create a temporary directory"
trap 'rm -rf "$work"' EXIT

# Runs one step: step NAME COMMAND...; its stderr is kept for the summary.
step() {
	local name=$1
	shift
	echo "mql-review: $name" >&2
	"$@" >"$work/$name.out" 2>"$work/$name.err"
	local code=$?
	if [ $code -ne 0 ]; then
		cat "$work/$name.err" >&2
		fail "step '$name' failed (exit $code): $*"
	fi
}

# Exports without an events file still get a review (fit rules only).
if [ ! -r "$events" ]; then
	printf 'contact_id,occurred_at,event\n' >"$work/events.csv"
	events=$work/events.csv
fi
spend_args=()
[ -r "$spend" ] && spend_args=("$spend")
have_rules=0
[ -r "$rules" ] && have_rules=1
# The summary page reads back what the steps wrote: outputs of an earlier
# review whose step does not run this time (no rule file, no spend file)
# must not stand in for this one's.
[ $have_rules -eq 1 ] || rm -f "$notebook/backtest.csv" "$notebook/equal-volume.csv" \
	"$out/backtest.html" "$out/backtest.txt"
[ ${#spend_args[@]} -gt 0 ] || rm -f "$notebook/cost.csv" "$notebook/cost-by-quarter.csv" \
	"$out/cost.html"

# 1. check: what is in the exports.  Dates after the history's last day
# count as future; judging them against the clock instead would make the
# same history give different reports on different days.
step check-span "$bin/mql-check" "$contacts" "$events" "${spend_args[@]}" "${csvopt[@]}" \
	--format csv -o "$work/check.csv"
# check.csv ends with first and last, each date range's first and last day
# (ISO 8601), after a detail that may hold commas: counted from the end.
last_day=$(awk -F, '{ sub(/\r$/, "") } $1 == "dates" && $NF > last { last = $NF } END { print last }' \
	"$work/check.csv")
[ -n "$last_day" ] || fail "no dates in '$contacts'"
check_as_of=$(date -u -d "$last_day +1 day" +%Y-%m-%d) || fail "bad date '$last_day'"
step check "$bin/mql-check" "$contacts" "$events" "${spend_args[@]}" "${csvopt[@]}" \
	--as-of "$check_as_of" --format csv -o "$notebook/check.csv"
step check-md "$bin/mql-check" "$contacts" "$events" "${spend_args[@]}" "${csvopt[@]}" \
	--as-of "$check_as_of" --format md -o "$out/check.md"

# The history's span, from the check: first lead and last MQL.
span() { # item -> "first last"
	awk -F, -v item="$1" '{ sub(/\r$/, "") } $1 == "dates" && $2 == item { print $(NF - 1), $NF }' \
		"$notebook/check.csv"
}
read -r first_lead last_lead <<<"$(span created_at)"
read -r _ last_mql <<<"$(span mql_at)"
[ -n "${last_mql:-}" ] || fail "the history has no MQLs (mql_at): nothing to review"
holdout_from=$(date -u -d "$last_mql -$holdout_months months" +%Y-%m-01) ||
	fail "cannot compute the holdout date from '$last_mql'"
mqls=$(awk -F, '$1 == "stages" && $2 == "mql_at" { print $3 }' "$notebook/check.csv")
rejected=$(awk -F, '$1 == "outcomes" && $2 == "rejected" { print $3 }' "$notebook/check.csv")
[ -z "$label" ] && [ "${rejected:-0}" = 0 ] && label=sql
label=${label:-sal}
if [ -z "$capacity" ]; then
	days=$(( ($(date -u -d "$last_lead" +%s) - $(date -u -d "$first_lead" +%s)) / 86400 + 1 ))
	capacity=$(awk -v m="$mqls" -v d="$days" 'BEGIN { printf "%d", m / (d / 30.436875) + 0.5 }')
fi

# 2. fit: the weights (and half-lives) of the rule file in use, refitted
fit_args=(--label "$label" --holdout-from "$holdout_from" --half-lives auto)
[ $have_rules -eq 1 ] && fit_args+=(--rules "$rules")
step fit "$bin/mql-fit" "$contacts" "$events" "${csvopt[@]}" "${fit_args[@]}" \
	-o "$notebook/model.json" --coefficients "$notebook/coefficients.csv" \
	--calibration "$notebook/calibration.csv" --gains "$notebook/gains.csv"
cp "$work/fit.out" "$out/fit.txt"

# 3. rules: points, a threshold at today's volume, the change table
rules_args=("$notebook/model.json" "$events" --history "$contacts" "${csvopt[@]}"
	--capacity "$capacity" --name "review of $last_mql")
[ $have_rules -eq 1 ] && rules_args+=(--previous "$rules")
step rules "$bin/mql-rules" "${rules_args[@]}" --format csv -o "$notebook/rules.json" \
	--rows "$notebook/model-rows.csv"
cp "$work/rules.out" "$notebook/rule-changes.csv"
cp "$work/rules.err" "$out/rules.txt"
step rules-md "$bin/mql-rules" "${rules_args[@]}" --format md -o "$work/rules-again.json"
cp "$work/rules-md.out" "$out/rule-changes.md"

# 4. backtest: old against new on the held-out months
if [ $have_rules -eq 1 ]; then
	step backtest "$bin/mql-backtest" "$rules" "$notebook/rules.json" "$contacts" "$events" \
		"${csvopt[@]}" --from "$holdout_from" --format csv -o "$notebook/backtest.csv" \
		--equal-volume "$notebook/equal-volume.csv" --html "$out/backtest.html"
	cp "$work/backtest.err" "$out/backtest.txt"
fi

# 5. report, channels, cost
step report "$bin/mql-report" "$contacts" "${csvopt[@]}" --by channel --format csv \
	-o "$notebook/funnel.csv"
step report-html "$bin/mql-report" "$contacts" "${csvopt[@]}" --by channel --format html \
	-o "$out/funnel.html"
step channels "$bin/mql-channels" "$contacts" "${spend_args[@]}" "${csvopt[@]}" \
	"${moneyopt[@]}" --format csv -o "$notebook/channels.csv"
step channels-html "$bin/mql-channels" "$contacts" "${spend_args[@]}" "${csvopt[@]}" \
	"${moneyopt[@]}" --format html -o "$out/channels.html"
if [ ${#spend_args[@]} -gt 0 ]; then
	step cost "$bin/mql-cost" "$contacts" "$spend" "${csvopt[@]}" "${moneyopt[@]}" --by channel \
		--format csv -o "$notebook/cost.csv"
	step cost-quarter "$bin/mql-cost" "$contacts" "$spend" "${csvopt[@]}" "${moneyopt[@]}" --by quarter \
		--format csv -o "$notebook/cost-by-quarter.csv"
	step cost-html "$bin/mql-cost" "$contacts" "$spend" "${csvopt[@]}" "${moneyopt[@]}" --by channel \
		--format html -o "$out/cost.html"
fi

# 6. the one-page summary, linking the CSV files by their path from $out
page_args=(--subtitle "$contacts: leads from $first_lead to $last_lead; the fit learned from the months before $holdout_from, the backtest judges the months since; the new threshold keeps about $capacity MQLs a month.")
[ -n "$currency" ] && page_args+=(--currency "$currency")
[ ${#spend_args[@]} -gt 0 ] && page_args+=(--spend "$spend")
data_link=$(realpath -m --relative-to="$out" "$notebook") || fail "cannot find '$notebook' from '$out'"
step page "$bin/mql-review-page" "$notebook" "${page_args[@]}" "${readopt[@]}" \
	--data-link "$data_link" -o "$out/index.html"
echo "mql-review: done: $out/index.html" >&2
