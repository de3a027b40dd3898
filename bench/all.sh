#!/usr/bin/env bash
# bench/all.sh - every benchmark, at each size given (default 100,000 and
# 1,000,000 contacts), on one optimised build and the generated histories
# the scripts share (bench/history.sh: mql-gen --seed 1, events in time
# order as users have them, and by contact for bench/orders.sh, which sets
# each command's time-ordered figure beside its contact-ordered one).  The
# 10M point and the cost curve are bench/scale.sh.
#
#   bench/all.sh [CONTACTS...]
#
# Each script times one command against its peer where one exists (pandas,
# scikit-learn, R, liblinear; they install what they miss with apt-get) and
# prints its own ratios; this collects their output in bench/out/all-N.txt.
# The ratios of one size come from one run on one machine: run it on an
# otherwise idle machine.  Not run in CI.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)

cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release -DMQL_TESTS=OFF >/dev/null
cmake --build "$root/build-bench" -j "$(nproc)" >/dev/null
export MQL_BIN=$root/build-bench/bin

for n in "${sizes[@]}"; do
	data=$(bash "$root/bench/history.sh" "$n" time)
	bash "$root/bench/history.sh" "$n" contact >/dev/null
	log=$root/bench/out/all-$n.txt
	{
		echo "# $n contacts, $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1 /proc/loadavg)"
		for step in "gen.sh $n" "ingest.sh $n $root/build-bench '' $data" \
			"fit.sh $n" "fit-kernel.sh $n" "score.sh $n" "rules.sh $n" \
			"report.sh $n $data" "cost.sh $n" "orders.sh $n"; do
			echo
			echo "## bench/$step"
			eval "bash \"$root/bench/\"$step" 2>&1
		done
	} | tee "$log"
done
