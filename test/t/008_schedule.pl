# spoj_schedule() with pg_cron (O1-O3): errors that say what to do when pg_cron is
# missing or lives in another database; re-scheduling updates the one job; a
# non-superuser refresher's job fills the table; a failing job shows 'failed' with the
# spojscore message, recorded in spoj_refresh_runs, data intact; the if-stale job stays
# idle while the data is fresh and catches up after a restart once the last success is
# older than max_age.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SpojTest;

sub checksum_of
{
	my ($node, $db) = @_;
	return $node->safe_psql($db,
		q{SELECT count(*) || ' ' || md5(string_agg(code || ':' || users, ',' ORDER BY code)) FROM spoj_problems});
}

# --- pg_cron not loaded: spojscore works, scheduling says what to add ----------------
my $plain = spoj_node('nocron');
my ($ret, $out, $err) = $plain->psql('postgres', 'SELECT spoj_schedule()');
isnt($ret, 0, 'without pg_cron loaded spoj_schedule() fails');
like($err, qr/spojscore: pg_cron is not loaded/, '... saying pg_cron is not loaded');
like($err, qr/HINT:.*shared_preload_libraries/, '... and naming shared_preload_libraries');
is($plain->safe_psql('postgres', 'SELECT spoj_score(40)'), '1', 'spojscore itself works without pg_cron');
$plain->stop;

# --- pg_cron loaded but not created here ---------------------------------------------
my $node = spoj_node('sched', cron => 1, conf => "spojscore.page_delay = 0\n");
($ret, $out, $err) = $node->psql('postgres', 'SELECT spoj_schedule()');
like($err, qr/not installed in this database.*HINT:.*CREATE EXTENSION pg_cron/s,
	'pg_cron loaded but not created: the error says to CREATE EXTENSION pg_cron');
$node->safe_psql('postgres', 'CREATE EXTENSION pg_cron');
$node->safe_psql('postgres', "ALTER SYSTEM SET spojscore.base_url = '" . scenario_url('ok,total=130,t=sched') . "'");
$node->safe_psql('postgres', 'SELECT pg_reload_conf()');

# --- a non-superuser refresher with the README's grants -------------------------------
$node->safe_psql('postgres', q{
CREATE ROLE spoj_refresher LOGIN;
GRANT EXECUTE ON FUNCTION spoj_refresh(boolean), spoj_refresh_if_stale(interval),
      spoj_load_pages(text[], boolean), spoj_refresh_tracked_users(interval),
      spoj_user_refresh(text), spoj_track_user(text), spoj_untrack_user(text),
      spoj_schedule(text, interval, interval), spoj_unschedule() TO spoj_refresher;
GRANT EXECUTE ON PROCEDURE spoj_refresh_job(interval, boolean),
      _spoj_record_failure(timestamptz, text, text) TO spoj_refresher;
GRANT USAGE ON SCHEMA cron TO spoj_refresher;
});
my $as_refresher = q{SET ROLE spoj_refresher; SELECT spoj_schedule('* * * * *', '23 hours')};
my $job = $node->safe_psql('postgres', $as_refresher);
is($node->safe_psql('postgres', $as_refresher), $job, 'scheduling again returns the same job');
is($node->safe_psql('postgres',
	q{SELECT count(*) || ' ' || min(username) || ' ' || (min(command) LIKE 'DO $spojscore$%CALL public.spoj_refresh_job(''23:00:00''::interval);%')::text FROM cron.job WHERE jobname = 'spojscore-refresh'}),
	q{1 spoj_refresher true},
	'one job, run as the refresher, calling the if-stale job');

# --- pg_cron in another database: the error gives the statement to run there --------
$node->safe_psql('postgres', 'CREATE DATABASE app');
$node->safe_psql('app', 'CREATE EXTENSION spojscore');
($ret, $out, $err) = $node->psql('app', q{SELECT spoj_schedule('* * * * *', NULL)});
like($err, qr/pg_cron runs in database "postgres", not in "app"/, 'another database: says where pg_cron runs');
my ($statement) = $err =~ /run: (SELECT cron\.schedule_in_database\(.*\);)/;
ok($statement, '... and gives the statement to run there') or diag $err;
my $app_job = $node->safe_psql('postgres', $statement);
is($node->safe_psql('postgres', "SELECT database FROM cron.job WHERE jobid = $app_job"), 'app',
	'that statement schedules the job in database app');

# --- both jobs run within a minute or two and fill their tables ------------------------
ok( $node->poll_query_until('postgres',
		qq{SELECT count(DISTINCT jobid) = 2 FROM cron.job_run_details
		    WHERE jobid IN ($job, $app_job) AND status = 'succeeded'}),
	'pg_cron: both jobs succeeded')
  or diag $node->safe_psql('postgres', 'SELECT jobid, status, return_message FROM cron.job_run_details');
