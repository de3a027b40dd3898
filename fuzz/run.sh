#!/usr/bin/env bash
# Runs every libFuzzer target of BUILD_DIR/fuzz, seeded from the
# repository's own files: usage: fuzz/run.sh BUILD_DIR LENGTH
#
# LENGTH is either RUNS (`500000`: that many inputs per target from random
# seed 1, the same campaign on every machine, which is what CI runs) or
# SECONDS followed by `s` (`300s`: as many inputs as fit, from a new seed
# each time, to explore).
#
#   fuzz_rules      every rule file under tests/fixtures (bad ones too)
#   fuzz_model      every model under tests/fixtures (bad ones too)
#   fuzz_timeparse  the dates of the fixtures' CSV files, one per seed
#   fuzz_csv        the fixtures' CSV files under 64 KiB
# and every input that once failed (fuzz/regressions/TARGET/).
#
# New inputs the fuzzer finds go to BUILD_DIR/fuzz/corpus/TARGET (kept
# between runs); a crash, a leak, a sanitizer report, an abort, more than
# 2 GB or 10 s on one input fails the run and leaves the input beside it.
set -euo pipefail
build=$(cd "$1" && pwd) length=$2
case $length in
*s) budget=(-max_total_time="${length%s}") ;;
*) budget=(-runs="$length" -seed=1) ;;
esac
src=$(cd "$(dirname "$0")/.." && pwd)
fixtures="$src/tests/fixtures"
out="$build/fuzz"
seeds="$out/seeds"
rm -rf "$seeds"
mkdir -p "$seeds/fuzz_rules" "$seeds/fuzz_model" "$seeds/fuzz_timeparse" \
	"$seeds/fuzz_csv"
find "$fixtures" -name '*.csv' -size -64k -exec cp -t "$seeds/fuzz_csv" {} +
find "$fixtures" -name '*.json' -path '*rules*' -exec cp -t "$seeds/fuzz_rules" {} +
find "$fixtures" -name '*.json' -path '*model*' -exec cp -t "$seeds/fuzz_model" {} +
# one seed per distinct date-like field of the fixtures' CSV files
find "$fixtures" -name '*.csv' -exec cat {} + | tr ',' '\n' |
	grep -aE '^[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}' | sort -u |
	awk 'NR <= 300' | split -l 1 - "$seeds/fuzz_timeparse/date-"
# and the inputs that once failed, kept in fuzz/regressions/TARGET
for found in "$src"/fuzz/regressions/*/; do
	[ -d "$found" ] && cp "$found"* "$seeds/$(basename "$found")/"
done
status=0
for target in "$out"/fuzz_*; do
	[ -x "$target" ] && [ -f "$target" ] || continue
	name=$(basename "$target")
	corpus="$out/corpus/$name"
	mkdir -p "$corpus"
	echo "fuzzing $name: $length" >&2
	(cd "$out" && "$target" "${budget[@]}" -rss_limit_mb=2048 \
		-timeout=10 -print_final_stats=1 "$corpus" "$seeds/$name" \
		>"$out/$name.log" 2>&1) || {
		status=1
		echo "$name failed:" >&2
		tail -n 40 "$out/$name.log" >&2
	}
	grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$out/$name.log" |
		sed "s/^/$name: /" >&2 || true
done
exit $status
