#!/usr/bin/env bash
# bench/orders.sh - the cost of the events file's order: mql-check, mql-fit,
# mql-score and mql-backtest on the same rows in time order (what users
# have) and by contact (what mql-gen wrote before --order), and in time
# order with integer and 18-character Salesforce ids; the ratio of each
# command's time-ordered time to its contact-ordered one, CPU and wall
# (target: within 1.3x).  The outputs of the two orders are compared byte
# for byte.
#
#   bench/orders.sh [CONTACTS]      (default 1,000,000)
#
# RUNS=N (default 2) runs the two text-id orders N times each, alternating,
# and keeps each command's best (lowest) CPU and wall time; IDS="..."
# (default "integer salesforce") lists the id shapes also timed in time
# order (IDS= for none: each is another 2.7 GB history per million
# contacts).  The load average is printed at the start and the end: on a
# shared machine wall time says little, CPU time (user + system) more.
# $MQL_BIN (default build/bin) has the tools.  Not run in CI.
set -euo pipefail
n=${1:-1000000}
runs=${RUNS:-2}
ids=${IDS-integer salesforce}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$root/bench/out"
log=$root/bench/out/orders-$n.txt
run() { bash "$root/bench/commands.sh" "$n" "$@"; }
load() { echo "# load average $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%MZ)"; }
{
	load
	printf "%-8s %-10s %-13s %8s %8s %8s\n" order ids command "wall s" "cpu s" "peak MB"
	for ((k = 0; k < runs; k++)); do
		run time text
		run contact text
	done
	for shape in $ids; do run time "$shape"; done
	load
} | tee "$log"
awk '!/^#/ && NR > 2 && $2 == "text" {
		k = $1 SUBSEP $3
		if (!(k in cpu) || $5 < cpu[k]) cpu[k] = $5
		if (!(k in wall) || $4 < wall[k]) wall[k] = $4
		names[$3] = 1 }
	END { print ""; print "time-ordered / contact-ordered, best of each (cpu, wall):"
		for (c in names) printf "  %-13s %5.2fx %5.2fx %s\n", c, cpu["time", c] / cpu["contact", c],
			wall["time", c] / wall["contact", c], cpu["time", c] <= 1.3 * cpu["contact", c] ? "" : "(over 1.3x)" }' "$log"
out=$root/bench/out
# (backtest.csv names its rule files, in any column: their directories
# differ)
for f in model.json scores.csv backtest.csv; do
	cmp -s <(sed 's#[^,]*/##g' "$out/commands-$n-time-text/$f") \
		<(sed 's#[^,]*/##g' "$out/commands-$n-contact-text/$f") &&
		echo "$f: the same bytes in both orders" || echo "$f: DIFFERS between the orders"
done
