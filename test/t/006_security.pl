# S7, S11, S4, P14: hostile pre-created schema and objects before CREATE EXTENSION, the
# untrusted-install guard, the placeholder trick on a node that does not preload the
# library (0.2.0: refreshes refuse there), and libxml2's global state after refreshes.
#
# S7a: a schema owned by a non-superuser would let its owner rename it and plant
# functions that the extension's SECURITY DEFINER refresh calls by qualified name, so
# the install script refuses such a schema.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SpojTest;

my $node = spoj_node('security');
$node->safe_psql('postgres', q{
CREATE ROLE squatter LOGIN;
CREATE ROLE refresher LOGIN;
GRANT EXECUTE ON FUNCTION spoj_refresh(boolean) TO refresher;
});

# psql as $user in $db; returns (stdout, stderr) with VERBOSITY verbose (SQLSTATEs).
sub as_role
{
	my ($db, $user, $sql) = @_;
	my ($out, $err) = ('', '');
	$node->psql($db, $sql, stdout => \$out, stderr => \$err,
		extra_params => [ '-U', $user, '-v', 'VERBOSITY=verbose' ]);
	return ($out, $err);
}

# Owners of every member of the spojscore extension in $db that is not owned by the
# bootstrap superuser (postgres): functions, relations, types, schemas.
sub foreign_owned_members
{
	my ($db) = @_;
	return $node->safe_psql($db, q{
SELECT coalesce(string_agg(what || ' owned by ' || owner, ', '), '')
  FROM (SELECT p.oid::regprocedure::text AS what, p.proowner::regrole::text AS owner
          FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
         WHERE d.deptype = 'e' AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'spojscore')
        UNION ALL
        SELECT c.oid::regclass::text, c.relowner::regrole::text
          FROM pg_depend d JOIN pg_class c ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
         WHERE d.deptype = 'e' AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'spojscore')
        UNION ALL
        SELECT t.oid::regtype::text, t.typowner::regrole::text
          FROM pg_depend d JOIN pg_type t ON d.classid = 'pg_type'::regclass AND d.objid = t.oid
         WHERE d.deptype = 'e' AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'spojscore')) m
 WHERE owner <> 'postgres'});
}

sub member_count
{
	my ($db) = @_;
	return $node->safe_psql($db, q{SELECT count(*) FROM pg_depend
		WHERE deptype = 'e' AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'spojscore')});
}

# --- S11: a non-superuser with CREATE on the database cannot install ------------------
$node->safe_psql('postgres', 'CREATE DATABASE s11; GRANT CREATE ON DATABASE s11 TO squatter');
my ($out, $err) = as_role('s11', 'squatter', 'CREATE EXTENSION spojscore');
like($err, qr/ERROR:\s+42501: permission denied to create extension "spojscore"/,
	'S11: non-superuser CREATE EXTENSION fails with 42501 permission denied to create extension');
is($node->safe_psql('s11', q{SELECT count(*) FROM pg_extension WHERE extname = 'spojscore'}), '0',
	'S11: nothing installed');
is($node->safe_psql('s11', q{SELECT count(*) FROM pg_available_extensions WHERE name = 'spojscore'}), '1',
	'S11: (the extension is available on this node)');

# --- S7a: a squatter pre-creates schema spojscore with a function in it ---------------
$node->safe_psql('postgres', 'CREATE DATABASE s7a; GRANT CREATE ON DATABASE s7a TO squatter');
($out, $err) = as_role('s7a', 'squatter', q{
CREATE SCHEMA spojscore;
CREATE FUNCTION spojscore.squat() RETURNS text LANGUAGE sql AS $$ SELECT current_user::text $$;});
is($err, '', 'S7a: the squatter created schema spojscore and spojscore.squat()') or diag $err;
my ($rc, $cout, $cerr) = (0, '', '');
$rc = $node->psql('s7a', 'CREATE EXTENSION spojscore SCHEMA spojscore',
	stdout => \$cout, stderr => \$cerr, extra_params => [ '-v', 'VERBOSITY=verbose' ]);
my $installed = $node->safe_psql('s7a', q{SELECT count(*) FROM pg_extension WHERE extname = 'spojscore'});
note "S7a: CREATE EXTENSION spojscore SCHEMA spojscore (schema owned by squatter): rc=$rc installed=$installed $cerr";

