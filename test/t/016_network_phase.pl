# Issue 14 item 5: a refresh never holds the database back. While CALL spoj_refresh_job()
# (what pg_cron runs) waits on the network, pg_stat_activity shows it waiting on an
# Extension wait event with no snapshot and no transaction id (backend_xmin and
# backend_xid null), so VACUUM removes rows deleted meanwhile; other refreshes still fail
# at once with 55P03 and spoj_status() says one is running. Control: a direct
# spoj_refresh() (one transaction) stalled the same way holds a snapshot, and VACUUM then
# keeps the dead rows: the measurement can fail.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(time);
use SpojTest;

my $node = spoj_node('netphase', conf => "spojscore.page_delay = 0\n");
like(seed_table($node), qr/^3\|130\|130$/, 'seed: 130 rows');
my $before = checksum($node);
$node->safe_psql('postgres', 'CREATE TABLE churn (i int) WITH (autovacuum_enabled = off)');

# Rows deleted while the refresh stalls; VACUUM VERBOSE says how many it could remove.
sub vacuum_report
{
	$node->safe_psql('postgres', 'INSERT INTO churn SELECT generate_series(1, 1000); DELETE FROM churn');
	my ($ret, $out, $err) = $node->psql('postgres', 'VACUUM (VERBOSE) churn');
	my ($removed, $kept) = $err =~ /tuples: (\d+) removed, \d+ remain, (\d+) are dead but not yet removable/;
	return ($removed // -1, $kept // -1);
}

sub activity
{
	my ($pid) = @_;
	return $node->safe_psql('postgres',
		"SELECT wait_event_type, wait_event, backend_xmin IS NULL, backend_xid IS NULL
		   FROM pg_stat_activity WHERE pid = $pid");
}

# Page 1 is served, page 2 stalls (headers and 1 KiB, then silence for 60 s).
sub stalled
{
	my ($sql, $tag) = @_;
	my $seg = "stall_body,page=2,seconds=60,total=130,t=$tag";
	my $s = session($node);
	$s->query_safe("SET spojscore.base_url = '" . scenario_url($seg) . "'");
	bg_start($s, $sql);
	ok(wait_for_hits($seg, 2, 20), "$tag: page 2 requested: the crawl is mid-run");
	# Let the crawl reach its wait on the stalled transfer.
	ok($node->poll_query_until('postgres',
			"SELECT wait_event_type = 'Extension' FROM pg_stat_activity WHERE pid = $s->{spoj_pid}"),
		"$tag: pg_stat_activity shows an Extension wait event");
	return $s;
}

# --- the job ---------------------------------------------------------------------------
my $s = stalled('CALL spoj_refresh_job()', 'job');
is(activity($s->{spoj_pid}), 'Extension|Extension|t|t',
	'job mid-crawl: wait event Extension/Extension, backend_xmin and backend_xid null');
my ($removed, $kept) = vacuum_report();
is("$removed/$kept", '1000/0', 'job mid-crawl: VACUUM removes the 1000 rows deleted meanwhile');
is($node->safe_psql('postgres', 'SELECT refresh_running FROM spoj_status()'), 't',
	'job mid-crawl: spoj_status() says a refresh is running');
my ($ret, $out, $err) = $node->psql('postgres', 'SELECT * FROM spoj_refresh()',
	extra_params => [ '-v', 'VERBOSITY=verbose' ]);
like($err, qr/ERROR:\s+55P03: spojscore: a refresh is already running/,
	'job mid-crawl: a direct refresh fails with 55P03');
like($err, qr/DETAIL:\s+It runs in backend $s->{spoj_pid},/, '... naming the job\'s backend');
is(activity($s->{spoj_pid}), 'Extension|Extension|t|t', 'job: still snapshot-free');

# Cancel: PostgreSQL's 57014, recorded by the job; the gate is free again.
$node->safe_psql('postgres', "SELECT pg_cancel_backend($s->{spoj_pid})");
my $r = bg_wait($s, 10);
is($r->{sqlstate}, '57014', 'the cancelled job ends with 57014') or diag $r->{stderr};
is($node->safe_psql('postgres',
		q{SELECT string_agg(status || ':' || coalesce(sqlstate, ''), ',' ORDER BY id) FROM spoj_refresh_runs}),
	'ok:,failed:57014', 'run log: the cancel is recorded as failed, no running row left');
is($node->safe_psql('postgres', 'SELECT refresh_running FROM spoj_status()'), 'f', 'nothing running afterwards');
is(checksum($node), $before, 'data unchanged');

# The job that completes: the apply phase writes, in its own short transaction.
my $ok = scenario_url('ok,total=130,seed=2,t=netphase-ok');
$r = bg_run($s, "SET spojscore.base_url = '$ok'; CALL spoj_refresh_job()", 60);
is($r->{stderr}, '', 'an uninterrupted job run succeeds');
is($node->safe_psql('postgres',
		q{SELECT status || ':' || inserted FROM spoj_refresh_runs ORDER BY id DESC LIMIT 1}),
	'ok:130', '... and applies (130 new codes)');
isnt(checksum($node), $before, '... changing the data');
$s->quit;

# --- control: a direct spoj_refresh() -------------------------------------------------
$s = stalled('SELECT * FROM spoj_refresh()', 'direct');
like(activity($s->{spoj_pid}), qr/^Extension\|Extension\|f\|/,
	'direct refresh mid-crawl: the same wait event, but a snapshot (backend_xmin set)');
($removed, $kept) = vacuum_report();
is("$removed/$kept", '0/1000', 'direct refresh mid-crawl: VACUUM keeps the dead rows (the control)');
$node->safe_psql('postgres', "SELECT pg_cancel_backend($s->{spoj_pid})");
$r = bg_wait($s, 10);
is($r->{sqlstate}, '57014', 'the cancelled direct refresh ends with 57014');
$s->quit;

# The job's procedure must run where it may commit.
($ret, $out, $err) = $node->psql('postgres', 'BEGIN; CALL _spoj_fetch_detached(); COMMIT;',
	extra_params => [ '-v', 'VERBOSITY=verbose' ]);
like($err, qr/ERROR:\s+2D000: spojscore: _spoj_fetch_detached\(\) must be called by CALL outside a transaction block/,
	'_spoj_fetch_detached() inside a transaction block is refused (2D000)');

# A role that may run the job but is no superuser cannot force it: refused before any request.
# The README's refresher grants, nothing more (the job's internal steps need none).
$node->safe_psql('postgres', q{CREATE ROLE runner;
	GRANT EXECUTE ON FUNCTION spoj_refresh(boolean), spoj_refresh_if_stale(interval),
	                          spoj_load_pages(text[], boolean), spoj_refresh_tracked_users(interval),
	                          spoj_user_refresh(text), spoj_track_user(text), spoj_untrack_user(text),
	                          spoj_schedule(text, interval, interval), spoj_unschedule() TO runner;
	GRANT EXECUTE ON PROCEDURE spoj_refresh_job(interval, boolean),
	                           _spoj_record_failure(timestamptz, text, text) TO runner;});
my $fseg = 'ok,total=130,t=netphase-force';
($ret, $out, $err) = $node->psql('postgres',
	"SET spojscore.base_url = '" . scenario_url($fseg) . "'; SET ROLE runner; CALL spoj_refresh_job(NULL, true)",
	extra_params => [ '-v', 'VERBOSITY=verbose' ]);
like($err, qr/ERROR:\s+42501: spojscore: only a superuser may force a refresh/, 'a non-superuser cannot force the job');
is(fixture_hits($fseg)->{requests}, 0, '... and no request was sent');
($ret, $out, $err) = $node->psql('postgres',
	"SET spojscore.base_url = '" . scenario_url($fseg) . "'; SET ROLE runner; CALL spoj_refresh_job()");
is($ret, 0, 'unforced, the same role runs the job (no grant beyond the README\'s)') or diag $err;

# --- the job's tracked-users step ----------------------------------------------------
# Each profile is fetched, and the page_delay pause before it spent, in no transaction that
# holds a snapshot or a transaction id; each user is applied and committed on its own. The
# list is fresh ('1 day'), so the job goes straight to the users: ann (her first request
# stalls, the retry is served), bob (served), nosuchuser (no such SPOJ user: fails).
$node->safe_psql('postgres',
	q{SELECT spoj_track_user('ann'), spoj_track_user('bob'), spoj_track_user('nosuchuser')});
my $tseg = 'stall_body,user=ann,once=1,seconds=6,total=130,t=tracked';
$s = session($node);
$s->query_safe("SET spojscore.base_url = '" . scenario_url($tseg) . "'");
$s->query_safe("SET spojscore.page_delay = '3s'");
bg_start($s, "CALL spoj_refresh_job('1 day')");
my $waits = sub {
	return wait_until(30, sub { activity($s->{spoj_pid}) =~ /^Extension\|/ });
};

# ann's profile stalls (headers and 1 KiB, then 6 s of silence).
ok(wait_until(30, sub { profile_requests($tseg, 'ann') >= 1 }), 'users: ann\'s profile requested');
ok($waits->(), 'users: the job waits on ann\'s profile');
is(activity($s->{spoj_pid}), 'Extension|Extension|t|t',
	'users, stalled profile: wait event Extension/Extension, backend_xmin and backend_xid null');
($removed, $kept) = vacuum_report();
is("$removed/$kept", '1000/0', 'users, stalled profile: VACUUM removes the 1000 rows deleted meanwhile');
is(profile_requests($tseg, 'ann'), 1, '... all seen while ann\'s first request stalled');

# The pause between ann (applied and committed) and bob (not requested yet).
ok(wait_until(30, sub {
		$node->safe_psql('postgres', q{SELECT count(*) FROM spoj_user_profiles WHERE handle = 'ann'}) eq '1' }),
	'users: ann is applied and committed before bob is fetched');
ok($waits->(), 'users: the job waits (the pause)');
my $pausing = activity($s->{spoj_pid});
is(profile_requests($tseg, 'bob'), 0, '... seen before bob was requested: the page_delay pause');
is($pausing, 'Extension|Extension|t|t',
	'users, page_delay pause: wait event Extension/Extension, backend_xmin and backend_xid null');

$r = bg_wait($s, 90);
ok($r->{done}, 'users: the job ends');
is($r->{stderr}, '', '... without an error (a user\'s failure stays on its row)');
is($node->safe_psql('postgres',
		q{SELECT string_agg(t.handle || ':' || coalesce(t.last_sqlstate, 'ok') || ':' || (p.handle IS NOT NULL)
		                    || ':' || (t.refreshed_at > now() - interval '5 minutes'), ',' ORDER BY t.handle)
		    FROM spoj_tracked_users t LEFT JOIN spoj_user_profiles p ON p.handle = t.handle}),
	'ann:ok:true:true,bob:ok:true:true,nosuchuser:22023:false:true',
	'users: ann (after a retry) and bob applied; nosuchuser\'s failure recorded on its row');
like($node->safe_psql('postgres', q{SELECT last_error FROM spoj_tracked_users WHERE handle = 'nosuchuser'}),
	qr/unknown SPOJ user "nosuchuser"/, '... with its message');
is(profile_requests($tseg, 'ann'), 2, '... ann in two requests (the stalled one, the retry)');
ok($node->safe_psql('postgres', q{SELECT count(*) FROM spoj_user_solved WHERE handle = 'ann'}) > 0,
	'... ann\'s solved set stored');

# Cancel during the pause: PostgreSQL's 57014 ends the job; the user before it stays committed.
$node->safe_psql('postgres', q{UPDATE spoj_tracked_users SET refreshed_at = now() - interval '2 days'});
$s->query_safe("SET spojscore.page_delay = '60s'");
bg_start($s, "CALL spoj_refresh_job('1 day')");
ok(wait_until(30, sub {
		$node->safe_psql('postgres',
			q{SELECT refreshed_at > now() - interval '1 hour' FROM spoj_tracked_users WHERE handle = 'ann'}) eq 't' }),
	'cancel: ann refreshed first');
ok($waits->(), 'cancel: the job pauses before bob');
is(profile_requests($tseg, 'bob'), 1, '... (bob not requested by this run)');
my $ctl = session($node);
my $t0 = time;
$ctl->query_safe("SELECT pg_cancel_backend($s->{spoj_pid})");
$r = bg_wait($s, 20);
is($r->{sqlstate}, '57014', 'cancel during the pause: the job ends with 57014') or diag $r->{stderr};
cmp_ok($r->{t} - $t0, '<', 0.5, '... within 500 ms');
$ctl->quit;
is($node->safe_psql('postgres',
		q{SELECT string_agg(handle || ':' || (refreshed_at > now() - interval '1 hour'), ',' ORDER BY handle)
		    FROM spoj_tracked_users}),
	'ann:true,bob:false,nosuchuser:false', '... ann\'s refresh committed, the others untouched');
$s->quit;

# The job's role needs EXECUTE on spoj_refresh_tracked_users for this step, as it always did.
$node->safe_psql('postgres', q{CREATE ROLE jobonly;
	GRANT EXECUTE ON PROCEDURE spoj_refresh_job(interval, boolean),
	                           _spoj_record_failure(timestamptz, text, text) TO jobonly;});
my $jseg = 'ok,total=130,t=netphase-jobonly';
($ret, $out, $err) = $node->psql('postgres',
	"SET spojscore.base_url = '" . scenario_url($jseg) . "'; SET ROLE jobonly; CALL spoj_refresh_job('1 day')",
	extra_params => [ '-v', 'VERBOSITY=verbose' ]);
like($err, qr/ERROR:\s+42501: (spojscore: )?permission denied for function spoj_refresh_tracked_users/,
	'a role without EXECUTE on spoj_refresh_tracked_users: the users step is refused (42501)');
($ret, $out, $err) = $node->psql('postgres',
	"SET spojscore.base_url = '" . scenario_url($jseg) . "'; SET ROLE jobonly; CALL _spoj_fetch_profile_detached('ann', false)",
	extra_params => [ '-v', 'VERBOSITY=verbose' ]);
like($err, qr/ERROR:\s+42501: spojscore: permission denied for function spoj_refresh_tracked_users/,
	'... and so is its network step called directly');
is(fixture_hits($jseg)->{requests}, 0, '... before any request');
# The README's refresher runs it (the steps are PUBLIC and admit it).
($ret, $out, $err) = $node->psql('postgres',
	"SET spojscore.base_url = '" . scenario_url('ok,total=130,t=netphase-runner-users') . "';
	 SET spojscore.page_delay = 0; SET ROLE runner; CALL spoj_refresh_job('1 day')");
is($ret, 0, 'the refresher runs the users step') or diag $err;
is($node->safe_psql('postgres',
		q{SELECT count(*) FILTER (WHERE refreshed_at > now() - interval '1 hour') FROM spoj_tracked_users}),
	'3', '... refreshing every due user');

$node->stop;
done_testing();
