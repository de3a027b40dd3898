#!/usr/bin/env bash
# The logistic fit kernel alone against liblinear's `train -s 0`, on one
# dense lead-like matrix of ROWS x 45 (default 1,000,000), written once in
# both formats.  Not run in CI.  Usage: bench/fit-kernel.sh [ROWS]
#
# liblinear -s 0 is L2-regularized logistic regression (trust-region Newton)
# and gives no standard errors; -c 1e6 makes its penalty negligible.  Its
# time includes parsing the text file, so the parse alone is measured too
# (the same command with a tolerance that stops the solver at once) and
# subtracted.  mqlcal's time is mql_logit_fit alone on the loaded matrix
# (with standard errors, z, p and CIs).
set -euo pipefail
rows=${1:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/bench/out
mkdir -p "$out"

if ! command -v liblinear-train >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq liblinear-tools >/dev/null
fi

cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release -DMQL_TESTS=OFF >/dev/null
cmake --build "$root/build-bench" --target mqlcore -j "$(nproc)" >/dev/null
# shellcheck disable=SC2046
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -I"$root/libcore/include" \
  "$root/bench/fit-kernel.c" "$root/build-bench/libmqlcore.a" \
  $(pkg-config --libs gsl) \
  -lcjson -lcsv -lm -o "$out/fit-kernel"

bin=$out/kernel-$rows.bin
svm=$out/kernel-$rows.svm
if [ ! -s "$bin" ] || [ ! -s "$svm" ]; then
  echo "writing $rows x 45 in both formats..." >&2
  "$out/fit-kernel" gen "$rows" 20260322 "$bin" "$svm"
fi

# wall and user-CPU seconds of a command: "WALL USER"
seconds() {
  local TIMEFORMAT='%R %U'
  { time "$@" >/dev/null 2>&1; } 2>&1
}

echo "mqlcal fit kernel (one thread, as mql-fit runs it):" >&2
"$out/fit-kernel" fit "$bin" | tee "$out/kernel-mqlcal.txt"
ours=$(awk '$1 == "seconds" {print $2}' "$out/kernel-mqlcal.txt")
ours_cpu=$(awk '$1 == "cpu_seconds" {print $2}' "$out/kernel-mqlcal.txt")

read -r parse parse_cpu < <(seconds liblinear-train -s 0 -c 1e6 -B 1 -e 1e9 "$svm" "$out/ll-parse.model")
read -r total total_cpu < <(seconds liblinear-train -s 0 -c 1e6 -B 1 "$svm" "$out/ll-default.model")
read -r tight tight_cpu < <(seconds liblinear-train -s 0 -c 1e6 -B 1 -e 1e-6 "$svm" "$out/ll-tight.model")

solve=$(echo "$total - $parse" | bc -l)
solve_tight=$(echo "$tight - $parse" | bc -l)
solve_cpu=$(echo "$total_cpu - $parse_cpu" | bc -l)
solve_tight_cpu=$(echo "$tight_cpu - $parse_cpu" | bc -l)
printf 'rows %s x 45 (load average %s)\n' "$rows" "$(cut -d' ' -f1 /proc/loadavg)"
printf 'mqlcal mql_logit_fit          %7.2f s wall, %7.2f s cpu (with SEs)\n' "$ours" "$ours_cpu"
printf 'liblinear parse only          %7.2f s wall, %7.2f s cpu\n' "$parse" "$parse_cpu"
printf 'liblinear -e 0.01 (default)   %7.2f s wall, %7.2f s cpu; solve %.2f s wall, %.2f s cpu\n' \
  "$total" "$total_cpu" "$solve" "$solve_cpu"
printf 'liblinear -e 1e-6             %7.2f s wall, %7.2f s cpu; solve %.2f s wall, %.2f s cpu\n' \
  "$tight" "$tight_cpu" "$solve_tight" "$solve_tight_cpu"
# On a busy machine wall times wander; CPU seconds are the steadier ratio.
printf 'ratio mqlcal / liblinear solve, wall: %.2f (default), %.2f (-e 1e-6)\n' \
  "$(echo "$ours / $solve" | bc -l)" "$(echo "$ours / $solve_tight" | bc -l)"
printf 'ratio mqlcal / liblinear solve, cpu:  %.2f (default), %.2f (-e 1e-6)\n' \
  "$(echo "$ours_cpu / $solve_cpu" | bc -l)" "$(echo "$ours_cpu / $solve_tight_cpu" | bc -l)"
