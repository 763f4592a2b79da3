#!/usr/bin/env bash
# Refresh benchmark (issue 4, item 7), run on demand; not part of test/run-all.
#
#   bench/refresh_bench.sh            (as root, extension installed system-wide)
#
# Starts a throwaway cluster (SPOJ_TEST_DIR=/tmp/spojscore-bench, SPOJ_TEST_PORT=54360 unless
# set) and the loopback mirror test/fixture/spojfix.py, then measures spoj_refresh() in fresh
# databases and fresh backend sessions:
#   full-0ms       4,000 problems (80 pages) into an empty table, 0 ms latency, 2 connections
#   full-100ms     the same at 100 ms latency (2 connections, then 4)
#   bump-5%        a second refresh of the full-0ms database with every 20th problem's users + 1
#   no-change      the same list again (no-change-2: once more)
#   big-0ms        100,000 problems (2,000 pages) into an empty table, 0 ms
#   big-no-change  the same 100,000 again
#   fetch-only     _spoj_fetch() alone (fetch + parse, nothing applied) for 4,000 and 100,000
# and prints, per run: wall time (clock_timestamp() around the call, and the summary's own
# duration), backend CPU (utime+stime from /proc/self/stat, 100 Hz ticks, so ±10 ms), the
# mirror's CPU over the same interval, backend RSS before the call and peak RSS (VmHWM) after
# it, n_tup_ins/upd/del deltas of spoj_problems, WAL bytes, and the summary's pages and rows.
# Settings: page_delay 0, max_pages 3000, min_rows 0, connections 2 (ALTER SYSTEM); the
# cluster runs with fsync off (test cluster) but full_page_writes on, autovacuum off (so that no
# background vacuum lands inside a measurement; ANALYZE runs between refreshes instead), and
# CHECKPOINT before each refresh, so WAL includes the full-page images a daily run would pay.
set -euo pipefail
cd "$(dirname "$0")/.."
export SPOJ_TEST_DIR=${SPOJ_TEST_DIR:-/tmp/spojscore-bench}
export SPOJ_TEST_PORT=${SPOJ_TEST_PORT:-54360}
. test/lib/common.sh

work=$(mktemp -d /tmp/spojscore-bench-run.XXXXXX)
cleanup() {
  stop_spojfix
  test/pg-cluster stop || true
  rm -rf "$work" "$SPOJ_TEST_DIR/data"
}
trap cleanup EXIT

# A cluster left over from an aborted run is reused only after its data are discarded.
test/pg-cluster stop 2>/dev/null || true
rm -rf "$SPOJ_TEST_DIR/data"
test/pg-cluster start >/dev/null

start_spojfix "$work" 900 >&2 || exit 1
fix_pid=$SPOJFIX_PID
url=$SPOJFIX_URL

psql_() { test/pg-cluster psql -X -q -v ON_ERROR_STOP=1 "$@"; }
psql_ -d postgres >/dev/null <<'SQL'
ALTER SYSTEM SET spojscore.page_delay = 0;
ALTER SYSTEM SET spojscore.max_pages = 3000;
ALTER SYSTEM SET spojscore.min_rows = 0;
ALTER SYSTEM SET spojscore.connections = 2;
ALTER SYSTEM SET full_page_writes = on;
ALTER SYSTEM SET autovacuum = off;
SELECT pg_reload_conf();
SQL
sleep 0.3

newdb() {
  psql_ -d postgres -c "CREATE DATABASE $1" >/dev/null
  psql_ -d "$1" -c "CREATE EXTENSION spojscore; CREATE EXTENSION pg_walinspect" >/dev/null
}

fix_ticks() { awk '{print $14 + $15}' "/proc/$fix_pid/stat"; }

# Asks the mirror for page 1 so that it generates (and caches) the scenario's rows first.
warm() { curl -sf -o /dev/null "$url/s/$1/problems/classical/sort=0,start=0"; }

