# Issue 12 item 2: every parse is bounded whatever the page holds. A start tag with
# 100,000 attributes (libxml2 compares each with all earlier ones: 9 s before) is
# refused at once, from the caller and from a mirror; the worst pages still allowed
# (start tags of 256 attributes, one start tag of 64 MB) are cancelled, timed out and
# terminated within 500 ms; spoj_parse_profile(repeat('<td>', 25000000)) fails with
# 54000 before building a 4 GB tree, and a profile that is parsed gives its memory back.
use strict;
use warnings;
use HTTP::Tiny;
use MIME::Base64 qw(encode_base64);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(time sleep);
use SpojTest;

my $limit = 0.5;

my $node = spoj_node('hostile');
like(seed_table($node), qr/^3\|130\|130$/, 'seed: 3 pages, 130 rows inserted');
my $before = checksum($node);
my $ctl = session($node);

my $http = HTTP::Tiny->new(timeout => 30);
sub fetched
{
	my ($path) = @_;
	my $res = $http->get(fixture_url() . $path);
	die "GET $path: $res->{status}" unless $res->{success};
	return $res->{content};
}
my $list = '/problems/classical/sort=0,start=0';
# Stored uncompressed: reading a value back costs a copy, not a decompression.
$node->safe_psql('postgres',
	'CREATE TABLE pages (name text PRIMARY KEY, html text); ALTER TABLE pages ALTER html SET STORAGE EXTERNAL');
sub store
{
	my ($name, $html) = @_;
	$node->safe_psql('postgres',
		"INSERT INTO pages VALUES ('$name', convert_from(decode('" . encode_base64($html, '')
		  . "', 'base64'), 'UTF8'))");
}
store('plain', fetched('/s/ok,total=130,t=plain' . $list));
store('profile', fetched('/s/ok,t=profile/users/kosaksi/'));
# The issue's page: one row's <tr> with 100,000 attributes (0.7 MB); the same on all 50
# rows (34 MB, built in the statement below); the worst still allowed: 7,000 <br>s of
# 256 attributes each (8 MB) in front of a list page and one start tag of 64 MB after it.
store('row', fetched('/s/ok,total=130,v_attribute_bomb=100000,t=row' . $list));
$node->safe_psql('postgres', q{
	CREATE FUNCTION attrs(n int) RETURNS text LANGUAGE sql
	  RETURN (SELECT string_agg(' a' || i, '') FROM generate_series(0, n - 1) i);
	INSERT INTO pages SELECT 'tags_256', replace(html, '<body>', '<body>' || repeat('<br' || attrs(256) || '>', 7000))
	  FROM pages WHERE name = 'plain';
});
note 'pages: ' . $node->safe_psql('postgres',
	q{SELECT string_agg(name || ' ' || octet_length(html), ', ' ORDER BY name) FROM pages});
# The worst allowed pages as arguments; one_tag is built in the statement (64 MB), as
# reading it back from TOAST takes ~1 s here, with fewer interrupt checks than building it.
my %worst = (
	tags_256 => q{(SELECT html FROM pages WHERE name = 'tags_256')},
	one_tag => q{(SELECT html || '<br title="' || repeat('xxxxxxxxxxxxxxxx', 4 << 20) || '">'
		FROM pages WHERE name = 'plain')});
sub parse_sql { return "SELECT count(*) FROM spoj_parse_list($worst{$_[0]})"; }

# --- refused at once: the issue's inputs through spoj_parse_list ----------------------
# Building the 34 MB argument (replace) or reading a stored one back takes the server
# ~1 s here: the statement_timeout is 1 s after the argument is built, as measured.
my %argument = (
	row => q{(SELECT html FROM pages WHERE name = 'row')},
	all_rows => q{(SELECT replace(html, '<tr class="problem-row"', '<tr class="problem-row"' || attrs(100000))
		FROM pages WHERE name = 'plain')});
my $s = session($node);
for my $name (qw(row all_rows))
{
	my $t0 = time;
	$s->query_safe("SELECT octet_length($argument{$name})");
	my $prep = time - $t0;
	$s->query_safe(sprintf('SET statement_timeout = %d', 1000 * ($prep + 1)));
	my $r = bg_run($s, "SELECT count(*) FROM spoj_parse_list($argument{$name})", 30);
	$s->query_safe('RESET statement_timeout');
	ok($r->{sqlstate} eq '22000' && $r->{stderr} =~ /a start tag has 10000\d attributes \(more than 256\)/,
		sprintf('%s: spoj_parse_list fails with 22000 within 1 s of building its argument (%.3f s, building %.3f s)',
			$name, $r->{elapsed}, $prep))
	  or diag $r->{stderr};
}

