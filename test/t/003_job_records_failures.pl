# O2: CALL spoj_refresh_job() leaves a durable 'failed' row in spoj_refresh_runs, the
# data intact. (Under pg_cron, with job_run_details, in 008_schedule.pl.)
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SpojTest;

my $node = spoj_node('job');

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

$node->stop;
done_testing();
