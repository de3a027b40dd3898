#!/usr/bin/env bash
# bench/score.sh - mql-score over the events of a generated history against
# the ingest-only time of mql-check on the same files, in one run: events per
# second of each and the ratio (target: scoring costs at most 1.5x reading).
# Not run in CI; prints timings only.
#
#   bench/score.sh [CONTACTS] [SHUFFLE]   (default 1000000; run from the repository root)
#
# Times the events in time order (what users have) and by contact beside
# it (bench/history.sh); SHUFFLE=1 also times an events file in random
# order, made with shuf.  Writes the histories and outputs under bench/out/.
set -euo pipefail
contacts=${1:-1000000}
shuffle=${2:-0}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/bench/out
bin=${MQL_BIN:-$root/build/bin}
mkdir -p "$out"
[ -x "$bin/mql-score" ] || (cd "$root" && make build >/dev/null)
if ! [ -x /usr/bin/time ]; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends time >/dev/null
fi

data=$(MQL_BIN=$bin bash "$root/bench/history.sh" "$contacts" time)
by_contact=$(MQL_BIN=$bin bash "$root/bench/history.sh" "$contacts" contact)
events=$(($(wc -l < "$data/events.csv") - 1))
ls -l "$data"/contacts.csv "$data"/events.csv | awk '{ print $5, $9 }'
echo "$events events"

# Prints "label seconds peak-KiB" of one command; output to /dev/null.
measure() {
	local label=$1
	shift
	/usr/bin/time -f "$label %e %M" "$@" 2>&1 >/dev/null | tail -1
}

report() {
	local events_file=$1 tag=$2
	# Warm the page cache so both commands read from memory.
	cat "$data/contacts.csv" "$events_file" >/dev/null
	read -r _ check_s check_kb < <(measure check "$bin/mql-check" "$data/contacts.csv" "$events_file" -q)
	read -r _ score_s score_kb < <(measure score "$bin/mql-score" "$data/rules.json" \
		"$data/contacts.csv" "$events_file" --format csv -q -o "$out/scores.csv")
	awk -v n="$events" -v c="$check_s" -v s="$score_s" -v ck="$check_kb" -v sk="$score_kb" -v tag="$tag" 'BEGIN {
		printf "%-10s mql-check %6.2f s %9.0f events/s %7.0f MiB peak\n", tag, c, n / c, ck / 1024
		printf "%-10s mql-score %6.2f s %9.0f events/s %7.0f MiB peak\n", tag, s, n / s, sk / 1024
		printf "%-10s ratio score/check: %.2f (target <= 1.5)\n", tag, s / c }'
}

report "$data/events.csv" "by-time"
report "$by_contact/events.csv" "by-contact"
if [ "$shuffle" = 1 ]; then
	shuffled=$out/events-shuffled-$contacts.csv
	if [ ! -s "$shuffled" ]; then
		{ head -1 "$data/events.csv"; tail -n +2 "$data/events.csv" | shuf --random-source=<(yes); } > "$shuffled"
	fi
	report "$shuffled" "shuffled"
fi
