# O5: pg_dump and restore keep the problems, their history and the run log (the tables
# are extension configuration), and the restored database refreshes as before.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SpojTest;

my $node = spoj_node('dump', conf => "spojscore.page_delay = 0\n");
like(seed_table($node), qr/^3\|130\|130$/, 'seed: 130 rows');
my $sums = q{SELECT (SELECT count(*) FROM spoj_problem_history) || ' '
                    || (SELECT count(*) FROM spoj_refresh_runs) || ' '
                    || (SELECT max(id) FROM spoj_refresh_runs)};
my $before = checksum($node);
my $before_sums = $node->safe_psql('postgres', $sums);

my $dump = $node->basedir . '/dump.sql';
command_ok([ 'pg_dump', '-f', $dump, '-d', $node->connstr('postgres') ], 'pg_dump');
$node->safe_psql('postgres', 'CREATE DATABASE restored');
command_ok([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', $dump, '-d', $node->connstr('restored') ],
	'restore into a new database');

is($node->safe_psql('restored', q{SELECT count(*) || ' ' || md5(string_agg(code || ':' || users || ':' || name, ',' ORDER BY code)) FROM spoj_problems}),
	$before, 'the problems came back');
is($node->safe_psql('restored', $sums), $before_sums, 'history and run log came back');
is($node->safe_psql('restored',
	"SET spojscore.base_url = '" . scenario_url('ok,total=130,t=restored') . "'; SELECT inserted || ' ' || unchanged FROM spoj_refresh()"),
	'0 130', 'a refresh in the restored database finds everything unchanged');
ok($node->safe_psql('restored', 'SELECT max(id) FROM spoj_refresh_runs') > (split / /, $before_sums)[2],
	'... and its run gets a new id (the sequence came back too)');
$node->stop;
done_testing();
