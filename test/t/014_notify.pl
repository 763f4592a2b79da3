# Issue 14 item 2: change notifications. A refresh that commits sends NOTIFY spojscore with
# a small JSON payload (run id, status, counts); a listener hears it only after the commit,
# never for a rolled-back refresh; a failed CALL spoj_refresh_job() notifies its failure
# when its failure row commits, with the error cut short.
use strict;
use warnings;
use JSON::PP;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SpojTest;

my $node = spoj_node('notify');
my $listener = session($node);
$listener->query_safe('LISTEN spojscore');

# What the listener has received since it last looked: psql prints each notification
# after the next statement completes.
sub heard
{
	my $r = bg_run($listener, 'SELECT 1', 10);
	my @payloads;
	while ($r->{stdout} =~ /Asynchronous notification "spojscore" with payload "(.*)" received from server process with PID (\d+)\./g)
	{
		push @payloads, { json => decode_json($1), raw => $1, pid => $2 };
	}
	return \@payloads;
}

my $s = session($node);
$s->query_safe("SET spojscore.base_url = '" . scenario_url('ok,total=130,t=n1') . "'");
$s->query_safe('BEGIN');
$s->query_safe('SELECT * FROM spoj_refresh()');
is(scalar @{ heard() }, 0, 'nothing is heard while the refresh is not committed');
$s->query_safe('COMMIT');
my $got = heard();
is(scalar @$got, 1, 'one notification after the commit');
my $run = last_run($node);
is_deeply($got->[0]{json},
	{ run_id => $run->{id}, status => 'ok', source => 'network', inserted => 130, updated => 0,
	  marked_missing => 0 },
	'payload: run id, status, source, inserted, updated, marked missing');
is($got->[0]{pid}, $s->{spoj_pid}, '... sent by the refreshing backend');

# A refresh that changes rows and then rolls back: never heard.
$s->query_safe("SET spojscore.base_url = '" . scenario_url('ok,total=130,bump=10,t=n2') . "'");
$s->query_safe('BEGIN');
is($s->query_safe('SELECT updated FROM spoj_refresh()'), '13', 'a refresh that updates 13 rows ...');
$s->query_safe('ROLLBACK');
is(scalar @{ heard() }, 0, '... rolled back: nothing is heard');

# The same refresh committed (autocommit): heard, with its counts.
is($s->query_safe('SELECT updated FROM spoj_refresh()'), '13', 'the same refresh committed');
$got = heard();
is(scalar @$got, 1, '... is heard once');
is($got->[0]{json}{updated}, 13, '... with updated = 13');
is($got->[0]{json}{run_id}, last_run($node)->{id}, '... and its run id');

# A failed job run: heard when its failure row commits, with the error cut to 200 chars.
my $r = bg_run($s, "SET spojscore.base_url = '" . scenario_url('status,code=500,total=130,t=n3')
	  . "'; CALL spoj_refresh_job()", 60);
like($r->{stderr}, qr/ERROR:\s+08006/, 'a failing CALL spoj_refresh_job() re-raises 08006');
$got = heard();
is(scalar @$got, 1, 'its failure is heard once');
$run = last_run($node);
is($got->[0]{json}{run_id}, $run->{id}, '... naming the failure row');
is($got->[0]{json}{status}, 'failed', '... status failed');
is($got->[0]{json}{sqlstate}, '08006', '... sqlstate 08006');
is($got->[0]{json}{error}, substr($run->{error}, 0, 200), '... and the error, at most 200 characters');

# A long error (a long base_url in the message) stays short in the payload.
my $long = 'status,code=500,total=130,t=n4-' . ('x' x 300);
$r = bg_run($s, "SET spojscore.base_url = '" . scenario_url($long) . "'; CALL spoj_refresh_job()", 60);
$got = heard();
$run = last_run($node);
ok(length($run->{error}) > 300, 'a failure with an error over 300 characters');
is(length($got->[0]{json}{error}), 200, '... is heard with 200 of them');
ok(length($got->[0]{raw}) < 1000, '... in a payload under 1000 bytes');

# A failed direct refresh rolls back and sends nothing.
$r = bg_run($s, 'SELECT * FROM spoj_refresh()', 60);
like($r->{stderr}, qr/ERROR:\s+08006/, 'a failing spoj_refresh()');
is(scalar @{ heard() }, 0, '... sends nothing');

# Overlap: the job's 55P03 is heard as skipped.
my $holder = session($node);
$holder->query_safe("SET spojscore.base_url = '" . scenario_url('ok,total=130,t=n5') . "'");
$holder->query_safe('BEGIN');
$holder->query_safe('SELECT * FROM spoj_refresh()');
$r = bg_run($s, "SET spojscore.base_url = '" . scenario_url('ok,total=130,t=n6') . "'; CALL spoj_refresh_job()", 60);
like($r->{stderr}, qr/ERROR:\s+55P03/, 'a job while another refresh holds the lock fails with 55P03');
$got = heard();
is(scalar @$got, 1, '... and is heard');
is($got->[0]{json}{status}, 'skipped', '... as skipped');
is($s->query_safe("SELECT spoj_refresh_if_stale('0 seconds')"), 'skipped', 'spoj_refresh_if_stale() meanwhile is skipped');
$got = heard();
is(scalar @$got, 1, '... and heard');
is_deeply([ @{ $got->[0]{json} }{qw(status sqlstate)} ], [ 'skipped', '55P03' ], '... as skipped, 55P03');
$holder->query_safe('COMMIT');
is(heard()->[0]{json}{status}, 'ok', 'the holder\'s refresh is heard when it commits');

$_->quit for ($s, $holder, $listener);
$node->stop;
done_testing();
