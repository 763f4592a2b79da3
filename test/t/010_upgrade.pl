# Issue 11: 0.1.0 -> 0.2.0 in place. A database created at 0.1.0 holding real state
# (refreshes with history, a failed run, a tracked user's profile, a pg_cron job, a reader
# and a refresher role with the README's grants) is updated with ALTER EXTENSION spojscore
# UPDATE. Then every extension object is identical to a fresh 0.2.0 install (the
# properties test/sql/extension-catalog.sql lists), the data, the grants and the job
# survived, and refreshes work. DROP EXTENSION leaves no spojscore job in pg_cron; a job
# in another database, out of reach, then does nothing harmful.
use strict;
use warnings;
use File::Basename qw(dirname);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SpojTest;

my $catalog_sql = slurp_file(dirname(__FILE__) . '/../sql/extension-catalog.sql');
sub catalog { my ($node, $db) = @_; return $node->safe_psql($db, $catalog_sql); }

# The README's roles and grants (section "Roles"), for the extension in public.
my $grants = q{
GRANT EXECUTE ON FUNCTION spoj_refresh(boolean), spoj_refresh_if_stale(interval),
                          spoj_load_pages(text[], boolean), spoj_refresh_tracked_users(interval),
                          spoj_user_refresh(text), spoj_track_user(text), spoj_untrack_user(text),
                          spoj_schedule(text, interval, interval), spoj_unschedule()
                          TO spoj_refresher;
GRANT EXECUTE ON PROCEDURE spoj_refresh_job(interval, boolean),
                           _spoj_record_failure(timestamptz, text, text) TO spoj_refresher;
GRANT EXECUTE ON FUNCTION spoj_cleanup(interval) TO spoj_refresher;
-- a DBA who keeps the status to named roles (0.2.0 re-creates spoj_status with a new column)
REVOKE EXECUTE ON FUNCTION spoj_status() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION spoj_status() TO spoj_reader;
};

my $node = spoj_node('upgrade', cron => 1, conf => "spojscore.page_delay = 0\n");
$node->safe_psql('postgres', q{
DROP EXTENSION spojscore;
CREATE EXTENSION pg_cron;
CREATE EXTENSION spojscore VERSION '0.1.0';
CREATE ROLE spoj_reader LOGIN;
CREATE ROLE spoj_refresher LOGIN;
GRANT USAGE ON SCHEMA cron TO spoj_refresher;
} . $grants);

# --- state made by 0.1.0 ---------------------------------------------------------------
sub as_refresher
{
	my ($sql, $segment) = @_;
	my $url = scenario_url($segment);
	return $node->psql('postgres', "SET spojscore.base_url = '$url'; SET ROLE spoj_refresher; $sql",
		extra_params => [ '-v', 'VERBOSITY=verbose' ]);
}
my ($ret, $out, $err) = as_refresher('SELECT inserted FROM spoj_refresh()', 'ok,total=130,t=up1');
is($out, '130', '0.1.0: the refresher fills the table') or diag $err;
($ret, $out, $err) = as_refresher('SELECT updated FROM spoj_refresh()', 'ok,total=130,bump=10,t=up2');
is($out, '13', '0.1.0: a second day changes 13 problems (history)') or diag $err;
($ret, $out, $err) = as_refresher('CALL spoj_refresh_job()', 'status,code=500,t=up3');
like($err, qr/HTTP 500/, '0.1.0: a failing job run') or diag $err;
($ret, $out, $err) = as_refresher(q{SELECT spoj_track_user('alice'); SELECT solved > 0 FROM spoj_user_refresh('alice')},
	'ok,total=130,t=up4');
like($out, qr/t$/, '0.1.0: a tracked user with a fetched profile') or diag $err;
($ret, $out, $err) = as_refresher(q{SELECT spoj_schedule('17 * * * *', '23 hours') > 0}, 'ok');
is($out, 't', '0.1.0: the refresher schedules its job') or diag $err;

my $state_sql = q{
SELECT (SELECT count(*) || ' ' || md5(string_agg(code || ':' || users || ':' || name || ':' || first_seen
                                             || ':' || changed_at, ',' ORDER BY code)) FROM spoj_problems),
       (SELECT count(*) || ' ' || md5(string_agg(code || seen_at || users, ',' ORDER BY code, seen_at))
          FROM spoj_problem_history),
       (SELECT string_agg(id || status || coalesce(sqlstate, '-'), ',' ORDER BY id) FROM spoj_refresh_runs),
       (SELECT string_agg(handle || ':' || coalesce(refreshed_at::text, '-'), ',') FROM spoj_tracked_users),
       (SELECT count(*) FROM spoj_user_solved),
       (SELECT string_agg(jobid || ' ' || jobname || ' ' || username || ' ' || schedule || ' ' || command, ',')
          FROM cron.job),
       (SELECT string_agg(p.oid::regprocedure || '=' || p.proacl::text, ',' ORDER BY p.oid::regprocedure::text)
          FROM pg_proc p WHERE p.proacl::text LIKE '%spoj_refresher%')};