# --- refused at once: the same from a mirror, through a refresh ------------------------
# One row of 200,000 attributes (1.4 MB, under the 2 MB page cap: 27 s before) and all
# 50 rows with 4,000 each (1.3 MB).
for my $segment ('ok,total=130,v_attribute_bomb=200000,t=mirror1',
	'ok,total=130,v_attribute_bomb=4000,v_attribute_bomb_rows=all,t=mirror50')
{
	$s->query_safe("SET spojscore.base_url = '" . scenario_url($segment) . "'");
	$s->query_safe("SET statement_timeout = '2s'");
	my $r = bg_run($s, 'SELECT * FROM spoj_refresh()', 30);
	$s->query_safe('RESET statement_timeout');
	ok($r->{sqlstate} eq '22000'
		  && $r->{stderr} =~ /page 1: layout not recognised: a start tag has \d+ attributes \(more than 256\)/,
		sprintf('refresh from a mirror (%s): 22000 within statement_timeout 2s (%.3f s)', $segment, $r->{elapsed}))
	  or diag $r->{stderr};
}
is(checksum($node), $before, 'the refused refreshes changed nothing');

# --- the worst allowed inputs: cancel, statement_timeout, terminate --------------------
# (building the argument, parsing it, 50 rows?) measured uncancelled in session $s.
sub timings
{
	my ($name) = @_;
	my $t0 = time;
	$s->query_safe("SELECT octet_length($worst{$name})");
	my $prep = time - $t0;
	$t0 = time;
	my $rows = $s->query_safe(parse_sql($name));
	my $total = time - $t0;
	note sprintf('%s: building the argument %.3f s, with parsing %.3f s', $name, $prep, $total);
	return ($prep, $total - $prep, $rows);
}
# Runs $probe->($at) with $at at 40 % of the parse, as measured just before. Under load a
# parse can end sooner than measured, before the probe lands: such a run (no error) tests
# nothing and is repeated, measured again, at most three times in all; a probe that is
# ignored thus still fails.
sub mid_parse
{
	my ($name, $prep, $parse, $probe) = @_;
	my ($r, $at);
	for my $attempt (1 .. 3)
	{
		($prep, $parse) = timings($name) if $attempt > 1;
		$at = $prep + $parse * 0.4;
		$r = $probe->($at);
		last if $r->{sqlstate} ne '';
		note sprintf('%s: the call ended uncancelled before the probe at %.2f s; measuring again', $name, $at);
	}
	return ($r, $at);
}
for my $name (qw(tags_256 one_tag))
{
	my ($prep, $parse, $rows) = timings($name);
	is($rows, '50', "$name: parses uncancelled (50 rows)");
	if ($parse <= 0.5)
	{
		# This libxml2 (2.14+'s tokenizer) parses the page faster than a cancel needs to land
		# inside it: the whole call ends within the bound, so there is nothing to interrupt.
		ok($parse < $limit, sprintf('%s: the whole parse ends within %.1f s (%.3f s)', $name, $limit, $parse));
	  SKIP: { skip "$name: a parse of ${parse}s leaves nothing to cancel mid-way", 3 }
		is($s->query_safe('SELECT 1'), '1', "$name: the session is usable afterwards");
		next;
	}
	# The cancels below land at 40 % of the parse: half a second leaves them well inside it.
	ok($parse > 0.5, "$name: parsing lasts long enough to cancel it mid-way");
	my $at = $prep + $parse * 0.4;

	my $pid = $s->{spoj_pid};
	my $tc;
	my ($r, $cancel_at) = mid_parse($name, $prep, $parse, sub {
		bg_start($s, parse_sql($name));
		sleep $_[0];
		$tc = time;
		$ctl->query_safe("SELECT pg_cancel_backend($pid)");
		return bg_wait($s, 30);
	});
	ok($r->{sqlstate} eq '57014' && $r->{stderr} =~ /canceling statement due to user request/
		  && $r->{t} - $tc < $limit,
		sprintf('%s: pg_cancel_backend at %.2f s gives 57014 within %.1f s (%.3f s)', $name, $cancel_at, $limit,
			$r->{t} - $tc))
	  or diag $r->{stderr};

	($r, $at) = mid_parse($name, $prep, $parse, sub {
		$s->query_safe(sprintf('SET statement_timeout = %d', 1000 * $_[0]));
		my $run = bg_run($s, parse_sql($name), 30);
		$s->query_safe('RESET statement_timeout');
		return $run;
	});
	ok($r->{sqlstate} eq '57014' && $r->{stderr} =~ /statement timeout/ && $r->{elapsed} < $at + $limit,
		sprintf('%s: statement_timeout %.2f s fires within %.1f s of it (%.3f s)', $name, $at, $limit,
			$r->{elapsed}))
	  or diag $r->{stderr};

	my $victim = session($node);
	my $vpid = $victim->{spoj_pid};
	bg_start($victim, parse_sql($name));
	sleep $at;
	$tc = time;
	$ctl->query_safe("SELECT pg_terminate_backend($vpid)");
	my $gone = wait_until(10, sub {
		$ctl->query_safe("SELECT count(*) FROM pg_stat_activity WHERE pid = $vpid") eq '0' });
	my $dt = time - $tc;
	ok($gone && $dt < $limit,
		sprintf('%s: pg_terminate_backend at %.2f s ends the backend within %.1f s (%.3f s)', $name, $at, $limit, $dt));
	eval { $victim->quit };
	is($s->query_safe('SELECT 1'), '1', "$name: the session is usable afterwards");
}

