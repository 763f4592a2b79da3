# R5: one backend runs 100 refreshes against 3-page fixtures, cycling success, HTTP 500,
# a request timeout, a cancel (statement_timeout), a layout error and an oversize body;
# its VmRSS after run 100 may exceed that after run 10 by less than 2 MB (pgsql-http #73
# leaked ~2 MB/s). Slow cases (the 1 s timeout) are few; the total stays 100.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(time);
use SpojTest;

my $runs = 100;
my $limit_kb = 2048;

my $node = spoj_node('leak');
my $s = session($node);
my $pid = $s->{spoj_pid};
$s->query_safe('SET spojscore.page_delay = 0; SET spojscore.request_timeout = 1000');

# kind => [scenario segment, expected SQLSTATE ('' = success), statement_timeout ms]
my %case = (
	ok      => [ 'ok,total=130,t=r5ok',                            '',      0 ],
	http500 => [ 'status,code=500,total=130,t=r5_500',             '08006', 0 ],
	timeout => [ 'stall_headers,seconds=20,total=130,t=r5timeout', '08006', 0 ],
	cancel  => [ 'stall_body,seconds=20,total=130,t=r5cancel',     '57014', 300 ],
	layout  => [ 'ok,v_blocked=challenge,total=130,t=r5layout',    '22000', 0 ],
	huge    => [ 'huge,total=130,t=r5huge',                        '54000', 0 ],
);
my @cycle = qw(ok http500 cancel layout huge);
my %timeout_at = map { $_ => 1 } (4, 24, 44, 64, 84);    # 5 of 100: 1 s each

sub proc_status
{
	my $st = slurp_file("/proc/$pid/status");
	my %kb = map { $st =~ /^$_:\s+(\d+) kB/m ? ($_ => $1) : () }
	  qw(VmRSS RssAnon RssFile RssShmem VmHWM);
	return \%kb;
}

my (%count, %bad, $at10, $at100);
my $t0 = time;
for my $i (1 .. $runs)
{
	my $kind = $timeout_at{$i} ? 'timeout' : $cycle[ ($i - 1) % @cycle ];
	my ($seg, $want, $stmt_ms) = @{ $case{$kind} };
	my $url = scenario_url($seg);
	my $sql = "SET spojscore.base_url = '$url';\n"
	  . ($stmt_ms ? "SET statement_timeout = $stmt_ms;\n" : '')
	  . "SELECT pages, rows_seen FROM spoj_refresh();\n"
	  . ($stmt_ms ? "RESET statement_timeout;\n" : '');
	my $r = bg_run($s, $sql, 30);
	my $ok = $r->{done}
	  && ($want eq '' ? $r->{stdout} =~ /^3\|130$/m && $r->{sqlstate} eq '' : $r->{sqlstate} eq $want);
	$count{$kind}++;
	unless ($ok)
	{
		$bad{$kind}++;
		diag "run $i ($kind): done=$r->{done} sqlstate=$r->{sqlstate} stdout=$r->{stdout} stderr=$r->{stderr}";
	}
	$at10 = proc_status() if $i == 10;
	$at100 = proc_status() if $i == $runs;
}
my $elapsed = time - $t0;

note sprintf('R5: %d runs in %.1f s: %s', $runs, $elapsed,
	join(', ', map { "$_ $count{$_}" } sort keys %count));
for my $k (qw(VmRSS RssAnon RssFile RssShmem VmHWM))
{
	note sprintf('R5: %-8s after run 10: %7d kB, after run %d: %7d kB, growth %+d kB',
		$k, $at10->{$k} // -1, $runs, $at100->{$k} // -1, ($at100->{$k} // 0) - ($at10->{$k} // 0));
}

is(scalar(keys %bad), 0, "R5: every one of the $runs refreshes ended as expected")
  or diag explain \%bad;
ok($count{$_} >= 5, "R5: case $_ ran $count{$_} times") for sort keys %case;
ok(defined $at10->{VmRSS} && defined $at100->{VmRSS}, 'R5: VmRSS read from /proc/<backend>/status');
my $growth = $at100->{VmRSS} - $at10->{VmRSS};
ok($growth < $limit_kb,
	sprintf('R5: VmRSS growth from run 10 to run %d is %d kB (< %d kB)', $runs, $growth, $limit_kb));
is($s->query_safe('SELECT 1'), '1', 'R5: the session is still usable');
is($s->query_safe('SELECT count(*) FROM spoj_problems'), '130', 'R5: the table holds the 130 rows');

$s->quit;
$node->stop;
done_testing();
