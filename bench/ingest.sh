#!/usr/bin/env bash
# Ingest benchmark: reading the events file of a generated history.
#
#   bench/ingest.sh [CONTACTS] [BUILD_DIR] [WORK_DIR] [HISTORY_DIR]
#   (defaults: 1000000 contacts, build/, a temporary directory, and a
#   history generated there, its events in time order; HISTORY_DIR reuses an mql-gen output with its
#   contacts.csv and events.csv instead)
#
# Times, in one run, on the same events.csv:
#   mql-check contacts.csv events.csv  (CSV, ISO 8601 dates, join to contacts;
#                                       the contacts load timed alone and
#                                       subtracted)
#   bare libcsv tokenizing             (bench/csvcount.c: csv_parse, count)
#   pandas read_csv                    (python3-pandas, C engine)
#   data.table::fread                  (r-cran-data.table, 1 thread and all)
# and reports MB/s and the ratios to mql-check, plus the time of
# `mql-gen --contacts N`, the peak memory of mql-check and the rate of
# loading contacts.csv alone (16 columns, quoted fields, dates).  Installs its peers
# with apt-get when they are missing.  Not run by the test suite; numbers
# depend on the machine, so nothing here asserts a timing.
set -euo pipefail
contacts=${1:-1000000}
build=${2:-build}
work=${3:-$(mktemp -d)}
history=${4:-}
src=$(cd "$(dirname "$0")/.." && pwd)
bin="$build/bin"
[ -x "$bin/mql-check" ] && [ -x "$bin/mql-gen" ] ||
	{ echo "build first: cmake -S . -B $build && cmake --build $build" >&2; exit 2; }

need=()
for p in python3-pandas r-cran-data.table libcsv-dev time; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

mkdir -p "$work"
cc -O2 -o "$work/csvcount" "$src/bench/csvcount.c" -lcsv

# Runs a command (output discarded) and prints "wall cpu" in seconds, cpu
# being user + system time; its peak RSS in KB is appended to $work/rss.
timed() {
	/usr/bin/time -f "%e %U %S %M" -o "$work/time.out" "$@" >/dev/null
	read -r wall user sys rss <"$work/time.out"
	echo "$rss" >>"$work/rss"
	awk -v w="$wall" -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f %.2f\n", w, u+s}'
}

if [ -n "$history" ]; then
	gen_s="-" gen_cpu="-"
else
	echo "generating $contacts contacts into $work/history ..." >&2
	read -r gen_s gen_cpu < <(timed "$bin/mql-gen" --contacts "$contacts" --seed 1 --order time -o "$work/history" --quiet)
	history="$work/history"
fi
events="$history/events.csv"
contacts_csv="$history/contacts.csv"
bytes=$(stat -c %s "$events")
rows=$(($(wc -l <"$events") - 1))
cat "$events" "$contacts_csv" >/dev/null # warm the page cache

best() { # "wall cpu" of the fastest (by wall time) of 3 runs
	local b="" line
	for _ in 1 2 3; do
		line=$(timed "$@")
		if [ -z "$b" ] || awk -v a="${line%% *}" -v b="${b%% *}" 'BEGIN{exit !(a<b)}'; then b=$line; fi
	done
	echo "$b"
}

py=/usr/bin/python3 # Debian's, where python3-pandas is installed
: >"$work/rss"
contacts_t=$(best "$bin/mql-check" "$contacts_csv")
: >"$work/rss"
check_t=$(best "$bin/mql-check" "$contacts_csv" "$events")
check_rss=$(sort -n "$work/rss" | tail -1)
check_one_thread_t=$(best "$bin/mql-check" "$contacts_csv" "$events" --threads 1)
check1_t=$(best taskset -c 0 "$bin/mql-check" "$contacts_csv" "$events")
libcsv_t=$(best "$work/csvcount" "$events")
pandas_t=$(best "$py" -c 'import sys, pandas; pandas.read_csv(sys.argv[1], engine="c")' "$events")
fread1_t=$(best Rscript -e 'suppressMessages(library(data.table)); invisible(fread(commandArgs(TRUE)[1], nThread=1))' "$events")
freadn_t=$(best Rscript -e 'suppressMessages(library(data.table)); invisible(fread(commandArgs(TRUE)[1]))' "$events")
# start-up costs are not reading: measured alone and subtracted
py0_t=$(best "$py" -c 'import pandas')
r0_t=$(best Rscript -e 'suppressMessages(library(data.table))')

mb=$(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1e6}')
echo
echo "events.csv: $mb MB, $rows rows, $contacts contacts; $(nproc) cores"
echo "mql-gen --contacts $contacts: ${gen_s} s wall, ${gen_cpu} s cpu"
echo "mql-check peak memory: $((check_rss / 1024)) MB (contacts alone: ${contacts_t% *} s)"
awk -v b="$(stat -c %s "$contacts_csv")" -v t="$contacts_t" 'BEGIN {
	split(t, x, " "); w = x[1] > 0.001 ? x[1] : 0.001; c = x[2] > 0.001 ? x[2] : 0.001
	printf "contacts.csv: %.1f MB loaded at %.0f MB/s wall, %.0f MB/s cpu\n", b / 1e6, b / 1e6 / w, b / 1e6 / c }'
echo "wall = best of 3 elapsed; cpu = its user+system time; start-up (contacts"
echo "load, interpreter and library load) subtracted; speedup = reader time /"
echo "mql-check time (wall, and cpu)"
printf '%-32s %7s %7s %8s %8s %8s %8s\n' reader wall cpu "MB/s" "MB/s cpu" speedup "sp. cpu"
row() { # name "wall cpu" ["wall cpu" of start-up]
	awk -v n="$1" -v t="$2" -v z="${3:-0 0}" -v base="$check_t" -v c0="$contacts_t" -v mb="$mb" '
	function sub2(a, b, i,   x, y) { split(a, x, " "); split(b, y, " "); v = x[i] - y[i]; return v > 0.001 ? v : 0.001 }
	BEGIN {
		w = sub2(t, z, 1); c = sub2(t, z, 2)
		bw = sub2(base, c0, 1); bc = sub2(base, c0, 2)
		printf "%-32s %7.2f %7.2f %8.0f %8.0f %8.2f %8.2f\n", n, w, c, mb / w, mb / c, w / bw, c / bc
	}'
}
row "mql-check (parse, dates, join)" "$check_t" "$contacts_t"
row "mql-check --threads 1" "$check_one_thread_t" "$contacts_t"
row "mql-check, pinned to one core" "$check1_t" "$contacts_t"
row "bare libcsv tokenizing" "$libcsv_t"
row "pandas read_csv" "$pandas_t" "$py0_t"
row "data.table::fread, 1 thread" "$fread1_t" "$r0_t"
row "data.table::fread, all threads" "$freadn_t" "$r0_t"