is($node->safe_psql('postgres', 'SELECT count(*) FROM spoj_problems'), '130', 'refresher job: 130 problems');
is($node->safe_psql('app', 'SELECT count(*) FROM spoj_problems'), '130', 'app job: 130 problems');

# --- next minute: app's site answers HTTP 500, postgres' data is fresh ----------------
my $url500 = scenario_url('status,code=500,total=130,t=sched500');
$node->safe_psql('postgres', "ALTER DATABASE app SET spojscore.base_url = '$url500'");
my $app_before = checksum_of($node, 'app');
my $hits = fixture_hits('ok,total=130,t=sched')->{requests};
my $runs_done = $node->safe_psql('postgres',
	"SELECT count(*) FROM cron.job_run_details WHERE jobid = $job AND status = 'succeeded'");
ok( $node->poll_query_until('postgres',
		qq{SELECT count(*) > 0 FROM cron.job_run_details WHERE jobid = $app_job AND status = 'failed'}),
	"pg_cron: app's run against HTTP 500 is 'failed'")
  or diag $node->safe_psql('postgres', 'SELECT jobid, status, return_message FROM cron.job_run_details');
like($node->safe_psql('postgres',
	qq{SELECT return_message FROM cron.job_run_details WHERE jobid = $app_job AND status = 'failed' LIMIT 1}),
	qr/spojscore: page 1: HTTP 500/, '... with the spojscore message in return_message');
is($node->safe_psql('app', q{SELECT status || ' ' || sqlstate FROM spoj_refresh_runs ORDER BY id DESC LIMIT 1}),
	'failed 08006', "... recorded as 'failed' in app's spoj_refresh_runs");
is(checksum_of($node, 'app'), $app_before, "... app's data intact");
$node->safe_psql('postgres', "SELECT cron.unschedule($app_job)");
ok( $node->poll_query_until('postgres',
		"SELECT count(*) > $runs_done FROM cron.job_run_details WHERE jobid = $job AND status = 'succeeded'"),
	'the if-stale job ran again');
is(fixture_hits('ok,total=130,t=sched')->{requests}, $hits, '... and, the data being fresh, made no request');

# --- catch-up: a restart after the last success aged past max_age ----------------------
$node->safe_psql('postgres', q{UPDATE spoj_refresh_runs SET started_at = started_at - interval '30 hours',
                                      finished_at = finished_at - interval '30 hours'});
is($node->safe_psql('postgres', 'SELECT stale FROM spoj_status()'), 't', 'aged 30 hours: stale');
$node->restart;
ok( $node->poll_query_until('postgres',
		q{SELECT count(*) > 0 FROM spoj_refresh_runs WHERE status = 'ok' AND finished_at > now() - interval '10 minutes'}),
	'after the restart the job caught up with a refresh');
is($node->safe_psql('postgres', 'SELECT stale FROM spoj_status()'), 'f', '... and the data is fresh again');
ok(fixture_hits('ok,total=130,t=sched')->{requests} > $hits, '... fetching the pages');

# --- pg_cron 1.4 (Debian 12) vs 1.5+ (Debian 13, sid): time zone and second schedules -----
my $cron_version = $node->safe_psql('postgres', q{SELECT extversion FROM pg_extension WHERE extname = 'pg_cron'});
if ($cron_version =~ /^1\.[0-4](?:\D|$)/) {   # 1.4 reports "1.4-1"
	($ret, $out, $err) = $node->psql('postgres', q{SET ROLE spoj_refresher; SELECT spoj_schedule('30 seconds', NULL)});
	isnt($ret, 0, "pg_cron $cron_version: a schedule in seconds is refused");
	is($node->safe_psql('postgres', q{SELECT current_setting('cron.timezone', true) IS NULL}), 't',
		"pg_cron $cron_version: no cron.timezone (schedules are GMT)");
} else {
	is($node->safe_psql('postgres', 'SHOW cron.timezone'), 'GMT',
		"pg_cron $cron_version: cron.timezone defaults to GMT, as the README's schedules assume");
	is($node->safe_psql('postgres', q{SET ROLE spoj_refresher; SELECT spoj_schedule('30 seconds', NULL)}), $job,
		"pg_cron $cron_version: a schedule in seconds updates the same job");
	is($node->safe_psql('postgres', q{SELECT schedule || ' ' || username FROM cron.job WHERE jobname = 'spojscore-refresh'}),
		'30 seconds spoj_refresher', '... run as the refresher');
}

is($node->safe_psql('postgres', 'SET ROLE spoj_refresher; SELECT spoj_unschedule()'), 't', 'spoj_unschedule() removes the job');
is($node->safe_psql('postgres', q{SELECT count(*) FROM cron.job WHERE jobname = 'spojscore-refresh'}), '0', '... none left');
$node->stop;
done_testing();
