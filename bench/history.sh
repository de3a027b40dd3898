#!/usr/bin/env bash
# bench/history.sh - the generated history the benchmarks share, made when
# missing: prints its directory, bench/out/history-N-ORDER[-IDS].
#
#   bench/history.sh CONTACTS [ORDER] [IDS]
#
# ORDER is mql-gen's --order: time (the default: events in time order, as
# CRMs and warehouses export them), contact or random; IDS its --ids: text
# (default), integer or salesforce.  mql-gen --seed 1, so every order holds
# the same rows.  $MQL_BIN (default build/bin) has mql-gen.  A history takes
# about 2.7 GB per million contacts (the time and random orders need 0.8 GB
# more while sorting).
set -euo pipefail
n=${1:?usage: bench/history.sh CONTACTS [ORDER] [IDS]}
order=${2:-time}
ids=${3:-text}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${MQL_BIN:-$root/build/bin}
data=$root/bench/out/history-$n-$order
[ "$ids" = text ] || data=$data-$ids
if [ ! -s "$data/events.csv" ]; then
	mkdir -p "$data"
	echo "generating $n contacts ($order order, $ids ids) into $data" >&2
	"$bin/mql-gen" --contacts "$n" --seed 1 --order "$order" --ids "$ids" -q -o "$data" >&2
fi
echo "$data"
