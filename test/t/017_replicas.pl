# Issue 14 item 1: scaling reads. (1) A streaming standby: after a refresh on the primary
# its tables are identical (count and checksum), spoj_status(), spoj_user_points() and
# spoj_recommend() answer there as on the primary, and the pg_cron job defined on the
# primary keeps working once the standby is promoted (the "if stale" job catches up on the
# new primary). (2) Logical replication: a publication of spoj_problems and
# spoj_problem_history reaches a subscriber database in another cluster, either with
# spojscore installed there or with plain tables whose generated columns use the same
# formula; the subscriber computes score and next_score itself (PostgreSQL 15 does not
# send generated columns).
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SpojTest;

# --- (1) streaming standby --------------------------------------------------------------
my $primary = spoj_node('rprimary', streaming => 1, cron => 1, conf => "spojscore.page_delay = 0\n");
like(seed_table($primary, 'ok,total=130,t=rep1'), qr/^3\|130\|130$/, 'primary: 130 rows');
my $purl = scenario_url('ok,total=130,t=rep1');
$primary->safe_psql('postgres', qq{SET spojscore.base_url = '$purl';
	SELECT spoj_track_user('alice'); SELECT solved FROM spoj_user_refresh('alice'); CREATE EXTENSION pg_cron;});
$primary->backup('rb');
my $standby = PostgreSQL::Test::Cluster->new('rstandby');
$standby->init_from_backup($primary, 'rb', has_streaming => 1);
# What the promoted standby's job fetches: a segment nothing else uses.
my $promoted_seg = 'ok,total=130,bump=7,t=rep-promoted';
$standby->append_conf('postgresql.conf', "spojscore.base_url = '" . scenario_url($promoted_seg) . "'\n");
$standby->start;

# A refresh after the backup that changes data: it reaches the standby by streaming.
my $bumped = scenario_url('ok,total=130,bump=5,t=rep2');
is($primary->safe_psql('postgres', "SET spojscore.base_url = '$bumped'; SELECT updated FROM spoj_refresh()"),
	'26', 'primary: a refresh updates 26 rows');
$primary->wait_for_catchup('rstandby');
my $history = q{SELECT count(*) || ' ' || md5(string_agg(code || seen_at || users, ',' ORDER BY code, seen_at)) FROM spoj_problem_history};
my $scores = q{SELECT md5(string_agg(code || score || ':' || next_score, ',' ORDER BY code)) FROM spoj_problems};
is(checksum($standby), checksum($primary), 'standby: spoj_problems identical (count + checksum)');
is($standby->safe_psql('postgres', $history), $primary->safe_psql('postgres', $history),
	'standby: spoj_problem_history identical');
is($standby->safe_psql('postgres', $scores), $primary->safe_psql('postgres', $scores),
	'standby: the generated scores identical');
for my $sql ('SELECT last_success, rows_present, rows_missing, refresh_running, last_interrupted_at FROM spoj_status()',
	q{SELECT handle, solved, points, site_points FROM spoj_user_points('alice')},
	q{SELECT code, users, score, next_score FROM spoj_recommend('alice', 10)})
{
	my $want = $primary->safe_psql('postgres', $sql);
	my ($ret, $got, $err) = $standby->psql('postgres', $sql);
	ok($ret == 0 && $got ne '', "standby answers: $sql") or diag $err;
	is($got, $want, '... as the primary does');
}

# The hourly "if stale" job, defined on the primary (every minute here, to keep the test short).
$primary->safe_psql('postgres', q{SELECT spoj_schedule('* * * * *', '23 hours')});
$primary->wait_for_catchup('rstandby');
is($standby->safe_psql('postgres', q{SELECT count(*) FROM cron.job WHERE jobname = 'spojscore-refresh'}),
	'1', 'the job is on the standby too (cron.job is replicated)');

# Failover: the primary goes away, the standby is promoted; the last success is then long
# past (aged by hand, as after a long outage).
$primary->stop('immediate');
$standby->promote;
ok($standby->poll_query_until('postgres', 'SELECT NOT pg_is_in_recovery()'), 'the standby is promoted');
$standby->safe_psql('postgres', q{UPDATE spoj_refresh_runs SET started_at = started_at - interval '30 hours',
                                         finished_at = finished_at - interval '30 hours'});
