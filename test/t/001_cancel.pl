# R1-R4: statement_timeout, pg_cancel_backend and pg_terminate_backend stop a refresh
# quickly in the network phase and the inter-page delay, with PostgreSQL's own errors,
# the data intact and the session's signal handling unharmed.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(time sleep);
use SpojTest;

my $limit = 0.5;    # seconds: the contract's cancel/terminate latency
my $repeat = $ENV{SPOJ_CANCEL_REPEAT} // 5;

my $node = spoj_node('cancel');
like(seed_table($node), qr/^3\|130\|130$/, 'seed: 3 pages, 130 rows inserted');
my $before = checksum($node);

my $s = session($node);       # the refreshing session, reused throughout (R4)
my $ctl = session($node);     # the session that cancels and watches
my $pid = $s->{spoj_pid};

sub set_url { my ($seg) = @_; $s->query_safe("SET spojscore.base_url = '" . scenario_url($seg) . "'"); }

# --- R1: statement_timeout while the server stalls -------------------------------
for my $case (['stall_body', 'mid-body'], ['stall_headers', 'before headers'])
{
	my ($scenario, $what) = @$case;
	my $seg = "$scenario,total=130,seconds=20,t=r1";
	set_url($seg);
	$s->query_safe('SET statement_timeout = 1000');
	my $r = bg_run($s, 'SELECT * FROM spoj_refresh()', 20);
	$s->query_safe('RESET statement_timeout');
	is($r->{sqlstate}, '57014', "R1 $what: statement_timeout raises 57014")
	  or diag $r->{stderr};
	like($r->{stderr}, qr/canceling statement due to statement timeout/,
		"R1 $what: PostgreSQL's own timeout message");
	# The client's clock starts a little after the server's (the query is sent first).
	ok($r->{elapsed} >= 0.95 && $r->{elapsed} <= 1.5,
		"R1 $what: error after 1.0-1.5 s")
	  or diag sprintf('elapsed %.3f s', $r->{elapsed});
	note sprintf('R1 %s: statement_timeout 1000 ms -> error after %.3f s',
		$what, $r->{elapsed});
	ok( wait_until($limit, sub { fixture_hits($seg)->{open_connections} == 0 }),
		"R1 $what: the fixture connection is closed within ${limit}s");
	is(checksum($node), $before, "R1 $what: data intact");
	is($s->query_safe('SELECT 1'), '1', "R1 $what: the session is usable");
}

# --- R2: pg_cancel_backend, stalled mid-body and in the inter-page delay ----------
# Returns the seconds between pg_cancel_backend and the error reaching the client.
sub cancel_once
{
	my ($seg, $hits, $settle, $label) = @_;
	set_url($seg);
	bg_start($s, 'SELECT * FROM spoj_refresh()');
	my $seen = wait_for_hits($seg, $hits, 20);
	sleep $settle;
	my $t0 = time;
	my $sent = $ctl->query_safe("SELECT pg_cancel_backend($pid)");
	my $r = bg_wait($s, 20);
	my $dt = $r->{t} - $t0;
	my $ok = $seen && $sent eq 't' && $r->{done} && $r->{sqlstate} eq '57014'
	  && $r->{stderr} =~ /canceling statement due to user request/;
	diag "$label: hits seen=$seen cancel=$sent done=$r->{done} stderr: $r->{stderr}"
	  unless $ok;
	return ($ok, $dt, $seg);
}

for my $case (
	[ 'stalled mid-body', sub { ("stall_body,total=130,seconds=20,t=r2b$_[0]", 1, 0.3) }, undef ],
	[ 'in the inter-page delay', sub { ("ok,total=130,t=r2d$_[0]", 1, 0.4) }, 5000 ])
{
	my ($what, $args, $delay) = @$case;
	# One connection, so that page 2 waits for the delay after page 1.
	$s->query_safe("SET spojscore.page_delay = $delay; SET spojscore.connections = 1") if $delay;
	my (@lat, $all_ok);
	$all_ok = 1;
	for my $i (1 .. $repeat)
	{
		my ($ok, $dt, $seg) = cancel_once($args->($i), "R2 $what #$i");
		$all_ok &&= $ok;
		push @lat, $dt;
		if ($delay)    # cancelled after page 1, before page 2 was asked for
		{
			my $h = fixture_hits($seg)->{requests};
			$all_ok &&= $h == 1;
			diag "R2 $what #$i: fixture saw $h requests, expected 1" if $h != 1;
		}
	}
	$s->query_safe('RESET spojscore.page_delay; RESET spojscore.connections') if $delay;
	ok($all_ok, "R2 $what: pg_cancel_backend gives 57014 ($repeat runs)");
	my $max = max_of(@lat);
	note sprintf('R2 %s: cancel latency max %.3f s over %d runs (%s)',
		$what, $max, scalar @lat, join(' ', map { sprintf '%.3f', $_ } @lat));
	ok($max < $limit, sprintf('R2 %s: every cancel within %.1fs (max %.3f s)',
		$what, $limit, $max));
	is(checksum($node), $before, "R2 $what: data intact");
}

