#!/usr/bin/env bash
# R6: memcheck of the installed extension inside a real backend. Not part of test/run-all
# (it runs the backend under memcheck); run it on demand, as root or as postgres, after make install:
#
#   test/valgrind.sh
#
# Builds nothing. Starts the loopback fault server (test/fixture/spojfix.py), initdb's a
# throwaway cluster ($SPOJ_VALGRIND_DIR, default /tmp/spojscore-valgrind) and runs
#   valgrind --leak-check=full --error-exitcode=97 --suppressions=test/valgrind.supp \
#            postgres --single -D <dir> postgres
# fed with SQL that installs the extension and runs refreshes that succeed, fail with
# HTTP 500, a connection reset, a truncated transfer, an oversize body, and a cancel by
# statement_timeout, then a last successful one. It then reads the valgrind log and fails
# (exit 1) on any invalid read/write/free, use of uninitialised values or other memcheck
# error, and on "definitely lost" blocks whose stack has a spojscore, curl or libxml2
# (xml/html) frame; PostgreSQL's own exit-time leaks are listed but not counted. It also
# fails when a refresh did not end as expected. Log and outputs stay in the directory.
#   SPOJ_VALGRIND_DIR   work directory (removed and recreated)
#   VALGRIND_FLAGS      extra valgrind flags, e.g. --track-origins=yes
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"
cd "$SPOJ_ROOT" || exit 1

work=${SPOJ_VALGRIND_DIR:-/tmp/spojscore-valgrind}
supp=$SPOJ_ROOT/test/valgrind.supp
trap stop_spojfix EXIT

command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)"; exit 2; }
[ -f "$("$PG_BIN/pg_config" --pkglibdir)/spojscore.so" ] || { echo "spojscore is not installed (make install)"; exit 2; }

rm -rf "$work"; mkdir -p "$work"
cp "$supp" "$work/valgrind.supp"
[ "$(id -u)" -eq 0 ] && chown -R postgres: "$work"

log "valgrind: fault server"
start_spojfix "$work" 900 || exit 1
url=$SPOJFIX_URL/s
echo "fixture: $url"

log "valgrind: initdb $work/data"
as_pg "$PG_BIN/initdb" -D "$work/data" -A trust --no-sync -U postgres >"$work/initdb.log" 2>&1 ||
  { cat "$work/initdb.log"; exit 1; }
cat >>"$work/data/postgresql.conf" <<EOF
shared_preload_libraries = 'spojscore'
spojscore.min_rows = 100
spojscore.page_delay = 0
# valgrind makes everything ~30x slower: generous network timeouts
spojscore.request_timeout = 20000
spojscore.connect_timeout = 10000
EOF

# postgres --single: one statement per line. Every refresh prints an "outcome" row:
# ok|<rows> or the SQLSTATE; the checks below compare them. statement_timeout is armed
# when a statement starts, so it is SET on a line of its own.
cat >"$work/input.sql" <<EOF
CREATE EXTENSION spojscore
CREATE FUNCTION pg_temp.outcome(seg text) RETURNS text LANGUAGE plpgsql AS \$\$ DECLARE n int; BEGIN PERFORM set_config('spojscore.base_url', '$url/' || seg, false); SELECT rows_seen INTO n FROM public.spoj_refresh(); RETURN 'ok|' || n; EXCEPTION WHEN OTHERS OR query_canceled THEN RETURN SQLSTATE; END \$\$
SELECT 'vg ok ' || pg_temp.outcome('ok,total=130,t=vgok') AS outcome
SELECT 'vg 500 ' || pg_temp.outcome('status,code=500,total=130,t=vg500') AS outcome
SELECT 'vg reset ' || pg_temp.outcome('reset,total=130,t=vgreset') AS outcome
SELECT 'vg short ' || pg_temp.outcome('short,total=130,t=vgshort') AS outcome
SELECT 'vg huge ' || pg_temp.outcome('huge,total=130,t=vghuge') AS outcome
SET statement_timeout = 4000
SELECT 'vg cancel ' || pg_temp.outcome('stall_body,seconds=60,total=130,t=vgcancel') AS outcome
RESET statement_timeout
SELECT 'vg ok2 ' || pg_temp.outcome('ok,total=130,seed=2,t=vgok2') AS outcome
SELECT 'vg rows ' || count(*) AS outcome FROM spoj_problems
EOF
[ "$(id -u)" -eq 0 ] && chown postgres: "$work/input.sql" "$work/data/postgresql.conf"

log "valgrind: postgres --single (about 15 s here; allow minutes)"
start=$(date +%s)
# shellcheck disable=SC2086
as_pg valgrind --leak-check=full --error-exitcode=97 --suppressions="$work/valgrind.supp" \
  --num-callers=40 --errors-for-leak-kinds=definite --show-leak-kinds=definite \
  --log-file="$work/valgrind.log" ${VALGRIND_FLAGS:-} \
  "$PG_BIN/postgres" --single -D "$work/data" postgres <"$work/input.sql" >"$work/output.txt" 2>"$work/stderr.txt"
vg_rc=$?
echo "valgrind exit status $vg_rc after $(( $(date +%s) - start )) s; log: $work/valgrind.log"

fail=0
# The refreshes ended as expected.
for expect in 'vg ok ok|130' 'vg 500 08006' 'vg reset 08006' 'vg short 08006' 'vg huge 54000' \
              'vg cancel 57014' 'vg ok2 ok|130' 'vg rows 260'; do
  if grep -qF "\"$expect\"" "$work/output.txt"; then echo "  outcome: $expect"
  else echo "  MISSING outcome: $expect"; fail=1; fi
done

# Classify valgrind's records (blank-line separated, "==PID== " prefixed).
perl -e '
  my ($errors, $ours, $theirs) = (0, 0, 0);
  open my $fh, "<", $ARGV[0] or die "$ARGV[0]: $!";
  my $log = do { local $/; <$fh> };
  $log =~ s/^==\d+== ?//mg;
  for my $text (split /\n[ \t]*\n/, $log) {
    next unless $text =~ /\S/;
    if ($text =~ /^(Invalid (read|write|free)|Mismatched free|Conditional jump or move depends on uninitialised|Use of uninitialised value|Syscall param .* uninitialised|Source and destination overlap|Argument .* of function .* has a fishy)/m) {
      $errors++; print "MEMCHECK ERROR:\n$text\n";
    } elsif ($text =~ /definitely lost in loss record/) {
      if ($text =~ /spojscore|\bcurl_|Curl_|xml|html/i) { $ours++; print "DEFINITELY LOST (spojscore/curl/libxml2):\n$text\n"; }
      else { $theirs++; }
    }
  }
  print "memcheck errors: $errors; definitely lost via spojscore/curl/libxml2: $ours; other definitely lost (PostgreSQL, not counted): $theirs\n";
  exit(($errors || $ours) ? 1 : 0);
' "$work/valgrind.log" || fail=1
grep -E 'ERROR SUMMARY|definitely lost:|indirectly lost:' "$work/valgrind.log" | sed 's/^==[0-9]*== /  /'

if [ "$vg_rc" -ne 0 ] && [ "$vg_rc" -ne 97 ]; then
  echo "postgres under valgrind exited with $vg_rc"; tail -20 "$work/stderr.txt"; fail=1
fi
if [ "$fail" -eq 0 ]; then echo "valgrind: PASS"; else echo "valgrind: FAIL"; fi
exit "$fail"
