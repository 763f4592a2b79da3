# Issue 14 item 4: robots.txt through spoj_refresh and spoj_user_refresh. A disallowed
# list fails at once (08004) with no list request and the data intact; a 500 means "do not
# crawl" (08006); Crawl-delay spaces every request, robots.txt included, over all
# connections; spojscore.robots_txt = off (superuser only) skips the check.
use strict;
use warnings;
use Time::HiRes qw(time);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SpojTest;

my $node = spoj_node('robots', conf => "spojscore.page_delay = 0\n");
like(seed_table($node, 'ok,total=130,t=robots-seed'), qr/^3\|130\|130$/, 'seeded: 130 rows');
my $before = checksum($node);

sub refresh
{
	my ($segment, $pre) = @_;
	my $url = scenario_url($segment);
	my $t0 = time;
	my ($rc, $out, $err) = $node->psql('postgres',
		($pre // '') . qq{SET spojscore.base_url = '$url'; SELECT rows_seen FROM spoj_refresh(true);},
		extra_params => [ '-v', 'VERBOSITY=verbose' ]);
	return ($out, $err, time - $t0);
}

my ($out, $err, $secs) = refresh('ok,total=130,robots=disallow');
like($err, qr/ERROR:  08004: spojscore: robots\.txt at .* disallows \/problems\/classical\/sort=0,start=0 for user-agent "spojscore"/,
	'disallowed: 08004 naming the path and our token');
ok($secs < 2, sprintf('... at once (%.2f s)', $secs));
is(fixture_hits('ok,total=130,robots=disallow')->{requests}, 0, '... no list request sent');
is(fixture_hits('ok,total=130,robots=disallow')->{robots_requests}, 1, '... robots.txt fetched once');
is(checksum($node), $before, '... data intact');

($out, $err) = refresh('ok,total=130,robots=500');
like($err, qr/ERROR:  08006: spojscore: robots\.txt is unreachable \(HTTP 500 .*RFC 9309/, '500: 08006, do not crawl');
is(fixture_hits('ok,total=130,robots=500')->{requests}, 0, '... no list request sent');
is(checksum($node), $before, '... data intact');

($out, $err) = refresh('ok,total=130,robots=404');
is($out, '130', '404: no rules, refreshed');

($out, $err) = refresh('ok,total=130,robots=disallow,t=off', 'SET spojscore.robots_txt = off;');
is($out, '130', 'robots_txt = off: refreshed despite the disallow');
is(fixture_hits('ok,total=130,robots=disallow,t=off')->{robots_requests}, 0, '... without fetching robots.txt');

# Crawl-delay 1 s with 3 connections: robots.txt + 3 pages (+ 1 past the end at most).
($out, $err, $secs) = refresh('ok,total=130,robots=delay,crawl_delay=1', 'SET spojscore.connections = 3;');
is($out, '130', 'Crawl-delay: refreshed');
my $h = fixture_hits('ok,total=130,robots=delay,crawl_delay=1');
ok($h->{min_gap_all_ms} >= 985, "... at least 1 s between any two request starts ($h->{min_gap_all_ms} ms)");
ok($secs >= $h->{requests} - 0.02, sprintf('... the run took %.2f s for %d pages after robots.txt', $secs, $h->{requests}));

# Profiles: robots.txt once per call; a disallowed /users/ is never requested.
my $purl = scenario_url('ok,total=130,robots=disallow_users');
my ($rc, $pout, $perr) = $node->psql('postgres',
	qq{SET spojscore.base_url = '$purl'; SELECT * FROM spoj_user_refresh('alice');},
	extra_params => [ '-v', 'VERBOSITY=verbose' ]);
like($perr, qr/08004: spojscore: profile of "alice": robots\.txt at .* disallows \/users\/alice\//, 'profile: disallowed, 08004');
is(fixture_hits('ok,total=130,robots=disallow_users')->{requests}, 0, '... no profile request sent');

# Only a superuser may turn the check off.
$node->safe_psql('postgres', 'CREATE ROLE someone LOGIN');
($rc, $out, $err) = $node->psql('postgres', 'SET spojscore.robots_txt = off', extra_params => ['-U', 'someone']);
like($err, qr/permission denied to set parameter "spojscore.robots_txt"/, 'a non-superuser cannot turn it off');

done_testing();
