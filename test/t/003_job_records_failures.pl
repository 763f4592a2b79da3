# O1/O2: CALL spoj_refresh_job() leaves a durable 'failed' row in spoj_refresh_runs
# (the data intact), and pg_cron runs the job: 'succeeded' against a good site,
# 'failed' with the spojscore message against one that answers HTTP 500.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SpojTest;

my $node = spoj_node('cron', cron => 1);
$node->safe_psql('postgres', 'CREATE EXTENSION pg_cron');

like(seed_table($node), qr/^3\|130\|130$/, 'seed: 130 rows');
my $before = checksum($node);

# --- the job procedure records a failure durably ------------------------------------
my $url500 = scenario_url('status,code=500,total=130,t=job500');
my ($ret, $out, $err) = $node->psql('postgres',
	"SET spojscore.base_url = '$url500'; CALL spoj_refresh_job()",
	extra_params => [ '-v', 'VERBOSITY=verbose' ]);
isnt($ret, 0, 'CALL spoj_refresh_job() against HTTP 500 fails');
like($err, qr/ERROR:\s+08006: spojscore: (?:page \d+: )?HTTP 500/, '... re-raising 08006 "spojscore: HTTP 500 ..."');
my $run = last_run($node);
is($run->{status}, 'failed', "a 'failed' row is in spoj_refresh_runs after the error");
is($run->{sqlstate}, '08006', '... with sqlstate 08006');
like($run->{error}, qr/^spojscore: (?:page \d+: )?HTTP 500/, '... and the message');
is(checksum($node), $before, 'data intact after the failed job');

# --- pg_cron: success ---------------------------------------------------------------
my $urlok = scenario_url('ok,total=130,t=cronok');
$node->safe_psql('postgres', "ALTER SYSTEM SET spojscore.base_url = '$urlok'");
$node->safe_psql('postgres', 'SELECT pg_reload_conf()');
my $ok_runs = $node->safe_psql('postgres',
	q{SELECT count(*) FROM spoj_refresh_runs WHERE status = 'ok'});
my $jobid = $node->safe_psql('postgres',
	q{SELECT cron.schedule('spoj', '* * * * *', 'CALL public.spoj_refresh_job()')});
note "cron job $jobid scheduled every minute";

ok( $node->poll_query_until('postgres',
		qq{SELECT count(*) > 0 FROM cron.job_run_details WHERE jobid = $jobid AND status = 'succeeded'}),
	"pg_cron: a run of the job 'succeeded'")
  or diag $node->safe_psql('postgres', 'SELECT status, return_message FROM cron.job_run_details');
is($node->safe_psql('postgres', 'SELECT count(*) FROM spoj_problems'), '130',
	'pg_cron: spoj_problems has 130 rows');
ok($node->safe_psql('postgres',
	q{SELECT count(*) FROM spoj_refresh_runs WHERE status = 'ok'}) > $ok_runs,
	"pg_cron: the run is recorded as 'ok' in spoj_refresh_runs");
ok(fixture_hits('ok,total=130,t=cronok')->{requests} >= 3, 'pg_cron: the job fetched the pages');

# --- pg_cron: failure visible in job_run_details and spoj_refresh_runs ---------------
my $url500c = scenario_url('status,code=500,total=130,t=cron500');
my $failed_runs = $node->safe_psql('postgres',
	q{SELECT count(*) FROM spoj_refresh_runs WHERE status = 'failed'});
$node->safe_psql('postgres', "ALTER SYSTEM SET spojscore.base_url = '$url500c'");
$node->safe_psql('postgres', 'SELECT pg_reload_conf()');
ok( $node->poll_query_until('postgres',
		qq{SELECT count(*) > 0 FROM cron.job_run_details WHERE jobid = $jobid AND status = 'failed'}),
	"pg_cron: a run against HTTP 500 is 'failed'")
  or diag $node->safe_psql('postgres', 'SELECT status, return_message FROM cron.job_run_details');
my $msg = $node->safe_psql('postgres',
	qq{SELECT return_message FROM cron.job_run_details WHERE jobid = $jobid AND status = 'failed' ORDER BY runid DESC LIMIT 1});
like($msg, qr/spojscore:/, 'pg_cron: return_message carries the spojscore error');
note "return_message: $msg";
ok($node->safe_psql('postgres',
	q{SELECT count(*) FROM spoj_refresh_runs WHERE status = 'failed'}) > $failed_runs,
	"pg_cron: the failure is recorded as 'failed' in spoj_refresh_runs");
$run = last_run($node);
like($run->{error}, qr/^spojscore: (?:page \d+: )?HTTP 500/, "pg_cron: the run's error is the HTTP 500 message");
ok(fixture_hits('status,code=500,total=130,t=cron500')->{requests} >= 1,
	'pg_cron: the failed job did reach the site');
is(checksum($node), $before, 'data intact after the failed cron run');

$node->safe_psql('postgres', q{SELECT cron.unschedule('spoj')});
$node->stop;
done_testing();