is($installed, '0', 'S7a: CREATE EXTENSION refuses a schema owned by a non-superuser');
like($cerr, qr/ERROR:\s+42501: spojscore: schema "?spojscore"? is owned by squatter, which is not a superuser/,
	'... with 42501 and a message naming the owner');
like($cerr, qr/HINT:\s+.*Install into a schema a superuser owns/, '... and a hint');
is($node->safe_psql('s7a', q{SELECT proowner::regrole FROM pg_proc WHERE oid = 'spojscore.squat()'::regprocedure}),
	'squatter', "S7a: the squatter's spojscore.squat() is untouched");
$node->safe_psql('s7a', 'CREATE SCHEMA spoj_safe; CREATE EXTENSION spojscore SCHEMA spoj_safe');
ok(member_count('s7a') > 10, 'S7a: a schema the superuser owns takes the extension');
is(foreign_owned_members('s7a'), '', 'S7a: every extension member is owned by the superuser');

# --- S7b: a squatter's public.spoj_refresh() before CREATE EXTENSION (into public) -----
$node->safe_psql('postgres', 'CREATE DATABASE s7b');
$node->safe_psql('s7b', 'GRANT CREATE ON SCHEMA public TO squatter');
($out, $err) = as_role('s7b', 'squatter', q{
CREATE FUNCTION public.spoj_refresh() RETURNS text LANGUAGE sql AS $$ SELECT 'squatter'::text $$;});
is($err, '', 'S7b: the squatter created public.spoj_refresh()') or diag $err;
my $src_before = $node->safe_psql('s7b', q{SELECT md5(prosrc) FROM pg_proc WHERE oid = 'public.spoj_refresh()'::regprocedure});
# 0.2.0: a schema a non-superuser may create objects in is refused at install.
($rc, $cout, $cerr) = (0, '', '');
$node->psql('s7b', 'CREATE EXTENSION spojscore', stdout => \$cout, stderr => \$cerr,
	extra_params => [ '-v', 'VERBOSITY=verbose' ]);
like($cerr, qr/ERROR:\s+42501: spojscore: squatter may create objects in schema public/,
	'S7b: CREATE EXTENSION refuses public while the squatter may create objects in it');
$node->safe_psql('s7b', 'REVOKE CREATE ON SCHEMA public FROM squatter');
$node->safe_psql('s7b', 'CREATE EXTENSION spojscore');
is(foreign_owned_members('s7b'), '', 'S7b: every extension member is owned by the superuser');
is($node->safe_psql('s7b', q{SELECT proowner::regrole || ' ' || md5(prosrc) FROM pg_proc
	WHERE oid = 'public.spoj_refresh()'::regprocedure}), "squatter $src_before",
	"S7b: the squatter's public.spoj_refresh() is unchanged (same owner, same body)");
is($node->safe_psql('s7b', q{SELECT count(*) FROM pg_depend WHERE deptype = 'e'
	AND classid = 'pg_proc'::regclass AND objid = 'public.spoj_refresh()'::regprocedure}), '0',
	"S7b: ... and not an extension member");
is($node->safe_psql('s7b', q{SELECT proowner::regrole || ' ' || prosecdef FROM pg_proc
	WHERE oid = 'public.spoj_refresh(boolean)'::regprocedure}), 'postgres true',
	"S7b: the extension's spoj_refresh(boolean) is its own, the superuser's");
# The overload makes the bare call ambiguous (PostgreSQL's rule, not an adoption).
($out, $err) = as_role('s7b', 'postgres', 'SELECT spoj_refresh()');
note "S7b: bare spoj_refresh() with the squatter's overload present: $err";

# S7c: an object with exactly an extension member's signature is never adopted.
$node->safe_psql('postgres', 'CREATE DATABASE s7c');
$node->safe_psql('s7c', 'GRANT CREATE ON SCHEMA public TO squatter');
as_role('s7c', 'squatter', q{
CREATE FUNCTION public.spoj_score(users integer) RETURNS double precision LANGUAGE sql AS $$ SELECT 1e9::float8 $$;});
# (CREATE revoked again, or the trust check refuses the schema before anything else.)
$node->safe_psql('s7c', 'REVOKE CREATE ON SCHEMA public FROM squatter');
($out, $err) = as_role('s7c', 'postgres', 'CREATE EXTENSION spojscore');
like($err, qr/ERROR:\s+42723: function "spoj_score" already exists/,
	"S7c: CREATE EXTENSION fails when the squatter's spoj_score(integer) exists (42723)");
