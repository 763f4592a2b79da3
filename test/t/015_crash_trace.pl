# Issue 14 item 6: a refresh that did not finish leaves a trace. CALL spoj_refresh_job()
# commits a 'running' row before its first request; while it runs spoj_status() says
# refresh_running and nothing unfinished; after an immediate server stop mid-crawl, or a
# terminated backend, spoj_status().last_interrupted_at names its start and the run log
# still holds the row without a finish; the next run marks it 'interrupted'. A direct
# spoj_refresh() is one transaction: a stop leaves no row (t/004), which is why the trace
# is the job's.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SpojTest;

my $node = spoj_node('trace');
like(seed_table($node), qr/^3\|130\|130$/, 'seed: 130 rows');
my $before = checksum($node);
my $status = 'SELECT refresh_running, coalesce(last_interrupted_at::text, \'-\') FROM spoj_status()';
is($node->safe_psql('postgres', $status), 'f|-', 'after a success: not running, nothing unfinished');

# The job mid-crawl: its 'running' row is visible to every session.
sub start_slow_job
{
	my ($tag) = @_;
	my $slow = "ok,total=130,seed=2,latency=1500,t=$tag";
	my $s = session($node);
	$s->query_safe("SET spojscore.base_url = '" . scenario_url($slow) . "'");
	bg_start($s, 'CALL spoj_refresh_job()');
	ok(wait_for_hits($slow, 3, 20), "$tag: the job is mid-crawl");
	return $s;
}

my $s = start_slow_job('stop');
my $row = $node->safe_psql('postgres',
	q{SELECT status, finished_at IS NULL, pid FROM spoj_refresh_runs ORDER BY id DESC LIMIT 1});
is($row, "running|t|$s->{spoj_pid}", "mid-run: a committed 'running' row with the job's pid and no finish");
is($node->safe_psql('postgres', $status), 't|-', 'mid-run: spoj_status() says running, nothing unfinished');
my $started = $node->safe_psql('postgres',
	q{SELECT started_at FROM spoj_refresh_runs WHERE status = 'running'});

# --- an immediate stop --------------------------------------------------------------
$node->stop('immediate');
eval { $s->{run}->kill_kill; };
$node->start;
is(checksum($node), $before, 'after recovery the data is as before the run');
is($node->safe_psql('postgres',
		q{SELECT status || ' ' || (finished_at IS NULL) FROM spoj_refresh_runs ORDER BY id DESC LIMIT 1}),
	'running true', 'the run log still holds the run, without a finish');
is($node->safe_psql('postgres', $status), "f|$started",
	'spoj_status(): not running; last_interrupted_at is the stopped run\'s start');
# Readers see it too (spoj_status is not SECURITY DEFINER).
$node->safe_psql('postgres', 'CREATE ROLE reader LOGIN');
is($node->safe_psql('postgres', "SET ROLE reader; $status"), "f|$started",
	'... and so does a role without privileges');

# The next run marks it and, once it succeeds, nothing is unfinished any more.
my $ok = scenario_url('ok,total=130,t=trace-next');
$node->safe_psql('postgres', "SET spojscore.base_url = '$ok'; CALL spoj_refresh_job()");
is($node->safe_psql('postgres',
		qq{SELECT status, finished_at IS NOT NULL, error FROM spoj_refresh_runs WHERE started_at = '$started'}),
	'interrupted|t|spojscore: this refresh did not finish: its server stopped or its backend exited mid-run',
	"the next run turned the row into 'interrupted', with a finish and a message");
is($node->safe_psql('postgres', q{SELECT string_agg(status, ',' ORDER BY id) FROM spoj_refresh_runs}),
	'ok,interrupted,ok', 'run log: ok, interrupted, ok (no running row left)');
is($node->safe_psql('postgres', $status), 'f|-', 'after that success nothing is reported unfinished');

# --- a terminated backend: visible at once, without a restart --------------------------
$s = start_slow_job('term');
$started = $node->safe_psql('postgres', q{SELECT started_at FROM spoj_refresh_runs WHERE status = 'running'});
$node->safe_psql('postgres', "SELECT pg_terminate_backend($s->{spoj_pid})");
my $r = bg_wait($s, 10);
ok($r->{gone} || $r->{done}, 'terminated: the job\'s session ended');
ok($node->poll_query_until('postgres', "SELECT last_interrupted_at = '$started' FROM spoj_status()"),
	'terminated: spoj_status() reports the run as unfinished once its backend is gone');
is($node->safe_psql('postgres', 'SELECT refresh_running FROM spoj_status()'), 'f', '... and not running');

# A failure is an outcome, not an interruption: it replaces the 'running' row.
my $bad = scenario_url('status,code=500,total=130,t=trace-500');
my ($ret, $out, $err) = $node->psql('postgres', "SET spojscore.base_url = '$bad'; CALL spoj_refresh_job()");
isnt($ret, 0, 'a failing job run fails');
is($node->safe_psql('postgres', q{SELECT string_agg(status, ',' ORDER BY id) FROM spoj_refresh_runs}),
	'ok,interrupted,ok,interrupted,failed', 'run log: the terminated run marked, the failure recorded, no running row');
is($node->safe_psql('postgres', "SELECT last_interrupted_at = '$started' FROM spoj_status()"), 't',
	'the terminated run is still the last unfinished one (no success since)');

$node->stop;
done_testing();
