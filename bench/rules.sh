#!/usr/bin/env bash
# bench/rules.sh - how long mql-rules --history and mql-backtest take on a
# generated history, against reading the same files with mql-check.
#
#   bench/rules.sh [CONTACTS] [BIN]      (defaults: 200000, $MQL_BIN or build/bin)
#
# Reads the history the other benchmarks share (bench/history.sh: events in
# time order, or $BENCH_ORDER); writes its outputs in bench/out/rules-N-ORDER.
# bench/orders.sh sets the time-ordered figures beside the contact-ordered.
#
# Prints wall and CPU seconds per step and events per CPU second (wall time
# suffers on a busy machine; CPU time much less).  Not run in CI.
set -eu -o pipefail
n=${1:-200000}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${2:-${MQL_BIN:-$root/build/bin}}
order=${BENCH_ORDER:-time}
data=$(MQL_BIN=$bin bash "$root/bench/history.sh" "$n" "$order")
tmp=$root/bench/out/rules-$n-$order
mkdir -p "$tmp"
events=$(($(wc -l <"$data/events.csv") - 1))
"$bin/mql-fit" "$data/contacts.csv" "$data/events.csv" --rules "$data/rules.json" \
	-o "$tmp/model.json" -q
measure() { # name command...
	local name=$1
	shift
	local start end
	start=$(date +%s.%N)
	/usr/bin/time -f "%U %S" -o "$tmp/cpu" "$@" >/dev/null 2>&1
	end=$(date +%s.%N)
	read -r user sys <"$tmp/cpu"
	awk -v n="$name" -v w="$(echo "$end - $start" | bc)" -v c="$(echo "$user + $sys" | bc)" \
		-v e="$events" 'BEGIN { printf "%-28s wall %6.2f s  cpu %6.2f s  %9.0f events per cpu second\n", n, w, c, e / (c > 0 ? c : 1e-9) }'
}
echo "history: $n contacts, $events events"
measure "mql-check (reading only)" "$bin/mql-check" "$data/contacts.csv" "$data/events.csv"
measure "mql-rules --history" "$bin/mql-rules" "$tmp/model.json" "$data/events.csv" \
	--history "$data/contacts.csv" -o "$tmp/new.json" -q
measure "mql-rules --capacity" "$bin/mql-rules" "$tmp/model.json" "$data/events.csv" \
	--history "$data/contacts.csv" --capacity 500 -o "$tmp/cap.json" -q
measure "mql-backtest" "$bin/mql-backtest" "$data/rules.json" "$tmp/new.json" \
	"$data/contacts.csv" "$data/events.csv" -o "$tmp/bt.csv" --format csv -q
