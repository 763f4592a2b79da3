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

$node->stop;
done_testing();