is($node->safe_psql('s7c', q{SELECT count(*) FROM pg_extension WHERE extname = 'spojscore'}), '0',
	'S7c: nothing installed, nothing adopted');

# --- S4: with the library preloaded, a non-superuser SET fails at once ---------------
my $sink_port = fixture_hits('s4-none')->{sink_port};
ok($sink_port, "S4: the fixture's sink listens on port $sink_port");
my $sink_url = "http://127.0.0.1:$sink_port/";
my $sink_before = fixture_hits('s4-none')->{sink_hits};
($out, $err) = as_role('postgres', 'refresher',
	"SET spojscore.base_url = '$sink_url'; SHOW spojscore.base_url");
like($err, qr/ERROR:\s+42501: permission denied to set parameter "spojscore.base_url"/,
	'S4 preloaded: SET by a non-superuser fails at once with 42501');
unlike($out, qr/\Q$sink_url\E/, 'S4 preloaded: SHOW never gives the sink URL');

# --- S4: a node that does not preload the library ------------------------------------
my $good = scenario_url('ok,total=130,t=s4');
my $plain = PostgreSQL::Test::Cluster->new('nopreload');
$plain->init;
$plain->append_conf('postgresql.conf', qq{
spojscore.min_rows = 100
spojscore.page_delay = 0
spojscore.base_url = '$good'
});
$plain->start;
$plain->safe_psql('postgres', q{
CREATE EXTENSION spojscore;
CREATE ROLE refresher LOGIN;
GRANT EXECUTE ON FUNCTION spoj_refresh(boolean) TO refresher;});
is($plain->safe_psql('postgres', q{SHOW shared_preload_libraries}), '',
	'S4 not preloaded: shared_preload_libraries is empty');
# 0.2.0: without preloading, a session's own settings (SET, or startup options in
# PGOPTIONS, applied before the library loads) could hide the DBA's, so every refresh
# refuses with 55000 before any request; SHOW still never gives the sink.
sub plain_as_refresher
{
	my ($sql, $pgoptions) = @_;
	my ($o, $e) = ('', '');
	local $ENV{PGOPTIONS} = $pgoptions if defined $pgoptions;
	$plain->psql('postgres', $sql, stdout => \$o, stderr => \$e,
		extra_params => [ '-U', 'refresher', '-v', 'VERBOSITY=verbose' ]);
	return ($o, $e);
}
my $refresh_sql = 'SELECT pages, rows_seen FROM spoj_refresh();';
my ($pout, $perr) = plain_as_refresher(qq{
SELECT count(*) FROM pg_settings WHERE name = 'spojscore.base_url' AND context = 'superuser';
SET spojscore.base_url = '$sink_url';
SELECT spoj_score(1);
SHOW spojscore.base_url;
$refresh_sql});
note "S4 not preloaded (SET): stdout:\n$pout\nstderr:\n$perr";
my @lines = split /\n/, $pout;
is($lines[0], '0', 'S4 not preloaded: the library is not loaded in the new session before the call');
like($perr, qr/(?:WARNING|ERROR):\s+42501: permission denied to set parameter "spojscore.base_url"/,
	'S4 not preloaded: loading the library rejects the placeholder value (permission denied)');
like($lines[1], qr/^1\.95/, 'S4 not preloaded: spoj_score(1) loaded the library');
is($lines[2], $good, 'S4 not preloaded: SHOW gives the superuser-configured URL, never the sink');
like($perr, qr/ERROR:\s+55000: spojscore: the library must be loaded through shared_preload_libraries/,
	'S4 not preloaded: the refresh refuses with 55000 (must be loaded through shared_preload_libraries)');
is(scalar(@lines), 3, 'S4 not preloaded: ... and returns no row');

# The PGOPTIONS trick: the placeholder is set at connection start, before any load.
($pout, $perr) = plain_as_refresher("SHOW spojscore.base_url; SELECT spoj_score(1); SHOW spojscore.base_url; $refresh_sql",
	"-c spojscore.base_url=$sink_url");
