#!/usr/bin/env bash
# bench/cost.sh - mql-cost on a 1M-contact generated history, and the same
# rollup (spend, leads, MQLs, SQLs, customers, revenue and the cost ratios
# by channel) in pandas for comparison.  Not run in CI; prints timings only.
#
#   bench/cost.sh [CONTACTS]     (default 1000000; run from the repository root)
#
# Installs its peer (python3-pandas) with apt-get when missing.  Writes the
# history and outputs under bench/out/.
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
[ -x "$bin/mql-cost" ] || (cd "$root" && make build >/dev/null)

data=$(MQL_BIN=$bin bash "$root/bench/history.sh" "$contacts" "${BENCH_ORDER:-time}")
ls -l "$data"/contacts.csv "$data"/events.csv "$data"/spend.csv | awk '{ print $5, $9 }'

# Seconds of wall time and peak memory of one command (GNU time when there).
measure() {
	local label=$1
	shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f "$label: %e s wall, %U s user + %S s sys, %M KiB peak" "$@" >/dev/null
	else
		local start end
		start=$(date +%s.%N)
		"$@" >/dev/null
		end=$(date +%s.%N)
		echo "$label: $(echo "$end - $start" | bc) s"
	fi
}

measure "mql-cost --by channel" "$bin/mql-cost" "$data/contacts.csv" "$data/spend.csv" \
	--by channel --format csv -o "$out/cost-channel.csv"
measure "mql-cost --by quarter" "$bin/mql-cost" "$data/contacts.csv" "$data/spend.csv" \
	--by quarter --format csv -o "$out/cost-quarter.csv"
measure "mql-cost --attribution u-shaped (streams events.csv)" "$bin/mql-cost" \
	"$data/contacts.csv" "$data/spend.csv" "$data/events.csv" --by campaign \
	--attribution u-shaped --format csv -o "$out/cost-ushaped.csv"
measure "mql-channels --by campaign" "$bin/mql-channels" "$data/contacts.csv" \
	"$data/spend.csv" --by campaign --format csv -o "$out/channels.csv"

cat >"$out/cost.py" <<'PY'
# The same rollup as `mql-cost --by channel` in pandas.
import sys
import pandas as pd
data = sys.argv[1]
c = pd.read_csv(f"{data}/contacts.csv",
                usecols=["channel", "mql_at", "sql_at", "customer_at", "revenue"])
s = pd.read_csv(f"{data}/spend.csv")
g = c.groupby("channel", dropna=False).agg(
    leads=("channel", "size"), mql=("mql_at", "count"), sql=("sql_at", "count"),
    customer=("customer_at", "count"), revenue=("revenue", "sum"))
g = g.join(s.groupby("channel")["amount"].sum().rename("spend"), how="outer")
for k in ["lead", "mql", "sql", "customer"]:
    col = "leads" if k == "lead" else k
    g[f"cost_per_{k}"] = g["spend"] / g[col].where(g[col] > 0)
g["roi"] = (g["revenue"] - g["spend"]) / g["spend"]
g.to_csv(sys.stdout)
PY
measure "pandas (same rollup by channel)" "$python" "$out/cost.py" "$data"
