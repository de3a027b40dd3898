#!/usr/bin/env bash
# A row of millions of fields or a field of megabytes fails early, with
# file:line:col, in bounded memory: a 60 MB row of commas once took about
# 1 GB.  The events reader gives the same error with one thread and four.
set -euo pipefail
command -v python3 >/dev/null || exit 77
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
# Peak resident memory allowed, in KiB: the reader's own blocks are a few
# MiB; the sanitizer build's shadow memory and allocator need more.
bound=${MQL_RSS_BOUND_KB:-196608}

# peak COMMAND...: runs COMMAND, its stderr into $tmp/err, and prints its
# exit status and peak resident memory in KiB.
peak() {
	python3 - "$@" 2>"$tmp/err" <<'EOF'
import resource, subprocess, sys
p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
EOF
}

# expect NAME WHERE WORDS COMMAND...: exit 65, "FILE:WHERE: ...WORDS",
# peak memory under the bound.
expect() {
	local name=$1 where=$2 words=$3
	shift 3
	read -r status kb < <(peak "$@")
	if [ "$status" -ne 65 ] || ! grep -qF ":$where: " "$tmp/err" ||
		! grep -qF "$words" "$tmp/err"; then
		echo "$name: exit $status, expected 65 at $where ($words):" \
			"$(head -c 300 "$tmp/err")" >&2
		failures=$((failures + 1))
	fi
	[ -z "${MQL_VERBOSE:-}" ] || echo "$name: $kb KiB" >&2
	if [ "$kb" -gt "$bound" ]; then
		echo "$name: peak memory $kb KiB, more than $bound" >&2
		failures=$((failures + 1))
	fi
}

# 60 MB of commas on one contacts row.
{
	printf 'contact_id,channel\na,web\nb,'
	head -c 60000000 /dev/zero | tr '\0' ,
	printf '\n'
} >"$tmp/commas.csv"
expect commas 3:3 "row has more than 2 fields (expected 2" \
	mql-check -q "$tmp/commas.csv"
expect commas-report 3:3 "row has more than 2 fields" \
	mql-report -q "$tmp/commas.csv"

# 60 MB of commas in a header.
{
	printf 'contact_id,'
	head -c 60000000 /dev/zero | tr '\0' ,
	printf '\na\n'
} >"$tmp/header.csv"
expect header 1:65537 "header has more than 65536 columns" \
	mql-check -q "$tmp/header.csv"

# An events file of 20,000 rows, then a row of commas, then more rows; and
# the same with a 3 MB field in the event column instead.
printf 'contact_id,created_at,mql_at,sal_at\nc1,2025-12-01,2025-12-02,\n' \
	>"$tmp/c.csv"
row='c1,2026-01-05T10:00:00Z,web_visit'
{
	printf 'contact_id,occurred_at,event\n'
	for _ in $(seq 20000); do echo "$row"; done
	printf 'c1,2026-01-05T10:00:00Z,'
	head -c 60000000 /dev/zero | tr '\0' ,
	printf '\n'
	for _ in $(seq 20000); do echo "$row"; done
} >"$tmp/e-commas.csv"
{
	printf 'contact_id,occurred_at,event\n'
	for _ in $(seq 20000); do echo "$row"; done
	printf 'c1,2026-01-05T10:00:00Z,'
	head -c 3000000 /dev/zero | tr '\0' x
	printf '\n'
	for _ in $(seq 20000); do echo "$row"; done
} >"$tmp/e-field.csv"
for threads in 1 4; do
	expect "events commas, $threads threads" 20002:4 \
		"row has more than 3 fields (expected 3" \
		mql-check -q --threads "$threads" "$tmp/c.csv" "$tmp/e-commas.csv"
	expect "events field, $threads threads" 20002:3 \
		"field longer than 1048576 bytes" \
		mql-check -q --threads "$threads" "$tmp/c.csv" "$tmp/e-field.csv"
	expect "fit events commas, $threads threads" 20002:4 \
		"row has more than 3 fields" \
		mql-fit -q --threads "$threads" "$tmp/c.csv" "$tmp/e-commas.csv" \
		-o "$tmp/m.json"
done

[ "$failures" -eq 0 ]
