#!/usr/bin/env bash
# bench/commands.sh - wall time, CPU time and peak memory of mql-check,
# mql-fit, mql-score and mql-backtest on one shared history.
#
#   bench/commands.sh CONTACTS [ORDER] [IDS]     (defaults: time, text)
#
# Prints one line per command: "ORDER IDS COMMAND WALL_S CPU_S PEAK_MB"
# (CPU = user + system: on a busy machine wall time says little).  The
# history comes from bench/history.sh; mql-backtest replays rules.json
# against the true rules of truth.json; mql-fit refits the true structure.
# $MQL_BIN (default build/bin) has the tools.  Not run in CI.
set -euo pipefail
n=${1:?usage: bench/commands.sh CONTACTS [ORDER] [IDS]}
order=${2:-time}
ids=${3:-text}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${MQL_BIN:-$root/build/bin}
data=$(bash "$root/bench/history.sh" "$n" "$order" "$ids")
out=$root/bench/out/commands-$n-$order-$ids
mkdir -p "$out"
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
python3 -c 'import json, sys; json.dump(json.load(open(sys.argv[1]))["rules"], open(sys.argv[2], "w"))' \
	"$data/truth.json" "$out/true-rules.json"
cat "$data/contacts.csv" "$data/events.csv" >/dev/null # warm the page cache
measure() { # name command...
	local name=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$out/$name.time" "$@" >/dev/null 2>"$out/$name.err" ||
		{ echo "$name failed: see $out/$name.err" >&2; exit 1; }
	read -r wall user sys rss <"$out/$name.time"
	awk -v o="$order" -v i="$ids" -v n="$name" -v w="$wall" -v c="$(echo "$user + $sys" | bc)" -v m="$rss" \
		'BEGIN { printf "%-8s %-10s %-13s %8.2f %8.2f %8.0f\n", o, i, n, w, c, m / 1024 }'
}
measure mql-check "$bin/mql-check" "$data/contacts.csv" "$data/events.csv" -q
measure mql-fit "$bin/mql-fit" "$data/contacts.csv" "$data/events.csv" \
	--rules "$out/true-rules.json" -q -o "$out/model.json"
measure mql-score "$bin/mql-score" "$data/rules.json" "$data/contacts.csv" "$data/events.csv" \
	--format csv -q -o "$out/scores.csv"
measure mql-backtest "$bin/mql-backtest" "$data/rules.json" "$out/true-rules.json" \
	"$data/contacts.csv" "$data/events.csv" --format csv -q -o "$out/backtest.csv"
