# D3: a refresh that overlaps a running one fails at once with 55P03, makes no HTTP
# request, and the job procedure records it as 'skipped'; once the first refresh has
# finished, the second session can refresh. 0.2.0: the error's DETAIL names the backend
# holding the lock (the row of spoj_refresh_lock, also when a superuser holds it by hand);
# 0.1.0's advisory key blocks nothing any more.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(time sleep);
use SpojTest;

my $node = spoj_node('overlap');
my $s1 = session($node);
my $s2 = session($node);

# Session 1: a slow refresh (1.5 s before each of 3 pages) holds the lock for ~5 s.
my $slow = 'ok,total=130,latency=1500,t=d3slow';
my $fast = 'ok,total=130,t=d3second';
$s1->query_safe("SET spojscore.base_url = '" . scenario_url($slow) . "'");
$s2->query_safe("SET spojscore.base_url = '" . scenario_url($fast) . "'");
my $t1 = bg_start($s1, 'SELECT pages, rows_seen, inserted FROM spoj_refresh()');
ok(wait_for_hits($slow, 1, 20), 'session 1: refresh running (page 1 requested)');

my $r = bg_run($s2, 'SELECT * FROM spoj_refresh()', 20);
is($r->{sqlstate}, '55P03', 'session 2: overlapping spoj_refresh() fails with 55P03')
  or diag $r->{stderr};
like($r->{stderr}, qr/spojscore: a refresh is already running/, 'session 2: message');
like($r->{stderr}, qr/DETAIL:\s+It runs in backend $s1->{spoj_pid}, in a transaction started at \d{4}-/,
	"session 2: the DETAIL names session 1's backend ($s1->{spoj_pid}) and its start");
ok($r->{elapsed} < 0.5, sprintf('session 2: fails at once (%.3f s)', $r->{elapsed}));
note sprintf('D3: overlapping refresh refused after %.3f s', $r->{elapsed});

my $runs_before = $node->safe_psql('postgres', 'SELECT count(*) FROM spoj_refresh_runs');
$r = bg_run($s2, 'CALL spoj_refresh_job()', 20);
is($r->{sqlstate}, '55P03', 'session 2: overlapping CALL spoj_refresh_job() re-raises 55P03')
  or diag $r->{stderr};
my $run = last_run($node);
is($run->{status}, 'skipped', "session 2: the job recorded a 'skipped' run");
is($run->{sqlstate}, '55P03', 'session 2: ... with sqlstate 55P03');
like($run->{error}, qr/a refresh is already running/, '... and the message');
is($node->safe_psql('postgres', 'SELECT count(*) FROM spoj_refresh_runs'),
	$runs_before + 1, 'the skipped run is one new row');

is(fixture_hits($fast)->{requests}, 0, 'session 2 made no HTTP request');
ok(fixture_hits($slow)->{requests} < 3, 'session 1 was still running during all that')
  or diag 'the slow refresh finished too early; the checks above may not have overlapped';

$r = bg_wait($s1, 30);
is($r->{stdout}, '3|130|130', 'session 1: its refresh completes normally')
  or diag $r->{stderr};
note sprintf('D3: slow refresh took %.3f s', $r->{t} - $t1);

$r = bg_run($s2, 'SELECT pages, rows_seen, unchanged FROM spoj_refresh()', 30);
is($r->{stdout}, '3|130|130', 'session 2: refreshes once session 1 is done (130 unchanged)')
  or diag $r->{stderr};
# 3 pages; with spojscore.connections = 2 the page after the last may also be asked for.
my $h = fixture_hits($fast);
ok($h->{distinct_starts} >= 3 && $h->{requests} <= 4 && $h->{max_start} <= 150,
	"session 2: pages 1-3 requested this time ($h->{requests} requests)")
  or diag explain $h;
is(last_run($node)->{status}, 'ok', "the last run is recorded as 'ok'");

# 0.2.0: the lock is the row of spoj_refresh_lock (no advisory key). A superuser holding
# it FOR UPDATE blocks refreshes the same way, and is named in the DETAIL.
$s1->query_safe('BEGIN; SELECT id FROM spoj_refresh_lock FOR UPDATE');
is($s2->query_safe('SELECT refresh_running FROM spoj_status()'), 't',
	'row lock held: spoj_status().refresh_running is true');
$r = bg_run($s2, 'SELECT * FROM spoj_refresh()', 20);
is($r->{sqlstate}, '55P03', 'row lock held by a superuser: spoj_refresh() fails with 55P03')
  or diag $r->{stderr};
like($r->{stderr}, qr/DETAIL:\s+It runs in backend $s1->{spoj_pid}, /,
	"... and the DETAIL names the holder's pid ($s1->{spoj_pid})");
is(fixture_hits($fast)->{requests}, $h->{requests}, '... with no HTTP request');
$s1->query_safe('COMMIT');
is($s2->query_safe('SELECT refresh_running FROM spoj_status()'), 'f',
	'lock released: refresh_running is false');
# An advisory lock on 0.1.0's key no longer blocks anything.
$s1->query_safe('SELECT pg_advisory_lock(1936748394)');
$r = bg_run($s2, 'SELECT pages, rows_seen FROM spoj_refresh()', 30);
is($r->{stdout}, '3|130', "0.1.0's advisory key held: the refresh still runs") or diag $r->{stderr};
$s1->query_safe('SELECT pg_advisory_unlock_all()');

$s1->quit;
$s2->quit;
$node->stop;
done_testing();
