# D6: an immediate server stop in the middle of a refresh leaves the table as it was
# before the run; after restart the extension works and the next refresh applies.
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
ok(wait_for_hits($slow, 2, 20), 'the refresh is mid-run (page 2 requested)');
$node->stop('immediate');
my $r = bg_wait($s, 10);
ok($r->{gone} || $r->{done}, 'the client session ended with the server');
eval { $s->{run}->kill_kill; };

$node->start;
is(checksum($node), $before, 'after recovery the table equals the pre-run checksum');
is($node->safe_psql('postgres', 'SELECT count(*) FROM spoj_refresh_runs'), $runs,
	'no run row from the interrupted refresh');

# The same refresh, uninterrupted, does change the table (so the check above means something).
my $fast = scenario_url('ok,total=130,seed=2,t=d6after');
is($node->safe_psql('postgres',
	qq{SET spojscore.base_url = '$fast'; SELECT rows_seen, inserted FROM spoj_refresh()}),
	'130|130', 'after restart a refresh runs and applies');
isnt(checksum($node), $before, '... and changes the checksum');

$node->stop;
done_testing();
