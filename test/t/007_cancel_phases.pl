# R2/R9 for the phases 001_cancel.pl does not reach: pg_cancel_backend while the refresh
# waits in its apply statement (another session holds a row lock), and while it parses
# many large pages (spoj_load_pages, no network). Either way: PostgreSQL's own 57014
# within 500 ms, the table unchanged, no run recorded, the session usable.
use strict;
use warnings;
use HTTP::Tiny;
use MIME::Base64 qw(encode_base64);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(time sleep);
use SpojTest;

my $limit = 0.5;
my $repeat = $ENV{SPOJ_CANCEL_REPEAT} // 5;

my $node = spoj_node('phases');
like(seed_table($node), qr/^3\|130\|130$/, 'seed: 3 pages, 130 rows inserted');
# Local edits that the next refresh (seed 1 again) would undo on every row: had any of
# the cancelled applies committed, the checksum would differ.
$node->safe_psql('postgres', 'UPDATE spoj_problems SET users = users + 1');
my $before = checksum($node);
my $runs_sql = 'SELECT count(*) FROM spoj_refresh_runs';
my $runs = $node->safe_psql('postgres', $runs_sql);

my $s = session($node);
my $ctl = session($node);
my $pid = $s->{spoj_pid};

# Sends $sql, waits for $ready->(), sleeps $settle, cancels; returns (ok, latency).
sub cancel_during
{
	my ($sql, $ready, $settle, $label) = @_;
	bg_start($s, $sql);
	my $seen = $ready->();
	sleep $settle if $settle;
	my $t0 = time;
	my $sent = $ctl->query_safe("SELECT pg_cancel_backend($pid)");
	my $r = bg_wait($s, 30);
	my $dt = $r->{t} - $t0;
	my $ok = $seen && $sent eq 't' && $r->{done} && $r->{sqlstate} eq '57014'
	  && $r->{stderr} =~ /canceling statement due to user request/;
	diag "$label: ready=$seen cancel=$sent done=$r->{done} stdout: $r->{stdout} stderr: $r->{stderr}"
	  unless $ok;
	return ($ok, $dt);
}

# --- R2 apply phase: the upsert waits on a row another session has locked -------------
my $locker = session($node);
my $code = $locker->query_safe('SELECT code FROM spoj_problems ORDER BY code OFFSET 65 LIMIT 1');
$locker->query_safe("BEGIN; UPDATE spoj_problems SET users = users WHERE code = '$code'");
my (@lat, $all_ok);
$all_ok = 1;
for my $i (1 .. $repeat)
{
	$s->query_safe("SET spojscore.base_url = '" . scenario_url("ok,total=130,t=r2apply$i") . "'");
	my $waiting = sub {
		wait_until(20, sub {
			$ctl->query_safe("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = $pid") eq 't';
		});
	};
	my ($ok, $dt) = cancel_during('SELECT * FROM spoj_refresh()', $waiting, 0.2, "R2 apply #$i");
	$all_ok &&= $ok;
	push @lat, $dt;
}
ok($all_ok, "R2 apply phase: blocked on the locked row $code, pg_cancel_backend gives 57014 ($repeat runs)");
my $max = max_of(@lat);
note sprintf('R2 apply phase: cancel latency max %.3f s over %d runs (%s)',
	$max, scalar @lat, join(' ', map { sprintf '%.3f', $_ } @lat));
