# Issue 12 item 5: on a hot standby every function that fetches or writes fails at once
# with 25006, saying to run it on the primary, before any request (the fault server counts
# none for the standby's base_url); spoj_refresh_job reports that cause, not the INSERT
# error of its failure recorder. Read-only functions work there on the replicated data.
# (0.1.0 fetched every page, or the profile, first and only then failed: the request
# counts below were > 0 there.)
use strict;
use warnings;
use HTTP::Tiny;
use MIME::Base64 qw(encode_base64);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SpojTest;

my $primary = spoj_node('primary', streaming => 1, conf => "spojscore.page_delay = 0\n");
like(seed_table($primary, 'ok,total=130,t=standby'), qr/^3\|130\|130$/, 'primary: 130 rows');
my $purl = scenario_url('ok,total=130,t=standby');
$primary->safe_psql('postgres', qq{SET spojscore.base_url = '$purl';
	SELECT spoj_track_user('alice'); SELECT solved FROM spoj_user_refresh('alice');});

# Control: a database still at 0.1.0, replicated too.
$primary->safe_psql('postgres', 'CREATE DATABASE old');
$primary->safe_psql('old', "CREATE EXTENSION spojscore VERSION '0.1.0'");

$primary->backup('b');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($primary, 'b', has_streaming => 1);
# The standby's own URL, a segment nothing else uses: any request it sends is counted.
my $sseg = 'ok,total=130,t=standby-on-standby';
$standby->append_conf('postgresql.conf', "spojscore.base_url = '" . scenario_url($sseg) . "'\n");
$standby->start;

# A change after the backup, so that the data on the standby came by streaming.
$primary->safe_psql('postgres', qq{SET spojscore.base_url = '$purl';
	SELECT spoj_track_user('bob'); SELECT solved FROM spoj_user_refresh('bob');});
$primary->wait_for_catchup('standby');
is($standby->safe_psql('postgres', 'SELECT pg_is_in_recovery()'), 't', 'the standby is in recovery');
is(checksum($standby), checksum($primary), 'the standby has the primary\'s spoj_problems (count + checksum)');
my $runs = 'SELECT count(*) FROM spoj_refresh_runs';
my $runs_before = $primary->safe_psql('postgres', $runs);

# Saved pages for the parse functions and spoj_load_pages (from another segment).
my $http = HTTP::Tiny->new(timeout => 10);
sub page_literal
{
	my ($path) = @_;
	my $res = $http->get(scenario_url('ok,total=130,t=standby-pages') . $path);
	die "GET $path: $res->{status}" unless $res->{success};
	return sprintf("convert_from(decode('%s', 'base64'), 'UTF8')", encode_base64($res->{content}, ''));
}
my $list_page = page_literal('/problems/classical/sort=0,start=0');
my $profile_page = page_literal('/users/alice/');

# $sql with its page literals shortened, for test names.
sub short
{
	my ($sql) = @_;
	$sql =~ s/convert_from\(decode\('[^']*', 'base64'\), 'UTF8'\)/<page>/g;
	return $sql;
}

# The data is older than the 1 second of the if-stale calls below.
sleep 1.2;

my $s = session($standby);
my @writes = (
	'SELECT * FROM spoj_refresh()',
	q{SELECT spoj_refresh_if_stale('1 second')},
	'CALL spoj_refresh_job()',
	q{CALL spoj_refresh_job('1 second')},
	q{SELECT * FROM spoj_user_refresh('someone')},
	'SELECT * FROM spoj_refresh_tracked_users()',
	"SELECT * FROM spoj_load_pages(ARRAY[$list_page])",
	"SELECT * FROM spoj_user_load_profile('alice', $profile_page)",
	q{SELECT spoj_track_user('x')},
	q{SELECT spoj_untrack_user('alice')},
	'SELECT * FROM spoj_cleanup()',
	q{CALL _spoj_record_failure(now(), 'x', 'XX000')});
for my $sql (@writes)
{
	my $label = short($sql);
	my $r = bg_run($s, $sql, 60);
	my $ok = $r->{sqlstate} eq '25006'
	  && $r->{stderr} =~ /ERROR:\s+25006: spojscore: this server is a standby; refreshes and other writes run on the primary/
	  && $r->{stderr} =~ /HINT:\s+Run it on the primary/;
	ok($ok, "standby: $label fails with 25006, saying to run it on the primary") or diag $r->{stderr};
	unlike($r->{stderr}, qr/cannot execute \w+ in a read-only transaction/,
		"standby: $label reports that cause, not a secondary read-only error");
	ok($r->{elapsed} < 0.5, sprintf('standby: %s fails at once (%.3f s)', $label, $r->{elapsed}));
}
is(fixture_hits($sseg)->{requests}, 0, 'standby: not one request was sent to its base_url');

# Control: on the standby, 0.1.0's refresh downloads the list before it fails (this test
# can fail).
my $cseg = 'ok,total=130,t=standby-control';
my ($ret, $out, $err) = $standby->psql('old',
	"SET spojscore.base_url = '" . scenario_url($cseg) . "'; SELECT * FROM spoj_refresh()",
	extra_params => [ '-v', 'VERBOSITY=verbose' ]);
my $sent = fixture_hits($cseg)->{requests};
note "control (0.1.0 on the standby): $sent requests, then: $err";
ok($sent >= 3 && $err =~ /ERROR:\s+25006: cannot execute \w+ in a read-only transaction/,
	"control: 0.1.0's spoj_refresh() on the standby sends $sent requests, then fails with its write's 25006");

# Read-only functions work on the standby and agree with the primary.
my @reads = (
	'SELECT rows_present, rows_missing, refresh_running, stale, last_success IS NOT NULL FROM spoj_status()',
	q{SELECT handle, solved, points, site_points FROM spoj_user_points('alice')},
	q{SELECT code, users, score FROM spoj_recommend('alice', 5)},
	q{SELECT handle, solved FROM spoj_user_points('bob')},
	"SELECT count(*), min(code), max(code) FROM spoj_parse_list($list_page)",
	"SELECT (p).handle, cardinality((p).solved) FROM (SELECT spoj_parse_profile($profile_page) AS p) x",
	'SELECT spoj_score(1)');
for my $sql (@reads)
{
	my $label = short($sql);
	my $r = bg_run($s, $sql, 30);
	my $want = $primary->safe_psql('postgres', $sql);
	ok($r->{stderr} eq '' && $r->{stdout} ne '', "standby: $label works") or diag $r->{stderr};
	is($r->{stdout}, $want, "standby: $label gives what the primary gives");
}
$s->quit;

is(fixture_hits($sseg)->{requests}, 0, 'standby: still no request');
is($primary->safe_psql('postgres', $runs), $runs_before, 'the primary recorded no run for the standby\'s attempts');
is(checksum($standby), checksum($primary), 'the data is still identical on both');
unlike(slurp_file($standby->logfile), qr/terminated by signal/, 'no standby backend crashed');

$standby->stop;
$primary->stop;
done_testing();
