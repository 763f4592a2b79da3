# Helpers shared by the spojscore TAP tests (test/t/*.pl): the spojfix fault server, a
# throwaway cluster with the extension, the data checksum, and psql sessions kept open in
# the background whose statements can be timed, cancelled and terminated.
package SpojTest;

use strict;
use warnings;
use Exporter 'import';
use HTTP::Tiny;
use JSON::PP;
use Time::HiRes qw(time sleep);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

our @EXPORT = qw(fixture_url scenario_url fixture_hits profile_requests wait_for_hits wait_until
  spoj_node checksum seed_table session bg_start bg_wait bg_run sqlstate_of
  last_run max_of);

# Base URL of the fault server test/tap-run started.
sub fixture_url
{
	my $url = $ENV{SPOJFIX_URL};
	BAIL_OUT('SPOJFIX_URL is not set: run the suite through test/tap-run')
	  unless $url;
	return $url;
}

# spojscore.base_url for one scenario segment, e.g. 'ok,total=130'. Tests add a
# distinct ",t=<tag>" to the segment so that fixture hit counts are per test step.
sub scenario_url { return fixture_url() . '/s/' . shift; }

# The fixture's flat summary of one scenario segment (requests, open_connections...).
sub fixture_hits
{
	my ($segment) = @_;
	my $r = HTTP::Tiny->new(timeout => 10)
	  ->get(fixture_url() . "/__hits/$segment");
	die "fixture: GET /__hits/$segment: $r->{status} $r->{reason}"
	  unless $r->{success};
	return decode_json($r->{content});
}

# How many requests the fixture has seen for $handle's profile under $segment.
sub profile_requests
{
	my ($segment, $handle) = @_;
	my $r = HTTP::Tiny->new(timeout => 10)->get(fixture_url() . '/__hits');
	die "fixture: GET /__hits: $r->{status} $r->{reason}" unless $r->{success};
	my $s = decode_json($r->{content})->{scenarios}{$segment} // { paths => [] };
	return scalar grep { m{/users/\Q$handle\E/?$} } @{ $s->{paths} };
}

# Polls $cond->() every 10 ms until it is true or $seconds pass; returns its last value.
sub wait_until
{
	my ($seconds, $cond) = @_;
	my $deadline = time + $seconds;
	while (1)
	{
		my $v = $cond->();
		return $v if $v || time > $deadline;
		sleep 0.01;
	}
}

# Waits until the fixture has seen at least $n requests for $segment.
sub wait_for_hits
{
	my ($segment, $n, $seconds) = @_;
	return wait_until($seconds // 30,
		sub { fixture_hits($segment)->{requests} >= $n });
}

# A started cluster with spojscore (and pg_cron when cron => 1) preloaded and the
# extension created in database postgres. Settings suit 130-row fixtures and short
# fault timeouts; tests override per session with SET. streaming => 1 makes a primary
# that standbys can be made from (backup, init_from_backup).
sub spoj_node
{
	my ($name, %opt) = @_;
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init($opt{streaming} ? (allows_streaming => 1) : ());
	my $preload = $opt{cron} ? 'pg_cron,spojscore' : 'spojscore';
	$node->append_conf(
		'postgresql.conf', qq{
shared_preload_libraries = '$preload'
max_worker_processes = 16
spojscore.min_rows = 100
spojscore.request_timeout = 10000
spojscore.connect_timeout = 2000
log_min_messages = info
});
	$node->append_conf(
		'postgresql.conf', qq{
cron.database_name = 'postgres'
cron.use_background_workers = on
}) if $opt{cron};
	$node->append_conf('postgresql.conf', $opt{conf}) if $opt{conf};
	$node->start;
	$node->safe_psql('postgres', 'CREATE EXTENSION spojscore');
	return $node;
}

my $checksum_sql =
  q{SELECT count(*) || ' ' || coalesce(md5(string_agg(code || ':' || users || ':' || name, ',' ORDER BY code)), '-') FROM spoj_problems};

