# D6: an immediate server stop in the middle of a refresh (network phase, then apply
# phase) leaves the table as it was before the run; after restart the extension works
# and the next refresh applies.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SpojTest;

my $node = spoj_node('stop');
like(seed_table($node), qr/^3\|130\|130$/, 'seed: 130 rows');
my $before = checksum($node);
my $runs = $node->safe_psql('postgres', 'SELECT count(*) FROM spoj_refresh_runs');

# seed=2 has other codes: had this run been applied the checksum would differ.
my $slow = 'ok,total=130,seed=2,latency=1500,t=d6';
my $s = session($node);
$s->query_safe("SET spojscore.base_url = '" . scenario_url($slow) . "'");
bg_start($s, 'SELECT * FROM spoj_refresh()');
ok(wait_for_hits($slow, 3, 20), 'the refresh is mid-run (page 3 requested after page 1 arrived)');
$node->stop('immediate');
my $r = bg_wait($s, 10);
ok($r->{gone} || $r->{done}, 'the client session ended with the server');
eval { $s->{run}->kill_kill; };

$node->start;
is(checksum($node), $before, 'after recovery the table equals the pre-run checksum');
is($node->safe_psql('postgres', 'SELECT count(*) FROM spoj_refresh_runs'), $runs,
	'no run row from the interrupted refresh');

# --- stopped in the apply phase: blocked on a row another session has locked ----------
# Local edits that the next refresh (seed 1 again) would undo on every row; the apply
# runs in code order, so it has rewritten the rows before the locked one when it waits.
$node->safe_psql('postgres', 'UPDATE spoj_problems SET users = users + 1');
my $edited = checksum($node);
my $locker = session($node);
$locker->query_safe(
	'BEGIN; SELECT code FROM spoj_problems ORDER BY code OFFSET 65 LIMIT 1 FOR UPDATE');
$s = session($node);
$s->query_safe("SET spojscore.base_url = '" . scenario_url('ok,total=130,t=d6apply') . "'");
bg_start($s, 'SELECT * FROM spoj_refresh()');
my $pid = $s->{spoj_pid};
ok( $node->poll_query_until('postgres',
		"SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = $pid"),
	'apply phase: the refresh waits on the locked row');
$node->stop('immediate');
eval { $s->{run}->kill_kill; };
eval { $locker->{run}->kill_kill; };
$node->start;
is(checksum($node), $edited, 'apply phase: after recovery the table equals the pre-run checksum');
is($node->safe_psql('postgres', 'SELECT count(*) FROM spoj_refresh_runs'), $runs,
	'apply phase: no run row from the interrupted refresh');
is($node->safe_psql('postgres',
	"SET spojscore.base_url = '" . scenario_url('ok,total=130,t=d6apply2') . "';"
	  . ' SELECT rows_seen, updated FROM spoj_refresh()'),
	'130|130', 'apply phase: uninterrupted, the same refresh updates all 130 rows');
is(checksum($node), $before, '... back to the seeded data');

# The seed=2 refresh, uninterrupted, does change the table (so the first check means something).
my $fast = scenario_url('ok,total=130,seed=2,t=d6after');
is($node->safe_psql('postgres',
	qq{SET spojscore.base_url = '$fast'; SELECT rows_seen, inserted FROM spoj_refresh()}),
	'130|130', 'after restart a refresh runs and applies');
isnt(checksum($node), $before, '... and changes the checksum');

$node->stop;
done_testing();