# --- R4: the session's own timers and cancel still work ----------------------------
# The same session: cancelled and timed-out refreshes above, then a success and a failure.
set_url('ok,total=130,t=r4ok');
my $r = bg_run($s, 'SELECT pages, rows_seen FROM spoj_refresh()', 30);
is($r->{stdout}, '3|130', 'R4: a refresh succeeds after the cancelled ones')
  or diag $r->{stderr};
set_url('status,code=404,total=130,t=r4fail');
$r = bg_run($s, 'SELECT * FROM spoj_refresh()', 30);
like($r->{stderr}, qr/ERROR:\s+08006: spojscore:/, 'R4: a refresh fails with 08006 on HTTP 404');

$s->query_safe("SET statement_timeout = '200ms'");
$r = bg_run($s, 'SELECT pg_sleep(5)', 10);
$s->query_safe('RESET statement_timeout');
ok($r->{sqlstate} eq '57014' && $r->{elapsed} < $limit,
	sprintf('R4: statement_timeout 200ms still stops pg_sleep(5) (%.3f s)', $r->{elapsed}))
  or diag $r->{stderr};

bg_start($s, 'SELECT pg_sleep(5)');
sleep 0.2;
my $t0 = time;
$ctl->query_safe("SELECT pg_cancel_backend($pid)");
$r = bg_wait($s, 10);
ok($r->{sqlstate} eq '57014' && $r->{t} - $t0 < $limit,
	sprintf('R4: pg_cancel_backend still stops pg_sleep(5) (%.3f s)', $r->{t} - $t0))
  or diag $r->{stderr};
is($s->query_safe('SELECT 1'), '1', 'R4: the session is usable');

# --- R3: pg_terminate_backend while stalled mid-body -------------------------------
my $seg = 'stall_body,total=130,seconds=20,t=r3';
set_url($seg);
bg_start($s, 'SELECT * FROM spoj_refresh()');
ok(wait_for_hits($seg, 1, 20), 'R3: the refresh is stalled mid-body');
sleep 0.3;
my $log_offset = -s $node->logfile;
$t0 = time;
$ctl->query_safe("SELECT pg_terminate_backend($pid)");
my $gone = wait_until(5, sub {
	$ctl->query_safe("SELECT count(*) FROM pg_stat_activity WHERE pid = $pid") eq '0'
	  && !kill(0, $pid);
});
my $dt = time - $t0;
note sprintf('R3: backend gone %.3f s after pg_terminate_backend', $dt);
ok($gone && $dt < $limit, sprintf('R3: the backend is gone within %.1fs (%.3f s)', $limit, $dt));
$r = bg_wait($s, 10);
like($r->{stderr}, qr/terminating connection due to administrator command/,
	'R3: the client gets FATAL terminating connection');
ok( wait_until($limit, sub { fixture_hits($seg)->{open_connections} == 0 }),
	'R3: the fixture connection is closed');
ok(wait_until(5, sub {
	slurp_file($node->logfile, $log_offset) =~ /terminating connection due to administrator command/ }),
	'R3: server log has "terminating connection due to administrator command"');
unlike(slurp_file($node->logfile), qr/terminated by signal|exited with exit code|all server processes terminated/,
	'R3: no crash or restart in the server log');
is($ctl->query_safe('SELECT 1'), '1', 'R3: the server still accepts queries');
is(checksum($node), $before, 'R3: data intact');
like(seed_table($node, 'ok,total=130,t=r3after'), qr/^3\|130\|0$/,
	'R3: a new session refreshes normally afterwards (nothing left locked)');

$ctl->quit;
eval { $s->{run}->kill_kill; };
$node->stop;
done_testing();
