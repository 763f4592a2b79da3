# Issue 14 item 3: refreshes through a forward proxy (test/fixture/proxy.py, which counts
# what passes), and the proxy's credentials kept from everyone but superusers: not in
# errors, spoj_refresh_runs, the server log, SHOW/pg_settings/current_setting for other
# roles, nor in per-role settings (catalogs every role reads).
use strict;
use warnings;
use HTTP::Tiny;
use JSON::PP;
use Time::HiRes qw(sleep);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SpojTest;

# The proxy: three listeners (open, Basic auth, SOCKS5), user spoj / $secret.
my $secret = 'Tap-Pr0xy-Secret-8841';
my $dir = PostgreSQL::Test::Utils::tempdir();
my $pid = fork();
if ($pid == 0)
{
	exec('/usr/bin/python3', '-B', "$ENV{TESTDIR}/fixture/proxy.py", '--port-file', "$dir/ports",
		'--idle-exit', '120', '--auth', "spoj:$secret");
	exit 1;
}
wait_until(10, sub { -s "$dir/ports" }) or BAIL_OUT('proxy.py did not start');
my ($open, $auth, $socks) = split ' ', slurp_file("$dir/ports");
sub stats
{
	my $r = HTTP::Tiny->new(timeout => 10)->get("http://127.0.0.1:$open/__stats");
	return decode_json($r->{content});
}

my $node = spoj_node('proxy', conf => "spojscore.page_delay = 0\n");
$node->safe_psql('postgres', q{
	CREATE ROLE refresher LOGIN; CREATE ROLE reader LOGIN;
	GRANT EXECUTE ON FUNCTION spoj_refresh(boolean) TO refresher;
	GRANT EXECUTE ON PROCEDURE spoj_refresh_job(interval, boolean),
	  _spoj_record_failure(timestamptz, text, text) TO refresher;});
sub configure
{
	my ($proxy, $segment) = @_;
	my $url = scenario_url($segment);
	$node->safe_psql('postgres', qq{ALTER SYSTEM SET spojscore.proxy = '$proxy';
		ALTER SYSTEM SET spojscore.base_url = '$url'; SELECT pg_reload_conf();});
	wait_until(10, sub { $node->safe_psql('postgres', 'SHOW spojscore.base_url') eq $url });
}

# Through the authenticating proxy, as the refresher (not a superuser).
configure("http://spoj:$secret\@127.0.0.1:$auth", 'ok,total=130,t=proxy');
is($node->safe_psql('postgres', 'SELECT rows_seen FROM spoj_refresh()', extra_params => ['-U', 'refresher']),
	'130', 'a refresh through the proxy with credentials: 130 rows');