sub checksum
{
	my ($node) = @_;
	return $node->safe_psql('postgres', $checksum_sql);
}

# A successful refresh of 130 rows; returns the result row (pipe-separated).
sub seed_table
{
	my ($node, $segment) = @_;
	$segment //= 'ok,total=130';
	my $url = scenario_url($segment);
	return $node->safe_psql('postgres',
		qq{SET spojscore.base_url = '$url';
		   SELECT pages, rows_seen, inserted FROM spoj_refresh()});
}

# A psql session kept open: errors do not end it and carry their SQLSTATE
# (VERBOSITY verbose: "ERROR:  57014: canceling statement ...").
sub session
{
	my ($node) = @_;
	my $bg = $node->background_psql(
		'postgres',
		on_error_stop => 0,
		extra_params => [ '-v', 'VERBOSITY=verbose' ]);
	$bg->{spoj_pid} = $bg->query_safe('SELECT pg_backend_pid()');
	return $bg;
}

# Sends $sql to the session without waiting; bg_wait collects the outcome.
sub bg_start
{
	my ($bg, $sql) = @_;
	my $n = ++$bg->{spoj_n};
	$bg->{stdout} = '';
	$bg->{stderr} = '';
	$bg->{spoj_marker} = "spojtest-done-$n";
	$bg->{stdin} .= "$sql\n;\n\\echo '$bg->{spoj_marker}'\n\\warn '$bg->{spoj_marker}'\n";
	$bg->{run}->pump_nb;
	return time;
}

# Pumps the session until the statement bg_start sent has finished (or psql has
# exited, e.g. after pg_terminate_backend). Returns a hash: done (statement
# finished), gone (psql exited), t (time of completion), stdout, stderr, sqlstate.
sub bg_wait
{
	my ($bg, $seconds) = @_;
	my $deadline = time + ($seconds // 60);
	my %r = (done => 0, gone => 0);
	while (1)
	{
		my $alive = eval { $bg->{run}->pump_nb; 1 } && $bg->{run}->pumpable;
		if (   $bg->{stdout} =~ /\Q$bg->{spoj_marker}\E/
			&& $bg->{stderr} =~ /\Q$bg->{spoj_marker}\E/)
		{
			$r{done} = 1;
			last;
		}
		if (!$alive)
		{
			$r{gone} = 1;
			last;
		}
		last if time > $deadline;
		sleep 0.002;
	}
	$r{t} = time;
	($r{stdout} = $bg->{stdout}) =~ s/\n?\Q$bg->{spoj_marker}\E\n?//;
	($r{stderr} = $bg->{stderr}) =~ s/\n?\Q$bg->{spoj_marker}\E\n?//;
	# query()/query_safe() of BackgroundPsql do not clear stderr before a query.
	$bg->{stdout} = '';
	$bg->{stderr} = '';
	$r{sqlstate} = sqlstate_of($r{stderr});
	return \%r;
}

# bg_start + bg_wait; adds elapsed (seconds).
sub bg_run
{
	my ($bg, $sql, $seconds) = @_;
	my $t0 = bg_start($bg, $sql);
	my $r = bg_wait($bg, $seconds);
	$r->{elapsed} = $r->{t} - $t0;
	return $r;
}

sub sqlstate_of
{
	my ($stderr) = @_;
	return $stderr =~ /(?:ERROR|FATAL):\s+([0-9A-Z]{5}):/ ? $1 : '';
}

# The newest spoj_refresh_runs row as a hash.
sub last_run
{
	my ($node) = @_;
	my @cols = qw(id status pages rows_seen inserted error sqlstate);
	my $row = $node->safe_psql('postgres',
		'SELECT ' . join(', ', map { "coalesce(${_}::text, '')" } @cols)
		  . ' FROM spoj_refresh_runs ORDER BY id DESC LIMIT 1');
	my %h;
	@h{@cols} = split /\|/, $row, scalar @cols;
	return \%h;
}

sub max_of
{
	my $m = shift;
	for (@_) { $m = $_ if $_ > $m }
	return $m;
}

1;