my $before = $node->safe_psql('postgres', $state_sql);
like($before, qr/failed08006/, 'the failed run is recorded');

# --- the update ----------------------------------------------------------------------
($ret, $out, $err) = $node->psql('postgres', 'ALTER EXTENSION spojscore UPDATE');
is($ret, 0, 'ALTER EXTENSION spojscore UPDATE succeeds') or diag $err;
is($node->safe_psql('postgres', q{SELECT extversion FROM pg_extension WHERE extname = 'spojscore'}),
	'0.2.0', 'the extension is at 0.2.0');
is($node->safe_psql('postgres', $state_sql), $before,
	'data, history, run log, tracked users, the job and the refresher\'s grants survived');

# A fresh 0.2.0 install with the same grants.
$node->safe_psql('postgres', 'CREATE DATABASE fresh');
$node->safe_psql('fresh', 'CREATE EXTENSION spojscore;' . $grants);
my ($upgraded, $fresh) = (catalog($node, 'postgres'), catalog($node, 'fresh'));
ok(scalar(split /\n/, $upgraded) > 500, 'the catalog description is not trivially empty');
is($upgraded, $fresh, 'every extension object of the upgraded database equals a fresh 0.2.0 install');
if ($upgraded ne $fresh)
{
	my @u = split /\n/, $upgraded;
	my %f = map { $_ => 1 } split /\n/, $fresh;
	my %uu = map { $_ => 1 } @u;
	diag "only upgraded: $_" for grep { !$f{$_} } @u;
	diag "only fresh: $_" for grep { !$uu{$_} } split /\n/, $fresh;
}

# --- it works, as the same roles -------------------------------------------------------
($ret, $out, $err) = as_refresher('SELECT updated FROM spoj_refresh()', 'ok,total=130,t=up5');
is($out, '13', 'after the update the refresher refreshes (the second day reverted)') or diag $err;
($ret, $out, $err) = $node->psql('postgres', 'SET ROLE spoj_reader; SELECT rows_present, refresh_running FROM spoj_status()');
is($out, '130|f', 'the reader reads the status');
($ret, $out, $err) = $node->psql('postgres', 'SET ROLE spoj_refresher; SELECT rows_present FROM spoj_status()');
like($err, qr/permission denied for function spoj_status/, 'the DBA\'s REVOKE on spoj_status survived its re-creation');
($ret, $out, $err) = $node->psql('postgres', 'SET ROLE spoj_reader; SELECT spoj_refresh()');
like($err, qr/permission denied for function spoj_refresh/, 'the reader still may not refresh');
my $command = $node->safe_psql('postgres', q{SELECT command FROM cron.job WHERE jobname = 'spojscore-refresh'});
($ret, $out, $err) = as_refresher($command, 'ok,total=130,t=up6');
is($ret, 0, 'the job\'s command, kept from 0.1.0, runs as the refresher') or diag $err;

# --- DROP EXTENSION: nothing left behind ----------------------------------------------
($ret, $out, $err) = as_refresher(q{SELECT spoj_schedule('17 * * * *', '23 hours', keep_history => '30 days')}, 'ok');
is($node->safe_psql('postgres', q{SELECT count(*) FROM cron.job WHERE jobname LIKE 'spojscore-%'}), '2',
	'the refresh and cleanup jobs exist');
$node->safe_psql('postgres', 'DROP EXTENSION spojscore');
is($node->safe_psql('postgres', q{SELECT count(*) FROM cron.job}), '0',
	'after DROP EXTENSION spojscore no job remains in pg_cron');

# pg_cron in another database: the job made from spoj_schedule()'s hint outlives the
# extension there, and then only says so.
$node->safe_psql('postgres', 'CREATE EXTENSION spojscore');
$node->safe_psql('postgres', 'CREATE DATABASE app');
$node->safe_psql('app', 'CREATE EXTENSION spojscore');
($ret, $out, $err) = $node->psql('app', 'SELECT spoj_schedule()');
my ($statement) = $err =~ /HINT:.*?run: (SELECT cron\.schedule_in_database\(.*\);)/;
ok($statement, 'in another database spoj_schedule() gives the statement to run') or diag $err;
$node->safe_psql('postgres', $statement);
my $app_command = $node->safe_psql('postgres', q{SELECT command FROM cron.job WHERE database = 'app'});
$node->safe_psql('app', 'DROP EXTENSION spojscore');
($ret, $out, $err) = $node->psql('app', $app_command);
is($ret, 0, 'the orphaned job\'s command does not fail') or diag $err;
like($err, qr/spojscore is not installed in schema public of this database: remove this job/,
	'... it says it has nothing to do');
is($node->safe_psql('postgres', q{SELECT count(*) FROM cron.job WHERE database = 'app'}), '1',
	'that job is still there for the DBA to remove (docs/dba-guide.md)');

$node->stop;
done_testing();