# --- memory: refused before allocating, and given back after a parse -------------------
sub status_kb
{
	my ($pid, $field) = @_;
	return slurp_file("/proc/$pid/status") =~ /^$field:\s+(\d+) kB/m ? $1 : -1;
}
my $p = session($node);
my $ppid = $p->{spoj_pid};
# A profile with 120,000 more elements (1.7 MB): a tree of ~40 MB, freed and given back.
# First in this session, so that VmHWM shows it.
$p->query_safe(q{CREATE TEMP TABLE big_profile AS SELECT replace(html, '<body>', '<body>' || repeat('<span>a</span>', 120000)) AS html FROM pages WHERE name = 'profile'});
my ($hwm0, $rss0) = (status_kb($ppid, 'VmHWM'), status_kb($ppid, 'VmRSS'));
my $r = bg_run($p, q{SELECT (spoj_parse_profile(html)).handle FROM big_profile}, 60);
my ($hwm1, $rss1) = (status_kb($ppid, 'VmHWM'), status_kb($ppid, 'VmRSS'));
note sprintf('padded profile: %.3f s, VmHWM %d -> %d kB, VmRSS %d -> %d kB', $r->{elapsed}, $hwm0, $hwm1, $rss0,
	$rss1);
is($r->{stdout}, 'kosaksi', 'a profile padded with 120,000 elements parses') or diag $r->{stderr};
ok($hwm1 - $hwm0 > 20 * 1024, sprintf('... its tree took memory (VmHWM +%d MB)', ($hwm1 - $hwm0) / 1024));
ok($rss1 - $rss0 < 8 * 1024, sprintf('... which is given back after the call (VmRSS %+d MB)', ($rss1 - $rss0) / 1024));


($hwm0, $rss0) = (status_kb($ppid, 'VmHWM'), status_kb($ppid, 'VmRSS'));
$r = bg_run($p, q{SELECT spoj_parse_profile(repeat('<td>', 25000000))}, 60);
($hwm1, $rss1) = (status_kb($ppid, 'VmHWM'), status_kb($ppid, 'VmRSS'));
note sprintf('repeat(<td>, 25e6): %.3f s, VmHWM %d -> %d kB, VmRSS %d -> %d kB', $r->{elapsed}, $hwm0, $hwm1,
	$rss0, $rss1);
ok($r->{sqlstate} eq '54000' && $r->{stderr} =~ /page has too much markup: 25000000 tags/,
	"spoj_parse_profile(repeat('<td>', 25000000)) fails with 54000") or diag $r->{stderr};
# The 100 MB argument itself is the server's; the 4.2 GB tree never exists.
ok($hwm1 - $hwm0 < 300 * 1024, sprintf('... peak memory grew %d MB (the argument is 100 MB)', ($hwm1 - $hwm0) / 1024));
ok($rss1 - $rss0 < 32 * 1024, sprintf('... and RSS is back afterwards (%+d MB)', ($rss1 - $rss0) / 1024));

unlike(slurp_file($node->logfile), qr/terminated by signal|server process .* exited with exit code [^0]/,
	'no backend crashed');
$p->quit;
$s->quit;
$ctl->quit;
$node->stop;
done_testing();
