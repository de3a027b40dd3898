#!/usr/bin/env bash
# bench/orders.sh - the cost of the events file's order: mql-check, mql-fit,
# mql-score and mql-backtest on the same rows in time order (what users
# have) and by contact (what mql-gen wrote before --order), and in time
# order with integer and 18-character Salesforce ids; the ratio of each
# command's time-ordered CPU time to its contact-ordered one (target:
# within 1.3x).  The outputs of the two orders are compared byte for byte.
#
#   bench/orders.sh [CONTACTS]      (default 1,000,000)
#
# $MQL_BIN (default build/bin) has the tools.  Not run in CI.
set -euo pipefail
n=${1:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
log=$root/bench/out/orders-$n.txt
run() { bash "$root/bench/commands.sh" "$n" "$@"; }
{
	printf "%-8s %-10s %-13s %8s %8s %8s\n" order ids command "wall s" "cpu s" "peak MB"
	run time text
	run contact text
	run time integer
	run time salesforce
} | tee "$log"
awk 'NR > 1 && $2 == "text" { cpu[$1, $3] = $5; wall[$1, $3] = $4; names[$3] = 1 }
	END { print ""; print "time-ordered / contact-ordered (cpu, wall):"
		for (c in names) printf "  %-13s %5.2fx %5.2fx %s\n", c, cpu["time", c] / cpu["contact", c],
			wall["time", c] / wall["contact", c], cpu["time", c] <= 1.3 * cpu["contact", c] ? "" : "(over 1.3x)" }' "$log"
out=$root/bench/out
# (backtest.csv names its rule files: their directories differ)
for f in model.json scores.csv backtest.csv; do
	cmp -s <(sed 's#^[^,]*/##' "$out/commands-$n-time-text/$f") \
		<(sed 's#^[^,]*/##' "$out/commands-$n-contact-text/$f") &&
		echo "$f: the same bytes in both orders" || echo "$f: DIFFERS between the orders"
done
