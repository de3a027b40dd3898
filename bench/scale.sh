#!/usr/bin/env bash
# bench/scale.sh - the cost curve: time and peak memory of mql-check,
# mql-fit, mql-score and mql-backtest against contacts and events, on
# time-ordered histories of each size (default 100,000, 1,000,000 and
# 10,000,000 contacts, about 50 events each), and how far the peers get.
#
#   bench/scale.sh [CONTACTS...]
#
# Disk: a history takes about 2.7 GB per million contacts, so the 10M point
# needs about 27 GB for its files plus 8 GB of scratch while mql-gen sorts
# (freed when done); check `df` first.  Time on two cores: mql-gen about
# 3 minutes per million contacts in time order, the four commands about a
# minute per million together.  Peak memory is expected to grow with
# contacts only (target: under 4 GB at 10M for every command).
#
# The peers (bench/fit-peer.py, bench/fit-peer.R) are run only where they
# fit in memory: pandas needs about 7 GB per million contacts and R about
# 4.3 GB (bench/README.md), so with less than that free a size is noted as
# not run and why.  PEERS=0 skips them altogether.  Not run in CI.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000 10000000)
peers=${PEERS:-1}
log=$root/bench/out/scale.txt
mkdir -p "$root/bench/out"
free_mb() { awk '/MemAvailable/ { print int($2 / 1024) }' /proc/meminfo; }
peer() { # name MB-per-million command...
	local name=$1 need=$(($2 * n / 1000000))
	shift 2
	if [ "$peers" = 0 ]; then
		return
	elif [ "$need" -gt "$(free_mb)" ]; then
		printf "%-8s %-10s %-13s not run: needs about %d MB, %d MB free\n" time text "$name" "$need" "$(free_mb)"
	else
		/usr/bin/time -f "%e %U %S %M" -o "$out/$name.time" "$@" >/dev/null 2>&1 ||
			{ printf "%-8s %-10s %-13s failed\n" time text "$name"; return; }
		read -r wall user sys rss <"$out/$name.time"
		awk -v n="$name" -v w="$wall" -v c="$(echo "$user + $sys" | bc)" -v m="$rss" \
			'BEGIN { printf "%-8s %-10s %-13s %8.2f %8.2f %8.0f\n", "time", "text", n, w, c, m / 1024 }'
	fi
}
{
	for n in "${sizes[@]}"; do
		avail=$(df -Pm "$root/bench/out" | awk 'NR == 2 { print $4 }')
		need=$((n * 36 / 10000)) # MB: 2.7 GB per million, and the sort's scratch
		if [ ! -s "$root/bench/out/history-$n-time/events.csv" ] && [ "$need" -gt "$avail" ]; then
			echo "# $n contacts: not run, needs about $need MB of disk, $avail MB free"
			continue
		fi
		data=$(bash "$root/bench/history.sh" "$n" time)
		out=$root/bench/out/commands-$n-time-text
		echo "# $n contacts, $(($(wc -l <"$data/events.csv") - 1)) events, $(du -sm "$data" | cut -f1) MB; $(date -u +%H:%MZ), load $(cut -d' ' -f1 /proc/loadavg)"
		bash "$root/bench/commands.sh" "$n" time text
		peer pandas 7200 /usr/bin/python3 "$root/bench/fit-peer.py" \
			"$data/contacts.csv" "$data/events.csv" "$out/true-rules.json"
		peer r-glm 4400 Rscript "$root/bench/fit-peer.R" \
			"$data/contacts.csv" "$data/events.csv" "$out/true-rules.json"
	done
} | tee "$log"