# measure LABEL DB SCENARIO CONNECTIONS [fetch]: one refresh in a fresh backend; appends a
# row to $work/results and the WAL breakdown to $work/wal.
measure() {
  local label=$1 db=$2 scenario=$3 conns=$4 mode=${5:-refresh} call
  warm "$scenario"
  if [ "$mode" = fetch ]; then
    call="SELECT 0 AS run_id, (f).pages, (f).rows_seen, 0 AS inserted, 0 AS updated, 0 AS unchanged,
                 0 AS marked_missing, interval '0' AS duration FROM (SELECT _spoj_fetch() AS f) s"
  else
    call="SELECT * FROM spoj_refresh()"
  fi
  psql_ -d "$db" -c "ANALYZE" -c "CHECKPOINT" >/dev/null
  local f0 f1 out
  f0=$(fix_ticks)
  out=$(psql_ -d "$db" -At -F ' ' <<SQL
SET spojscore.base_url = '$url/s/$scenario';
SET spojscore.connections = $conns;
CREATE TEMP TABLE m AS
  SELECT pg_read_file('/proc/self/stat') AS stat, pg_read_file('/proc/self/status') AS status,
         (SELECT row(n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del)::text FROM pg_stat_user_tables
           WHERE relname = 'spoj_problems') AS tup;
SELECT pg_current_wal_insert_lsn() AS lsn0, clock_timestamp() AS t0 \gset
$call \gset r_
SELECT pg_current_wal_insert_lsn() AS lsn1, clock_timestamp() AS t1 \gset
INSERT INTO m SELECT pg_read_file('/proc/self/stat'), pg_read_file('/proc/self/status'), NULL;
SELECT pg_stat_force_next_flush();
SELECT pg_sleep(0.1);
-- a new transaction: the refresh's counters are flushed and the stats snapshot is fresh
UPDATE m SET tup = (SELECT row(n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del)::text
                      FROM pg_stat_user_tables WHERE relname = 'spoj_problems') WHERE tup IS NULL;
WITH s AS (
  SELECT row_number() OVER () AS k,
         string_to_array(split_part(stat, ') ', 2), ' ') AS f,
         (regexp_match(status, 'VmRSS:\s+(\d+)'))[1]::bigint AS rss,
         (regexp_match(status, 'VmHWM:\s+(\d+)'))[1]::bigint AS hwm,
         (regexp_match(status, 'RssShmem:\s+(\d+)'))[1]::bigint AS shmem,
         string_to_array(trim(both '()' from tup), ',')::bigint[] AS t
    FROM m)
SELECT round(extract(epoch FROM :'t1'::timestamptz - :'t0'::timestamptz) * 1000),
       coalesce(round(extract(epoch FROM :'r_duration'::interval) * 1000)::text, '-'),
       ((b.f[12]::bigint + b.f[13]::bigint) - (a.f[12]::bigint + a.f[13]::bigint)) * 10,
       a.rss / 1024, b.hwm / 1024, (b.hwm - a.rss) / 1024, (b.shmem - a.shmem) / 1024,
       b.t[1] - a.t[1], b.t[2] - a.t[2], b.t[3] - a.t[3], b.t[4] - a.t[4],
       pg_wal_lsn_diff(:'lsn1', :'lsn0'),
       :'r_pages', :'r_rows_seen', :'r_inserted', :'r_updated', :'r_unchanged', :'r_marked_missing',
       :'lsn0', :'lsn1'
  FROM s a, s b WHERE a.k = 1 AND b.k = 2;
SQL
)
  out=$(tail -n 1 <<<"$out")
  f1=$(fix_ticks)
  read -r wall dur cpu rss0 hwm grow shm ins upd hot del wal pages rows rins rupd runch rmiss lsn0 lsn1 <<<"$out"
  if [ "$mode" = fetch ]; then dur=-; fi
  printf '%-14s %5s %6s %6s %6s %6s %7s %6s %6s %6s %6s %6s %6s %6s %10s %5s %6s %13s\n' \
    "$label" "$conns" "$wall" "$dur" "$cpu" "$(( (f1 - f0) * 10 ))" "$rss0" "$hwm" "$grow" "$shm" \
    "$ins" "$upd" "$hot" "$del" "$wal" "$pages" "$rows" "$rins/$rupd/$runch/$rmiss" | tee -a "$work/results"
  if [ "$mode" = refresh ]; then
    psql_ -d "$db" -At -F ' ' >>"$work/wal" <<SQL
-- pg_walinspect reads only flushed WAL: a synchronous commit of a transaction that wrote WAL
-- flushes it (a CHECKPOINT could recycle the segment that holds the window)
SET synchronous_commit = on;
CREATE TEMP TABLE walflush ();
SELECT '$label', "resource_manager/record_type", count, round(combined_size_percentage::numeric, 1) || '%',
       fpi_size, combined_size
  FROM pg_get_wal_stats('$lsn0', '$lsn1', true) WHERE count > 0 ORDER BY combined_size DESC LIMIT 6;
SQL
  fi
}