note "S4 not preloaded (PGOPTIONS): stdout:\n$pout\nstderr:\n$perr";
# Before the library loads, SHOW gives the bare placeholder (PostgreSQL's, used by
# nothing); once loaded, the placeholder is refused, and the session is left with the
# built-in default rather than the DBA's value (issue 12 item 7) -- hence the refusal.
@lines = split /\n/, $pout;
isnt($lines[2], $sink_url, 'S4 PGOPTIONS: once the library is loaded, SHOW never gives the sink URL');
like($perr, qr/WARNING:\s+42501: permission denied to set parameter "spojscore.base_url"/,
	'S4 PGOPTIONS: loading the library rejects the startup value (permission denied)');
like($perr, qr/ERROR:\s+55000: spojscore: the library must be loaded through shared_preload_libraries/,
	'S4 PGOPTIONS: the refresh refuses with 55000');
# Every other entry that fetches refuses the same way, for a superuser too.
for my $sql ('SELECT * FROM spoj_refresh()', q{SELECT spoj_refresh_if_stale('1 second')},
	'CALL spoj_refresh_job()', q{SELECT * FROM spoj_user_refresh('alice')})
{
	my ($o, $e) = ('', '');
	local $ENV{PGOPTIONS} = "-c spojscore.base_url=$sink_url";
	$plain->psql('postgres', $sql, stdout => \$o, stderr => \$e, extra_params => [ '-v', 'VERBOSITY=verbose' ]);
	like($e, qr/ERROR:\s+55000: spojscore: the library must be loaded through shared_preload_libraries/,
		"S4 not preloaded, superuser with PGOPTIONS: $sql refuses with 55000");
}
is(fixture_hits('s4-none')->{sink_hits}, $sink_before, 'S4: the sink was never contacted');
is(fixture_hits('ok,total=130,t=s4')->{requests}, 0,
	'S4 not preloaded: not even the configured URL was (0 requests)');
$plain->stop;

# --- P14: libxml2's global state after a successful and a failed refresh ------------
my $log_offset = -s $node->logfile;
my $s = session($node);
$s->query_safe("SET spojscore.base_url = '" . scenario_url('ok,total=130,t=p14ok') . "'");
is($s->query_safe('SELECT pages, rows_seen FROM spoj_refresh()'), '3|130', 'P14: a refresh succeeds');
my $r = bg_run($s, q{SELECT xmlparse(document '<a><b/></a>')}, 10);
is($r->{stdout}, '<a><b/></a>', 'P14: after a successful refresh xmlparse works');
for my $fail (['ok,v_blocked=challenge,total=130,t=p14layout', '22000', 'layout error'],
	['ok,v_truncate_at=30000,total=130,t=p14trunc', '22000', 'page cut short'],
	['status,code=500,total=130,t=p14http', '08006', 'HTTP 500'])
{
	my ($seg, $state, $what) = @$fail;
	$s->query_safe("SET spojscore.base_url = '" . scenario_url($seg) . "'");
	$r = bg_run($s, 'SELECT * FROM spoj_refresh()', 30);
	is($r->{sqlstate}, $state, "P14: a refresh fails ($what, $state)") or diag $r->{stderr};
	$r = bg_run($s, q{SELECT xmlparse(document '<a><b/></a>')}, 10);
	is($r->{stdout}, '<a><b/></a>', "P14: after it ($what) xmlparse(document '<a><b/></a>') works")
	  or diag $r->{stderr};
	$r = bg_run($s, q{SELECT xmlparse(document '<a>')}, 10);
	ok($r->{sqlstate} eq '2200M' && $r->{stderr} =~ /invalid XML document/,
		"P14: after it ($what) xmlparse(document '<a>') gives the normal 2200M error")
	  or diag $r->{stderr};
}
# xml.c first, then spojscore's parser, then xml.c again, in the same statement.
$r = bg_run($s, q{SELECT xmlparse(document '<a/>')::text, (SELECT count(*) FROM spoj_parse_list('<html><body>no list</body></html>'))}, 10);
like($r->{stderr}, qr/22000/, 'P14: spoj_parse_list of a non-list page raises 22000');
$r = bg_run($s, q{SELECT xmlparse(document '<a><b/></a>')}, 10);
is($r->{stdout}, '<a><b/></a>', 'P14: ... and xmlparse works after it');
$s->quit;
unlike(slurp_file($node->logfile, $log_offset), qr/libxml error handling state is out of sync/,
	'P14: the server log has no "libxml error handling state is out of sync"');
unlike(slurp_file($node->logfile), qr/terminated by signal|server process .* exited/,
	'no backend crashed');

$node->stop;
done_testing();
