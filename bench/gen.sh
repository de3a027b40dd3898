#!/usr/bin/env bash
# Times `mql-gen --contacts N` (default 1,000,000: about 50M events, 2.5 GB)
# and reports wall time, peak memory, output size, rows and throughput.
# Events in time order (ORDER as mql-gen's --order: time, contact, random),
# which sorts them through a scratch file of 16 bytes per event.
# Not run in CI.  Usage: bench/gen.sh [CONTACTS] [SEED] [ORDER]
set -euo pipefail
contacts=${1:-1000000}
seed=${2:-1}
order=${3:-time}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/bench/out/gen-$contacts
mkdir -p "$out"

if ! [ -x /usr/bin/time ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq time >/dev/null
fi
cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release -DMQL_TESTS=OFF >/dev/null
cmake --build "$root/build-bench" --target mql-gen -j "$(nproc)" >/dev/null

log=$out/time.log
/usr/bin/time -f "%e %U %S %M" -o "$log" \
  "$root/build-bench/bin/mql-gen" --contacts "$contacts" --seed "$seed" --order "$order" -q -o "$out"
read -r wall user sys peak_kb <"$log"
bytes=$(cat "$out"/*.csv "$out"/*.json | wc -c)
events=$(($(wc -l <"$out/events.csv") - 1))
awk -v order="$order" -v n="$contacts" -v wall="$wall" -v user="$user" -v sys="$sys" -v kb="$peak_kb" -v bytes="$bytes" -v ev="$events" 'BEGIN {
  printf "mql-gen --contacts %d --order %s\n", n, order
  printf "  wall          %.1f s (CPU %.1f s; wall grows when other jobs share the cores)\n", wall, user + sys
  printf "  peak memory   %.1f MB\n", kb / 1024
  printf "  output        %.2f GB (%d events)\n", bytes / 1e9, ev
  printf "  throughput    %.1f M events/s, %.0f MB/s\n", ev / wall / 1e6, bytes / wall / 1e6
  printf "  target        under 60 s: %s\n", wall < 60 ? "met" : "MISSED"
}'