header() {
  printf '%-14s %5s %6s %6s %6s %6s %7s %6s %6s %6s %6s %6s %6s %6s %10s %5s %6s %13s\n' \
    run conns wall_ms dur_ms cpu_ms fix_ms rss0_MB hwm_MB grow_MB shm_MB ins upd hot del wal_B pages rows ins/upd/unch/miss
}

# The mirror alone: every page fetched by curl over one keep-alive connection.
curl_pages() {
  local scenario=$1 last=$(( ($2 - 1) / 50 * 50 )) t0 t1 f0 f1
  warm "$scenario"
  f0=$(fix_ticks); t0=$(date +%s%N)
  curl -sf -o /dev/null "$url/s/$scenario/problems/classical/sort=0,start=[0-$last:50]"
  t1=$(date +%s%N); f1=$(fix_ticks)
  printf 'curl %-26s %3d pages, one connection: %6d ms wall, mirror CPU %6d ms\n' \
    "$scenario" $(( last / 50 + 1 )) $(( (t1 - t0) / 1000000 )) $(( (f1 - f0) * 10 ))
}

echo "machine: nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "mirror $url (pid $fix_pid); cluster $SPOJ_TEST_DIR port $SPOJ_TEST_PORT"
echo "cpu_ms/fix_ms: backend/mirror utime+stime at $(getconf CLK_TCK) ticks/s; grow_MB = VmHWM after - VmRSS before;"
echo "shm_MB = RssShmem after - before (shared buffers touched, inside grow_MB); ins/upd/hot/del: spoj_problems"
echo
header
newdb b_full0
measure full-0ms b_full0 "ok,total=4000" 2
measure bump-5% b_full0 "ok,total=4000,bump=20" 2
measure no-change b_full0 "ok,total=4000,bump=20" 2
measure no-change-2 b_full0 "ok,total=4000,bump=20" 2
measure fetch-only b_full0 "ok,total=4000" 2 fetch
newdb b_full100
measure full-100ms b_full100 "ok,total=4000,latency=100" 2
newdb b_full100c4
measure full-100ms b_full100c4 "ok,total=4000,latency=100" 4
newdb b_big
measure big-0ms b_big "ok,total=100000" 2
measure big-no-change b_big "ok,total=100000" 2
measure big-fetch-only b_big "ok,total=100000" 2 fetch
echo
curl_pages "ok,total=4000" 4000
curl_pages "ok,total=100000" 100000
echo
echo "per page (wall_ms / pages):"
awk '$1 == "full-0ms" || $1 == "big-0ms" || $1 ~ /fetch-only/ {
       printf "  %-14s %5d pages  %8.3f ms/page wall  %8.3f ms/page backend CPU\n", $1, $16, $3 / $16, $5 / $16 }' "$work/results"
echo
echo "WAL by record type (top 6 per run: rmgr/record, records, share of bytes, FPI bytes, bytes):"
sed 's/^/  /' "$work/wal"
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