ok($max < $limit, sprintf('R2 apply phase: every cancel within %.1fs (max %.3f s)', $limit, $max));
# The refresh lock is the row of spoj_refresh_lock (RowShareLock on the table).
is($ctl->query_safe("SELECT count(*) FROM pg_locks WHERE pid = $pid AND locktype = 'relation'
	AND relation = 'spoj_refresh_lock'::regclass"), '0',
	'R2 apply phase: the refresh lock (spoj_refresh_lock) was released');
is($ctl->query_safe('SELECT refresh_running FROM spoj_status()'), 'f',
	'R2 apply phase: spoj_status() says no refresh is running');
$locker->query_safe('ROLLBACK');
is(checksum($node), $before, 'R2 apply phase: the table is unchanged');
is($node->safe_psql('postgres', $runs_sql), $runs, 'R2 apply phase: no run recorded');
is($s->query_safe('SELECT 1'), '1', 'R2 apply phase: the session is usable');

# --- R9 parse phase: spoj_load_pages over 40 pages of ~1.8 MB -------------------------
# The fixture's 40 pages of a 2000-row list, each padded with 130,000 <span>s after
# <body> (under the 2 MiB page cap): ~80 ms of libxml2 parsing per page here.
my $npages = 40;
my $http = HTTP::Tiny->new(timeout => 10);
my @values;
for my $k (0 .. $npages - 1)
{
	my $url = scenario_url('ok,total=2000,t=r9src') . '/problems/classical/sort=0,start=' . 50 * $k;
	my $res = $http->get($url);
	die "GET $url: $res->{status}" unless $res->{success};
	push @values, sprintf("(%d, convert_from(decode('%s', 'base64'), 'UTF8'))",
		$k + 1, encode_base64($res->{content}, ''));
}
$node->safe_psql('postgres', 'CREATE TABLE r9_pages (n int, html text); INSERT INTO r9_pages VALUES '
	  . join(',', @values));
$node->safe_psql('postgres', q{CREATE TABLE r9_big AS SELECT n,
	replace(html, '<body>', '<body>' || repeat('<span>a</span>', 130000)) AS html FROM r9_pages});
my $sizes = $node->safe_psql('postgres',
	q{SELECT count(*) || ' pages, max ' || max(octet_length(html)) || ' bytes, total ' || sum(octet_length(html)) FROM r9_big});
note "R9: $sizes";

# How long the array takes to build (detoast) and how long parsing takes, uncancelled.
my $t0 = time;
$s->query_safe('SELECT cardinality(array_agg(html ORDER BY n)) FROM r9_big');
my $t_prep = time - $t0;
$t0 = time;
my $parsed = $s->query_safe(
	'SELECT (_spoj_parse_pages(array_agg(html ORDER BY n))).rows_seen FROM r9_big');
my $t_parse = time - $t0 - $t_prep;
is($parsed, '2000', "R9: the $npages padded pages parse (2000 rows)");
note sprintf('R9: building the array %.3f s, parsing %.3f s (%.0f ms per page)',
	$t_prep, $t_parse, 1000 * $t_parse / $npages);
# (Parse speed is a benchmark's business: bench/RESULTS.md; here it only sets the cancel points.)
my $hwm = slurp_file("/proc/$pid/status") =~ /^VmHWM:\s+(\d+) kB/m ? $1 : -1;
note "R9: backend VmHWM after parsing: $hwm kB";
ok($t_parse > 1.0, 'R9: parsing lasts long enough to cancel it mid-way')
  or diag 'parsing was too quick here; the cancels below may land after it';

@lat = ();
$all_ok = 1;
my $load = 'SELECT * FROM spoj_load_pages((SELECT array_agg(html ORDER BY n) FROM r9_big))';
for my $i (1 .. $repeat)
{
	# Spread over the parse: 15 % ... 55 % of it, after the array is built (the uncancelled
	# timing above varies by up to ~2x under load; later points could land after the end).
	my $at = $t_prep + $t_parse * (0.15 + 0.4 * ($i - 1) / max_of($repeat - 1, 1));
	my ($ok, $dt) = cancel_during($load, sub { 1 }, $at, sprintf('R9 parse #%d at %.2f s', $i, $at));
	$all_ok &&= $ok;
	push @lat, $dt;
}
ok($all_ok, "R9 parse phase: pg_cancel_backend while parsing gives 57014 ($repeat runs)");
$max = max_of(@lat);
note sprintf('R9 parse phase: cancel latency max %.3f s over %d runs (%s)',
	$max, scalar @lat, join(' ', map { sprintf '%.3f', $_ } @lat));
# statement_timeout during parsing, too.
my $timeout = $t_prep + $t_parse / 2;
$s->query_safe(sprintf('SET statement_timeout = %d', 1000 * $timeout));
my $r = bg_run($s, $load, 30);
$s->query_safe('RESET statement_timeout');
ok($r->{sqlstate} eq '57014' && $r->{stderr} =~ /statement timeout/,
	sprintf('R9 parse phase: statement_timeout mid-parse gives 57014 (after %.3f s)', $r->{elapsed}))
  or diag $r->{stderr};
note sprintf('R9 parse phase: statement_timeout %.3f s -> error after %.3f s', $timeout, $r->{elapsed});

ok($max < $limit, sprintf('R9 parse phase: every cancel within %.1fs (max %.3f s)', $limit, $max));
ok($r->{elapsed} < $timeout + $limit,
	sprintf('R9 parse phase: statement_timeout %.3f s fires within %.1fs of it (%.3f s)',
		$timeout, $limit, $r->{elapsed}));
is(checksum($node), $before, 'R9 parse phase: the table is unchanged');
is($node->safe_psql('postgres', $runs_sql), $runs, 'R9 parse phase: no run recorded');
is($s->query_safe('SELECT 1'), '1', 'R9 parse phase: the session is usable');

# --- afterwards the same session refreshes normally -----------------------------------
$s->query_safe("SET spojscore.base_url = '" . scenario_url('ok,total=130,t=r2after') . "'");
$r = bg_run($s, 'SELECT rows_seen, updated FROM spoj_refresh()', 30);
is($r->{stdout}, '130|130', 'afterwards: a refresh in the same session applies (130 rows updated)')
  or diag $r->{stderr};
unlike(slurp_file($node->logfile), qr/terminated by signal|server process .* exited/,
	'no backend crashed');

$locker->quit;
$ctl->quit;
$s->quit;
$node->stop;
done_testing();