is($standby->safe_psql('postgres', 'SELECT stale FROM spoj_status()'), 't', 'new primary: the data is stale');
ok( $standby->poll_query_until('postgres',
		q{SELECT count(*) > 0 FROM spoj_refresh_runs WHERE status = 'ok' AND finished_at > now() - interval '10 minutes'}),
	'new primary: the job caught up with a refresh')
  or diag $standby->safe_psql('postgres', 'SELECT status, return_message FROM cron.job_run_details');
is($standby->safe_psql('postgres', 'SELECT stale FROM spoj_status()'), 'f', '... the data is fresh again');
ok(fixture_hits($promoted_seg)->{requests} >= 3, '... fetched by the new primary from its own base_url');
ok($standby->safe_psql('postgres',
		q{SELECT updated FROM spoj_refresh_runs WHERE status = 'ok' ORDER BY id DESC LIMIT 1}) > 0,
	'... and applied its changes');
$standby->stop;

# --- (2) logical replication -----------------------------------------------------------
my $pub = spoj_node('pub', conf => "wal_level = logical\nmax_wal_senders = 10\nmax_replication_slots = 10\nspojscore.page_delay = 0\n");
like(seed_table($pub, 'ok,total=130,t=rep-pub'), qr/^3\|130\|130$/, 'publisher: 130 rows');
$pub->safe_psql('postgres', 'CREATE PUBLICATION spoj_pub FOR TABLE spoj_problems, spoj_problem_history');

my $sub = spoj_node('sub');
# (a) spojscore installed on the subscriber: it creates the tables (spoj_node did).
# (b) no extension: the same tables by hand, generated columns with the same formula.
$sub->safe_psql('postgres', 'CREATE DATABASE plain');
$sub->safe_psql('plain', q{
CREATE TABLE spoj_problems (
  code text PRIMARY KEY, spoj_id integer NOT NULL, name text NOT NULL, users integer NOT NULL,
  acc_rate double precision NOT NULL, quality integer,
  score double precision GENERATED ALWAYS AS (80.0::float8 / (40 + users)) STORED,
  next_score double precision GENERATED ALWAYS AS (80.0::float8 / (41 + users)) STORED,
  first_seen timestamptz NOT NULL, changed_at timestamptz NOT NULL, missing_since timestamptz);
CREATE TABLE spoj_problem_history (code text NOT NULL, seen_at timestamptz NOT NULL,
  users integer NOT NULL, PRIMARY KEY (code, seen_at));});
my $connstr = $pub->connstr . ' dbname=postgres';
$sub->safe_psql('postgres', "CREATE SUBSCRIPTION spoj_sub CONNECTION '$connstr' PUBLICATION spoj_pub");
$sub->safe_psql('plain', "CREATE SUBSCRIPTION spoj_sub_plain CONNECTION '$connstr' PUBLICATION spoj_pub");
$sub->wait_for_subscription_sync($pub, 'spoj_sub');
$sub->wait_for_subscription_sync($pub, 'spoj_sub_plain');

my $bump = scenario_url('ok,total=130,bump=4,t=rep-pub2');
is($pub->safe_psql('postgres', "SET spojscore.base_url = '$bump'; SELECT updated FROM spoj_refresh()"),
	'33', 'publisher: a refresh updates 33 rows');
$pub->wait_for_catchup('spoj_sub');
$pub->wait_for_catchup('spoj_sub_plain');
for my $db ('postgres', 'plain')
{
	is($sub->safe_psql($db, 'SELECT count(*) || \' \' || coalesce(md5(string_agg(code || \':\' || users || \':\' || name, \',\' ORDER BY code)), \'-\') FROM spoj_problems'),
		checksum($pub), "subscriber ($db): spoj_problems identical (count + checksum)");
	is($sub->safe_psql($db, $history), $pub->safe_psql('postgres', $history),
		"subscriber ($db): spoj_problem_history identical");
	is($sub->safe_psql($db, $scores), $pub->safe_psql('postgres', $scores),
		"subscriber ($db): score and next_score, computed there, identical");
}
is($sub->safe_psql('postgres', 'SELECT count(*) FROM spoj_refresh_runs'), '0',
	'subscriber: the run log is not published (spoj_status() there knows no run)');
my $rec = q{SELECT string_agg(code, ',') FROM spoj_recommend('nobody', 5)};
is($sub->safe_psql('postgres', $rec), $pub->safe_psql('postgres', $rec),
	'subscriber with spojscore: spoj_recommend() there answers as on the publisher');

$sub->stop;
$pub->stop;
done_testing();
