# Issue 11: the new library serving a database still at 0.1.0 (after make install,
# before ALTER EXTENSION spojscore UPDATE). Every function either works or fails with a
# clear error that says to run ALTER EXTENSION spojscore UPDATE: never wrong values or a
# crash. C functions check the shape of the result type they fill.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SpojTest;

my $node = spoj_node('oldsql', conf => "spojscore.page_delay = 0\n");
$node->safe_psql('postgres', q{DROP EXTENSION spojscore; CREATE EXTENSION spojscore VERSION '0.1.0'});
my $url = scenario_url('ok,total=130,t=oldsql');

sub run_sql
{
	my ($sql) = @_;
	my ($ret, $out, $err) = $node->psql('postgres', "SET spojscore.base_url = '$url'; $sql",
		extra_params => [ '-v', 'VERBOSITY=verbose' ]);
	return ($ret, $out, $err);
}

# What 0.1.0's SQL calls, against today's library: each works.
my @works = (
	'SELECT spoj_score(1)' => '1.951219512195122',
	q{SELECT pages, rows_seen, inserted FROM spoj_refresh()} => '3|130|130',
	q{SELECT spoj_refresh_if_stale('1 hour')} => 'fresh',
	q{SELECT rows_present FROM spoj_status()} => '130',
	q{SELECT solved > 0 FROM spoj_user_refresh('alice')} => 't',
	q{SELECT solved > 0 FROM spoj_user_points('alice')} => 't',
	q{SELECT count(*) > 0 FROM spoj_recommend('alice')} => 't',
	q{SELECT count(*) FROM spoj_parse_list('<table class="problems"><tr><th>ID</th><th>NAME</th><th>USERS</th><th>ACC %</th></tr><tr><td>1</td><td><a href="/problems/TEST/">Life</a></td><td><a href="/ranks/TEST/">9</a></td><td>50.0</td></tr></table><div id="footer">All Rights Reserved.</div>')}
	  => '1',
	q{SELECT (spoj_parse_profile(pg_catalog.repeat('x', 10))).handle} => undef,
);
while (my ($sql, $want) = splice(@works, 0, 2))
{
	my ($ret, $out, $err) = run_sql($sql);
	if (defined $want) { is($out, $want, "0.1.0 SQL, new library: $sql") or diag $err; }
	else { like($err, qr/ERROR:\s+22000/, "0.1.0 SQL, new library: $sql raises its own 22000") or diag $err; }
}
my ($ret, $out, $err) = run_sql('CALL spoj_refresh_job()');
is($ret, 0, '0.1.0 SQL, new library: CALL spoj_refresh_job() works') or diag $err;
is($node->safe_psql('postgres', q{SELECT status FROM spoj_refresh_runs ORDER BY id DESC LIMIT 1}), 'ok',
	'... and records its run');

# A declaration whose result does not have the shape the library fills: a clear error,
# not a crash or a misread value.
$node->safe_psql('postgres', q{
CREATE TYPE old_profile AS (handle text, full_name text, site_rank integer);
CREATE FUNCTION old_parse_profile(text) RETURNS old_profile AS '$libdir/spojscore', 'spoj_parse_profile'
  LANGUAGE C STRICT;
CREATE FUNCTION old_parse_list(text) RETURNS TABLE (spoj_id bigint, code text)
  AS '$libdir/spojscore', 'spoj_parse_list' LANGUAGE C STRICT;
CREATE TYPE old_fetch AS (codes text[], pages integer);
CREATE FUNCTION old_fetch() RETURNS old_fetch AS '$libdir/spojscore', 'spoj_fetch' LANGUAGE C;
});
my $profile_page = q{'<html><body><div id="user-profile-left"><h3>Alice</h3><h4>@alice</h4></div></body></html>'};
for my $call ("SELECT * FROM old_parse_profile($profile_page)", "SELECT * FROM old_parse_list('<p>')",
	'SELECT * FROM old_fetch()')
{
	($ret, $out, $err) = run_sql($call);
	like($err, qr/ERROR:\s+55000: spojscore: the SQL declaration of old_\w+\(.*\) does not match the spojscore 0\.2\.0 library/,
		"$call: 55000 naming the declaration") or diag $err;
	like($err, qr/HINT:\s+Run ALTER EXTENSION spojscore UPDATE/, '... with the hint to update');
}
is($node->safe_psql('postgres', 'SELECT 1'), '1', 'the server is still up');

($ret, $out, $err) = run_sql('ALTER EXTENSION spojscore UPDATE');
is($ret, 0, 'then the update succeeds') or diag $err;
is($node->safe_psql('postgres', 'SELECT rows_present FROM spoj_status()'), '130', 'and the data is there');

$node->stop;
done_testing();
