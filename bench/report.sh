#!/usr/bin/env bash
# bench/report.sh - mql-report on a 1M-contact generated history against the
# same group-by counts written with pandas.  Not run in CI; prints timings
# and the wall and CPU ratios only.
#
#   bench/report.sh [CONTACTS [DATA_DIR]]   (default 1000000 contacts)
#
# DATA_DIR: an existing history (its contacts.csv) instead of generating
# one.  MQL_BIN: the tools to time (default build/bin; build them with
# -DCMAKE_BUILD_TYPE=Release for figures).
#
# The pandas script does less than mql-report: stage counts and the
# lead-to-MQL and MQL-to-SAL rates per channel, no intervals and no
# Kaplan-Meier.  mql-report reads the file on one thread per processor.
# Installs python3-pandas with apt-get when missing.  Writes
# the history and outputs under bench/out/.
set -euo pipefail
contacts=${1:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/bench/out
bin=${MQL_BIN:-$root/build/bin}
mkdir -p "$out"

# Debian's pandas is for Debian's python3, which may not be first on PATH.
python=/usr/bin/python3
[ -x "$python" ] || python=python3
if ! "$python" -c 'import pandas' 2>/dev/null; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-pandas >/dev/null
fi
[ -x "$bin/mql-report" ] || (cd "$root" && make build >/dev/null)

data=${2:-$(MQL_BIN=$bin bash "$root/bench/history.sh" "$contacts" "${BENCH_ORDER:-time}")}
ls -l "$data/contacts.csv" | awk '{ print $5, $9 }'

# Of five runs, the one with the least CPU time: "cpu wall peak_kib".  CPU
# (user + system, from GNU time) is what compares fairly on a busy machine;
# wall time is shown too, read from bash's microsecond clock around the
# run (GNU time gives it to a hundredth of a second, too coarse for a run
# of a tenth), and the ratios below use the same run of each command.
best_of_5() {
	local best="" line start end
	for _ in 1 2 3 4 5; do
		start=$EPOCHREALTIME
		/usr/bin/time -o "$out/time.txt" -f "%U %S %M" "$@" >/dev/null
		end=$EPOCHREALTIME
		line=$(awk -v s="$start" -v e="$end" \
			'{ printf "%.3f %.3f %s", $1 + $2, e - s, $3 }' "$out/time.txt")
		# least CPU; of equal CPU (GNU time counts hundredths), least wall
		if [ -z "$best" ] || awk -v a="$line" -v b="$best" 'BEGIN {
			split(a, x, " "); split(b, y, " ")
			exit !(x[1] < y[1] || (x[1] == y[1] && x[2] < y[2])) }'; then
			best=$line
		fi
	done
	echo "$best"
}

cat >"$out/report.py" <<'PY'
# Group-by counts of mql-report --by channel in pandas: leads and stage
# counts per channel, and two rates.
import sys
import pandas as pd
stages = ["mql_at", "sal_at", "sql_at", "opportunity_at", "customer_at"]
c = pd.read_csv(sys.argv[1], usecols=["channel", "created_at"] + stages)
g = c.groupby("channel", dropna=False).agg(
    leads=("created_at", "size"), mql=("mql_at", "count"),
    sal=("sal_at", "count"), sql=("sql_at", "count"),
    opportunity=("opportunity_at", "count"), customer=("customer_at", "count"))
g["lead_to_mql"] = g["mql"] / g["leads"]
g["mql_to_sal"] = g["sal"] / g["mql"]
g.to_csv(sys.stdout)
PY

[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }
ours=$(best_of_5 "$bin/mql-report" "$data/contacts.csv" --by channel --format csv -q)
cohort=$(best_of_5 "$bin/mql-report" "$data/contacts.csv" --by channel,campaign \
	--cohort quarter --format csv -q)
html=$(best_of_5 "$bin/mql-report" "$data/contacts.csv" --by channel --format html -q)
pandas=$(best_of_5 "$python" "$out/report.py" "$data/contacts.csv")
show() {
	local cpu wall peak
	read -r cpu wall peak <<<"$2"
	printf '%-46s %6s s CPU, %6s s wall, %7s KiB peak\n' "$1" "$cpu" "$wall" "$peak"
}
show "mql-report --by channel" "$ours"
show "mql-report --by channel,campaign --cohort" "$cohort"
show "mql-report --format html (curves kept)" "$html"
show "pandas group-by counts only" "$pandas"
# Both ratios from the same runs: CPU (user + system) and wall.
read -r ours_cpu ours_wall _ <<<"$ours"
read -r pandas_cpu pandas_wall _ <<<"$pandas"
awk -v pc="$pandas_cpu" -v oc="$ours_cpu" -v pw="$pandas_wall" -v ow="$ours_wall" 'BEGIN {
	if (oc > 0) printf "mql-report --by channel takes %.1fx less CPU than pandas\n", pc / oc
	if (ow > 0) printf "mql-report --by channel takes %.1fx less wall time than pandas\n", pw / ow
}'