my $forwarded = grep { m{^plain http://127\.0\.0\.1:\d+/s/ok,total=130,t=proxy/problems/classical/} }
  @{ stats()->{targets} };
ok($forwarded >= 3, "the proxy forwarded the list requests ($forwarded)");
is(fixture_hits('ok,total=130,t=proxy')->{requests}, $forwarded, '... and the site got exactly those');

# Wrong password: the job fails, and neither the error nor the run row shows it.
configure('http://spoj:Wr0ng-Tap-Password-17@127.0.0.1:' . $auth, 'ok,total=130,t=proxy-wrong');
my ($rc, $out, $err) = $node->psql('postgres', 'CALL spoj_refresh_job()', extra_params => ['-U', 'refresher']);
like($err, qr/407/, 'wrong credentials: the error says 407');
unlike($err, qr/Wr0ng-Tap-Password-17|spoj:/, '... and does not show the credentials');
my $row = $node->safe_psql('postgres',
	q{SELECT status || ' ' || sqlstate || ' ' || error FROM spoj_refresh_runs ORDER BY id DESC LIMIT 1},
	extra_params => ['-U', 'reader']);
like($row, qr/^failed 08006 .*407/, 'the failed run is recorded (08006, 407)');
unlike($row, qr/Wr0ng|spoj:/, '... without the credentials');
is(fixture_hits('ok,total=130,t=proxy-wrong')->{requests}, 0, '... and nothing reached the site');

# SOCKS5 with names resolved by the proxy.
configure("socks5h://spoj:$secret\@127.0.0.1:$socks", 'ok,total=130,t=socks');
$node->safe_psql('postgres', q{ALTER SYSTEM SET spojscore.base_url = '}
	  . scenario_url('ok,total=130,t=socks') =~ s/127\.0\.0\.1/localhost/r . q{'; SELECT pg_reload_conf();});
wait_until(10, sub { $node->safe_psql('postgres', 'SHOW spojscore.base_url') =~ /localhost/ });
is($node->safe_psql('postgres', 'SELECT rows_seen FROM spoj_refresh()'), '130', 'socks5h: 130 rows');
ok((grep { /^socks localhost:\d+$/ } @{ stats()->{targets} }) >= 1, '... and the proxy resolved "localhost" itself');

# Other roles cannot read it.
for my $q ('SHOW spojscore.proxy', q{SELECT current_setting('spojscore.proxy')})
{
	($rc, $out, $err) = $node->psql('postgres', $q, extra_params => ['-U', 'reader']);
	# PostgreSQL 16 reworded the message.
	like($err, qr/must be superuser or have privileges of pg_read_all_settings|permission denied to examine "spojscore\.proxy"/,
		"reader: $q refused");
}
is($node->safe_psql('postgres', q{SELECT count(*) FROM pg_settings WHERE name = 'spojscore.proxy'},
		extra_params => ['-U', 'reader']), '0', 'reader: pg_settings has no spojscore.proxy row');
is($node->safe_psql('postgres', q{SELECT count(*) FROM pg_settings WHERE name = 'spojscore.proxy'}),
	'1', 'superuser: pg_settings shows it');
($rc, $out, $err) = $node->psql('postgres', q{SET spojscore.proxy = ''}, extra_params => ['-U', 'reader']);
like($err, qr/permission denied to set parameter/, 'reader: SET refused');

# Credentials cannot go into catalogs every role reads.
for my $q (qq{ALTER ROLE refresher SET spojscore.proxy = 'http://u:$secret\@127.0.0.1:1'},
	qq{ALTER DATABASE postgres SET spojscore.proxy = 'http://u:$secret\@127.0.0.1:1'},
	qq{CREATE FUNCTION f() RETURNS int LANGUAGE sql SET spojscore.proxy = 'http://u:$secret\@127.0.0.1:1' RETURN 1})
{
	($rc, $out, $err) = $node->psql('postgres', $q);
	like($err, qr/cannot be stored per role, database or function/, 'refused: ' . substr($q, 0, 30));
}
is($node->safe_psql('postgres', q{SELECT count(*) FROM pg_db_role_setting WHERE array_to_string(setconfig, ',') LIKE '%proxy%'}),
	'0', 'nothing stored per role or database');
($rc, $out, $err) = $node->psql('postgres', q{ALTER ROLE refresher SET spojscore.proxy = 'http://127.0.0.1:1'});
is($rc, 0, 'a proxy without credentials may be set per role');

# A bad value: the error does not quote it.
($rc, $out, $err) = $node->psql('postgres', qq{SET spojscore.proxy = 'http://u:$secret\@proxy/path'});
like($err, qr/invalid value for parameter "spojscore.proxy"/, 'a bad proxy URL is refused');
unlike($err, qr/\Q$secret\E/, '... without quoting it');

# The server log (reloads, failed statements, the failed run) never shows a secret.
$node->safe_psql('postgres', q{ALTER SYSTEM RESET spojscore.proxy; SELECT pg_reload_conf();});
my $log = slurp_file($node->logfile);
like($log, qr/parameter "spojscore.proxy" changed to "http:\/\/\*\*\*\@127/, 'the log shows reloads redacted');
unlike($log, qr/\Q$secret\E|Wr0ng-Tap-Password-17/, 'the server log holds no proxy password');

kill 'TERM', $pid;
waitpid($pid, 0);
done_testing();
