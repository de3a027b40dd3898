#!/usr/bin/env bash
# The bad-input corpus: every case of tests/fixtures/bad/MANIFEST is run
# against every command that reads that kind of file, and each must exit
# with the case's code, print the case's message (and the file's name) on
# stderr, write no output file, and stay within 400 MB and 20 s.
#
# To add a case: put the file under tests/fixtures/bad/KIND/ and a line in
# the MANIFEST:   KIND  FILE  EXIT  MESSAGE
# (FILE relative to tests/fixtures/bad, or gen/NAME for a file made below;
# MESSAGE, the rest of the line, is a substring of what the command
# prints).  To add a kind, add its commands to commands_for below: each is
# one line with {} where the bad file goes and $OUT where the output goes.
set -u -o pipefail
for tool in mql-check mql-fit mql-score mql-backtest mql-rules; do
	command -v "$tool" >/dev/null || { echo "$tool not built: skipped"; exit 77; }
done
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }
bad="$MQL_FIXTURES/bad"
limits="$MQL_SRC/tests/cli/bad_limits.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Good inputs the bad one is read with.
contacts="$MQL_FIXTURES/fit/history-contacts.csv"
events="$MQL_FIXTURES/fit/history-events.csv"
rules="$MQL_FIXTURES/fit/history-rules.json"
model="$MQL_FIXTURES/model/spec-example.json"

# commands_for KIND: the commands that read a file of KIND, one a line.
commands_for() {
	case $1 in
	rules) cat <<-CMDS
		mql-score {} $contacts $events -o \$OUT
		mql-fit $contacts $events --rules {} -o \$OUT
		mql-backtest {} $rules $contacts $events -o \$OUT
		mql-backtest $rules {} $contacts $events -o \$OUT
		mql-rules $model --previous {} -o \$OUT
		CMDS
		;;
	model) cat <<-CMDS
		mql-rules {} -o \$OUT
		mql-rules {} $events --history $contacts -o \$OUT
		CMDS
		;;
	*) return 1 ;;
	esac
}

# Files too large to keep in the repository, and one that is absent.
mkdir -p "$tmp/gen"
{ printf '{"format": "mqlcal.rules/1", "threshold": 1}'; head -c $((16 << 20)) /dev/zero | tr '\0' ' '; } \
	>"$tmp/gen/rules-16mib.json"
{ printf '{"format": "mqlcal.model/1"}'; head -c $((64 << 20)) /dev/zero | tr '\0' ' '; } \
	>"$tmp/gen/model-64mib.json"

failures=0 runs=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
while read -r kind file code message; do
	case $kind in '#'* | '') continue ;; esac
	case $file in gen/*) path="$tmp/$file" ;; *) path="$bad/$file" ;; esac
	commands=$(commands_for "$kind") || { fail "$file: unknown kind '$kind'"; continue; }
	while IFS= read -r template; do
		out="$tmp/out"
		rm -f "$out"
		line=${template//\{\}/$path}
		line=${line//\$OUT/$out}
		read -r -a argv <<<"$line"
		python3 "$limits" 400 20 "$tmp/stdout" "$tmp/stderr" "${argv[@]}"
		status=$?
		runs=$((runs + 1))
		if [ "$status" -ne "$code" ]; then
			fail "$file: ${argv[0]} exited $status, expected $code: $(head -c 300 "$tmp/stderr")"
		elif ! grep -qF -- "$message" "$tmp/stderr"; then
			fail "$file: ${argv[0]}: no '$message' in: $(head -c 300 "$tmp/stderr")"
		elif ! grep -qF -- "$(basename "$path")" "$tmp/stderr"; then
			fail "$file: ${argv[0]}: the file is not named: $(head -c 300 "$tmp/stderr")"
		elif [ -e "$out" ]; then
			fail "$file: ${argv[0]} wrote $out"
		fi
	done <<<"$commands"
done <"$bad/MANIFEST"
echo "$runs runs, $failures failures"
[ "$failures" -eq 0 ]
