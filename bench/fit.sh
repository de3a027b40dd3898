#!/usr/bin/env bash
# The whole mql-fit on an mql-gen history (default 1,000,000 contacts, about
# 50M events) refitting the true rule structure, against the same work as a
# short pandas + scikit-learn script (bench/fit-peer.py) and in R with
# data.table and glm (bench/fit-peer.R): wall time and peak memory of each
# (/usr/bin/time -v), and the ratios of wall and of CPU time (mql-fit
# reads events on every core; the peers' readers are threaded too).  The fit kernel alone against
# liblinear is bench/fit-kernel.sh.  Not run in CI.
# Usage: bench/fit.sh [CONTACTS] [SEED]
set -euo pipefail
contacts=${1:-1000000}
seed=${2:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/bench/out/fit-$contacts
# The history is the one the other benchmarks share (seed 1), or its own.
# Events in time order (what users have; $BENCH_ORDER=contact for the
# other), the contact-ordered figure beside it in bench/orders.sh.
data=$root/bench/out/history-$contacts-${BENCH_ORDER:-time}
[ "$seed" = 1 ] || data=$data-seed$seed
mkdir -p "$out" "$data"

# Debian's python3 (the one python3-pandas and python3-sklearn install into).
py=/usr/bin/python3
need=()
[ -x /usr/bin/time ] || need+=(time)
"$py" -c "import pandas, sklearn" 2>/dev/null || need+=(python3-pandas python3-sklearn)
command -v Rscript >/dev/null || need+=(r-base-core)
Rscript -e 'library(data.table)' >/dev/null 2>&1 || need+=(r-cran-data.table)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release -DMQL_TESTS=OFF >/dev/null
cmake --build "$root/build-bench" --target mql-gen mql-fit -j "$(nproc)" >/dev/null
bin=$root/build-bench/bin

if [ ! -s "$data/events.csv" ]; then
  echo "generating $contacts contacts into $data..." >&2
  "$bin/mql-gen" --contacts "$contacts" --seed "$seed" --order "${BENCH_ORDER:-time}" -q -o "$data"
fi
python3 -c 'import json, sys; json.dump(json.load(open(sys.argv[1]))["rules"], open(sys.argv[2], "w"))' \
  "$data/truth.json" "$out/true-rules.json"

# Runs a command under /usr/bin/time -v; prints "WALL CPU PEAK_MB" (CPU =
# user + system seconds: on a shared machine wall time says little).
measure() {
  local name=$1; shift
  /usr/bin/time -v "$@" >"$out/$name.out" 2>"$out/$name.time" ||
    { echo "$name failed: see $out/$name.time" >&2; exit 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0
                 for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s }
               /User time|System time/ { cpu += $2 }
               /Maximum resident set size/ { peak = $2 / 1024 }
               END { printf "%.2f %.2f %.0f\n", wall, cpu, peak }' "$out/$name.time"
}

read -r fit_wall fit_cpu fit_mb < <(measure mql-fit "$bin/mql-fit" "$data/contacts.csv" "$data/events.csv" \
  --rules "$out/true-rules.json" -o "$out/model.json")
read -r py_wall py_cpu py_mb < <(measure pandas "$py" "$root/bench/fit-peer.py" \
  "$data/contacts.csv" "$data/events.csv" "$out/true-rules.json")
read -r r_wall r_cpu r_mb < <(measure r-glm Rscript "$root/bench/fit-peer.R" \
  "$data/contacts.csv" "$data/events.csv" "$out/true-rules.json")
events=$(($(wc -l <"$data/events.csv") - 1))
awk -v n="$contacts" -v ev="$events" -v ord="${BENCH_ORDER:-time}" -v la="$(cut -d' ' -f1 /proc/loadavg)" -v fw="$fit_wall" -v fc="$fit_cpu" -v fm="$fit_mb" \
    -v pw="$py_wall" -v pc="$py_cpu" -v pm="$py_mb" -v rw="$r_wall" -v rc="$r_cpu" -v rm="$r_mb" 'BEGIN {
  printf "mql-fit --rules (true structure) on %d contacts, %d events (%s order), load average %s\n", n, ev, ord, la
  printf "  %-24s %8s %8s %10s %10s %10s\n", "", "wall s", "cpu s", "peak MB", "wall ratio", "cpu ratio"
  printf "  %-24s %8.2f %8.2f %10.0f %10s %10s\n", "mql-fit", fw, fc, fm, "1.0", "1.0"
  printf "  %-24s %8.2f %8.2f %10.0f %9.1fx %9.1fx\n", "pandas + scikit-learn", pw, pc, pm, pw / fw, pc / fc
  printf "  %-24s %8.2f %8.2f %10.0f %9.1fx %9.1fx\n", "R data.table + glm", rw, rc, rm, rw / fw, rc / fc
  printf "  targets: 25x faster than pandas and 10x than R (wall): %s; (cpu): %s; peak memory under 1 GB: %s\n",
    (pw >= 25 * fw && rw >= 10 * fw) ? "met" : "MISSED",
    (pc >= 25 * fc && rc >= 10 * fc) ? "met" : "MISSED", fm < 1024 ? "met" : "MISSED"
}'
echo "coefficients: $out/model.json, $out/pandas.out, $out/r-glm.out" >&2
