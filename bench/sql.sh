#!/usr/bin/env bash
# bench/sql.sh - the warehouse route at scale: loads a generated history
# into a private PostgreSQL cluster (tests/cli/sql_cluster.inc: a socket in
# a temporary folder, no TCP) and times mql-sql's queries against mqlcal's
# own reading of the CSV files:
#   features  the features query to CSV, then mql-fit --features on it,
#             against mql-fit on contacts.csv and events.csv (--rules);
#   scores    the scores query to CSV, against mql-score.
# Both sides use the history's rules.json and give the same numbers
# (tests/cli/sql_postgres.sh checks that); this prints wall seconds only.
# PostgreSQL on a small machine is not expected to win: the point of the
# route is that the warehouse does the heavy part where the data is.
# Not run in CI.  Needs about 3x the history's size of free disk.
#
#   bench/sql.sh [CONTACTS] [QUERIES]   (default 1000000 "features scores")
set -euo pipefail
contacts=${1:-1000000}
queries=${2:-features scores}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/bench/out
bin=${MQL_BIN:-$root/build/bin}
mkdir -p "$out"
[ -x "$bin/mql-sql" ] || (cd "$root" && make build >/dev/null)
data=$out/history-$contacts
if [ ! -s "$data/events.csv" ]; then
	echo "generating $contacts contacts into $data" >&2
	"$bin/mql-gen" --contacts "$contacts" --seed 1 -o "$data" >/dev/null
fi
. "$root/tests/cli/sql_cluster.inc"
trap 'pg_stop' EXIT
events=$(($(wc -l <"$data/events.csv") - 1))
echo "$contacts contacts, $events events, PostgreSQL $("$PGBIN/postgres" --version | awk '{ print $3 }')"

# Seconds of wall time of a command (its output discarded).
seconds() {
	local start end
	start=$(date +%s.%N)
	"$@" >/dev/null
	end=$(date +%s.%N)
	awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'
}

pg_start
# JIT compilation costs seconds per query on a small machine and saves
# nothing here.
pg_sql -c "ALTER SYSTEM SET work_mem = '256MB'" -c "ALTER SYSTEM SET maintenance_work_mem = '512MB'" \
	-c "ALTER SYSTEM SET jit = off" \
	-c "SELECT pg_reload_conf()" >/dev/null
cat >"$PGDIR/load.sql" <<SQL
CREATE UNLOGGED TABLE contacts (contact_id text PRIMARY KEY, created_at timestamptz,
  channel text, campaign text, job_title text, seniority text, company_size text,
  industry text, country text, email_type text, mql_at timestamptz, sal_at timestamptz,
  rejected_at timestamptz, sql_at timestamptz, opportunity_at timestamptz,
  customer_at timestamptz, revenue text);
CREATE UNLOGGED TABLE events (contact_id text, occurred_at timestamptz, event text, campaign text);
SQL
pg_own "$PGDIR"
# psql reads the files on its standard input, opened here: the history's
# folder need not be open to the cluster's owner.
load() {
	pg_sql -f "$PGDIR/load.sql" &&
		pg_sql -c '\copy contacts FROM pstdin CSV HEADER' <"$data/contacts.csv" &&
		pg_sql -c '\copy events FROM pstdin CSV HEADER' <"$data/events.csv"
}
echo "load (\\copy)          $(seconds load) s"
echo "index and analyze     $(seconds pg_sql -c 'CREATE INDEX ON events (contact_id, occurred_at)' -c 'ANALYZE') s"
echo "database size         $(pg_sql -At -c 'SELECT pg_size_pretty(pg_database_size(current_database()))')"

for query in $queries; do
	"$bin/mql-sql" "$query" "$data/rules.json" -o "$PGDIR/$query.sql"
	pg_own "$PGDIR/$query.sql"
	cat "$data/contacts.csv" "$data/events.csv" >/dev/null # warm the page cache
	sql_s=$(seconds pg_sql --csv -f "$PGDIR/$query.sql" -o "$PGDIR/$query.csv")
	rows=$(($(wc -l <"$PGDIR/$query.csv") - 1))
	if [ "$query" = features ]; then
		fit_s=$(seconds "$bin/mql-fit" --features "$PGDIR/$query.csv" \
			--rules "$data/rules.json" -q -o "$out/sql-model.json")
		local_s=$(seconds "$bin/mql-fit" "$data/contacts.csv" "$data/events.csv" \
			--rules "$data/rules.json" -q -o "$out/local-model.json")
		echo "features query        $sql_s s ($rows rows)"
		echo "mql-fit --features    $fit_s s"
		echo "mql-fit on the CSVs   $local_s s"
	else
		local_s=$(seconds "$bin/mql-score" "$data/rules.json" "$data/contacts.csv" \
			"$data/events.csv" --format csv -q -o "$out/local-scores.csv")
		echo "scores query          $sql_s s ($rows rows)"
		echo "mql-score on the CSVs $local_s s"
	fi
done
