# Issue 12 item 1: no code of another role ever runs with the extension owner's rights.
# Replays the attack (the database's owner renames the extension's schema and plants
# look-alike functions in a new one) and its variants: the schema's owner changed without
# a rename, CREATE granted on the schema, objects planted in every schema on the caller's
# search_path, temporary objects, and the pg_cron job's command. Every entry point must
# refuse (42501) or work on the real objects; the planted code must never run.
#
# The planted code bumps a sequence first (nextval survives the rollback of a refused
# call, so "never ran" is really never) and then tries ALTER ROLE dbo SUPERUSER.
# Control: the same attack on 0.1.0 makes dbo a superuser, so this test can fail.
# (g): the database's owner sets everyone's search_path (ALTER DATABASE ... SET) so that
# schema evil comes before pg_catalog; spoj_refresh_job runs as its caller and must not
# resolve anything through it.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SpojTest;

my $node = spoj_node('escalation', cron => 1, conf => "spojscore.page_delay = 0\n");
$node->safe_psql('postgres', q{
CREATE ROLE dbo LOGIN;
CREATE ROLE refresher LOGIN;
CREATE EXTENSION pg_cron;
GRANT USAGE ON SCHEMA cron TO refresher;});

my $summary = 'run_id bigint, pages integer, rows_seen integer, inserted integer, updated integer, '
  . 'unchanged integer, marked_missing integer, duration interval';

# psql as $user in $db (VERBOSITY verbose: SQLSTATEs); returns (ret, stdout, stderr).
sub as_role
{
	my ($db, $user, $sql) = @_;
	my ($out, $err) = ('', '');
	my $ret = $node->psql($db, $sql, stdout => \$out, stderr => \$err,
		extra_params => [ '-U', $user, '-v', 'VERBOSITY=verbose' ]);
	return ($ret, $out, $err);
}

sub dbo_is_superuser
{
	return $node->safe_psql('postgres', q{SELECT rolsuper FROM pg_roles WHERE rolname = 'dbo'});
}

# A database with spojscore (in $schema, public by default), its own fixture segment, the
# README's grants for refresher (and spoj_cleanup), and schema trip: dbo's tripwire.
sub victim
{
	my ($db, %opt) = @_;
	my $schema = $opt{schema} // 'public';
	my $version = $opt{version} ? " VERSION '$opt{version}'" : '';
	my $url = scenario_url("ok,total=130,t=esc-$db");
	$node->safe_psql('postgres', "CREATE DATABASE $db");
	$node->safe_psql($db, qq{
ALTER DATABASE $db SET spojscore.base_url = '$url';
@{[ $schema eq 'public' ? '' : "CREATE SCHEMA $schema;" ]}
CREATE EXTENSION spojscore SCHEMA $schema$version;
SET search_path = $schema;
GRANT USAGE ON SCHEMA $schema TO refresher;
GRANT EXECUTE ON FUNCTION spoj_refresh(boolean), spoj_refresh_if_stale(interval),
      spoj_load_pages(text[], boolean), spoj_refresh_tracked_users(interval),
      spoj_user_refresh(text), spoj_track_user(text), spoj_untrack_user(text),
      spoj_schedule(text, interval, interval), spoj_unschedule(), spoj_cleanup(interval),
      spoj_user_load_profile(text, text) TO refresher;
GRANT EXECUTE ON PROCEDURE spoj_refresh_job(interval, boolean),
      _spoj_record_failure(timestamptz, text, text) TO refresher;
CREATE SCHEMA trip AUTHORIZATION dbo;});
	tripwire($db);
	return "ok,total=130,t=esc-$db";
}

# dbo's tripwire in schema trip (a superuser made it for dbo): trip.pwn() counts its runs
# in a sequence and tries to make dbo a superuser.
sub tripwire
{
	my ($db) = @_;
	my ($ret, $out, $err) = as_role($db, 'dbo', q{
CREATE SEQUENCE trip.ran;
GRANT USAGE ON SCHEMA trip TO PUBLIC;
GRANT USAGE, SELECT ON SEQUENCE trip.ran TO PUBLIC;
CREATE FUNCTION trip.pwn(what text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_catalog.nextval('trip.ran');
  BEGIN
    EXECUTE 'ALTER ROLE dbo SUPERUSER';
  EXCEPTION WHEN insufficient_privilege THEN NULL;
  END;
  RETURN true;
END $$;});
	die "tripwire in $db: $err" if $ret;
}

# How many times dbo's planted code ran in $db (rolled back or not).
sub trip_count
{
	my ($db) = @_;
	return $node->safe_psql($db, 'SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM trip.ran');
}

# dbo's look-alikes of the extension's internals and entry points in schema $in (types
# from $ext), each running trip.pwn() first and returning something plausible, so that a
# caller that resolves them by name completes (and commits the escalation).
sub plant
{
	my ($db, $in, $ext) = @_;
	my @f = (
		"_spoj_guard(boolean DEFAULT true) RETURNS boolean|SELECT true",
		"_spoj_require_preload() RETURNS void|SELECT",
		"_spoj_begin(boolean) RETURNS timestamptz|SELECT pg_catalog.now()",
		"_spoj_caller_is_superuser() RETURNS boolean|SELECT true",
		"_spoj_setting(text) RETURNS text|SELECT '0'",
		"_spoj_fetch() RETURNS $ext.spoj_fetch_result|SELECT NULL::$ext.spoj_fetch_result",
		"_spoj_parse_pages(text[]) RETURNS $ext.spoj_fetch_result|SELECT NULL::$ext.spoj_fetch_result",
		"_spoj_apply($ext.spoj_fetch_result, boolean, text, timestamptz) RETURNS TABLE ($summary)|"
		  . 'SELECT 0::bigint, 0, 0, 0, 0, 0, 0, NULL::interval',
		"_spoj_refresh_if_stale(interval) RETURNS text|SELECT 'fresh'",
		"_spoj_fetch_profile(text) RETURNS $ext.spoj_profile|SELECT NULL::$ext.spoj_profile",
		"_spoj_apply_profile(text, $ext.spoj_profile) RETURNS TABLE (handle text, solved integer, added integer, removed integer)|"
		  . "SELECT 'x', 0, 0, 0",
		"_spoj_refresh_tracked_users(interval) RETURNS TABLE (handle text, status text)|SELECT 'x', 'ok'",
		"_spoj_cleanup(interval) RETURNS TABLE (runs_deleted bigint, cron_details_deleted bigint)|SELECT 0::bigint, 0::bigint",
		"spoj_refresh(boolean DEFAULT false) RETURNS TABLE ($summary)|SELECT 0::bigint, 0, 0, 0, 0, 0, 0, NULL::interval",
		"spoj_refresh_if_stale(interval) RETURNS text|SELECT 'fresh'",
		"spoj_user_refresh(text) RETURNS TABLE (handle text, solved integer, added integer, removed integer)|SELECT 'x', 0, 0, 0",
		"spoj_refresh_tracked_users(interval DEFAULT NULL) RETURNS TABLE (handle text, status text)|SELECT 'x', 'ok'",
		"spoj_track_user(text) RETURNS boolean|SELECT true",
		"spoj_cleanup(interval DEFAULT '90 days') RETURNS TABLE (runs_deleted bigint, cron_details_deleted bigint)|SELECT 0::bigint, 0::bigint");
	my $sql = '';
	for (@f)
	{
		my ($sig, $ret) = split /\|/;
		(my $name = $sig) =~ s/\(.*//s;
		$sql .= "CREATE FUNCTION $in.$sig LANGUAGE sql AS \$\$ SELECT trip.pwn('$name'); $ret \$\$;\n";
	}
	$sql .= "CREATE PROCEDURE $in.spoj_refresh_job(interval DEFAULT NULL, boolean DEFAULT false) LANGUAGE sql AS \$\$ SELECT trip.pwn('spoj_refresh_job') \$\$;\n";
	$sql .= "CREATE PROCEDURE $in._spoj_record_failure(timestamptz, text, text) LANGUAGE sql AS \$\$ SELECT trip.pwn('_spoj_record_failure') \$\$;\n";
	my ($ret, $out, $err) = as_role($db, 'dbo', $sql);
	is($err, '', "$db: dbo planted look-alikes in schema $in") or diag $err;
}

# Every SECURITY DEFINER entry point, and the job, called in schema $s.
sub entry_calls
{
	my ($s) = @_;
	return (
		"SELECT * FROM $s.spoj_refresh(false)",
		"SELECT * FROM $s.spoj_load_pages(ARRAY['<p>'])",
		"SELECT $s.spoj_refresh_if_stale('1 second')",
		"CALL $s.spoj_refresh_job()",
		"CALL $s.spoj_refresh_job('1 second')",
		"SELECT * FROM $s.spoj_user_refresh('someone')",
		"SELECT * FROM $s.spoj_user_load_profile('someone', '<p>')",
		"SELECT $s.spoj_track_user('someone')",
		"SELECT $s.spoj_untrack_user('someone')",
		"SELECT * FROM $s.spoj_refresh_tracked_users()",
		"SELECT * FROM $s.spoj_cleanup()",
		"CALL $s._spoj_record_failure(pg_catalog.now(), 'x', 'XX000')");
}

# Each call, as each of @users, fails with 42501 and a message matching $msg (one psql
# per user that goes on after errors: one ERROR per call, each of them that one).
sub all_refused
{
	my ($db, $s, $msg, $label, @users) = @_;
	my @calls = entry_calls($s);
	my @bad;
	for my $user (@users)
	{
		my ($out, $err) = ('', '');
		$node->psql($db, join(";\n", @calls) . ";\n", stdout => \$out, stderr => \$err,
			on_error_stop => 0, extra_params => [ '-U', $user, '-v', 'VERBOSITY=verbose' ]);
		my @errors = $err =~ /^psql:<stdin>:\d+: ERROR:\s+(.*)$/mg;
		my $refused = grep { /^42501: spojscore: $msg/ } @errors;
		push @bad, "$user: $refused of " . scalar(@calls) . " calls refused:\n$err"
		  unless $refused == @calls && @errors == @calls;
	}
	is(join("\n", @bad), '', "$label: every entry point refuses with 42501 ($msg) as " . join(', ', @users));
}

sub no_harm
{
	my ($db, $segment, $label) = @_;
	is(dbo_is_superuser(), 'f', "$label: dbo is not a superuser");
	is(trip_count($db), '0', "$label: dbo's planted code never ran");
	is(fixture_hits($segment)->{requests}, 0, "$label: no request was sent");
}

sub refresh_works
{
	my ($db, $s, $label) = @_;
	my ($ret, $out, $err) = as_role($db, 'refresher', "SELECT pages, rows_seen FROM $s.spoj_refresh(false)");
	is($out, '3|130', "$label: the refresher's refresh works again") or diag $err;
}

# --- Control: 0.1.0 falls to the attack ---------------------------------------------
my $seg = victim('v010', version => '0.1.0');
$node->safe_psql('postgres', 'ALTER DATABASE v010 OWNER TO dbo');
as_role('v010', 'dbo', 'ALTER SCHEMA public RENAME TO public_old; CREATE SCHEMA public;');
plant('v010', 'public', 'public_old');
my ($ret, $out, $err) = as_role('v010', 'refresher', 'SELECT pages FROM public_old.spoj_refresh()');
note "control (0.1.0): refresher's public_old.spoj_refresh(): $out $err";
is(dbo_is_superuser(), 't', 'control: on 0.1.0 the attack makes dbo a superuser (the test can fail)');
ok(trip_count('v010') > 0, "control: ... through dbo's planted code");
$node->safe_psql('postgres', 'ALTER ROLE dbo NOSUPERUSER');

# --- (a) the schema renamed, look-alikes planted in a new public ---------------------
$seg = victim('va');
$node->safe_psql('postgres', 'ALTER DATABASE va OWNER TO dbo');
($ret, $out, $err) = as_role('va', 'dbo', 'ALTER SCHEMA public RENAME TO public_old; CREATE SCHEMA public;');
is($err, '', '(a) dbo, owner of the database, renamed public and made a new one');
plant('va', 'public', 'public_old');
all_refused('va', 'public_old', q{the extension's schema is no longer named public}, '(a) renamed',
	'refresher', 'postgres');
no_harm('va', $seg, '(a) renamed');
# Trust restored by a superuser: dbo's schema aside, the name back, the owner back.
$node->safe_psql('va', 'ALTER SCHEMA public RENAME TO dbo_public; ALTER SCHEMA public_old RENAME TO public');
($ret, $out, $err) = as_role('va', 'refresher', 'SELECT * FROM public.spoj_refresh()');
like($err, qr/ERROR:\s+42501: spojscore: schema public is owned by dbo, which is not a superuser/,
	'(a) renamed back but the database (so public) still owned by dbo: still refused');
$node->safe_psql('postgres', 'ALTER DATABASE va OWNER TO postgres');
refresh_works('va', 'public', '(a) trust restored');
is(trip_count('va'), '0', "(a) dbo's planted code never ran");

# --- (b) the schema's owner changed, no rename ---------------------------------------
# public owned by pg_database_owner, the database given to dbo.
$seg = victim('vb');
$node->safe_psql('postgres', 'ALTER DATABASE vb OWNER TO dbo');
($ret, $out, $err) = as_role('vb', 'dbo', q{
CREATE FUNCTION public._spoj_guard() RETURNS boolean LANGUAGE sql AS $$ SELECT trip.pwn('_spoj_guard()') $$;
CREATE FUNCTION public._spoj_setting(varchar) RETURNS text LANGUAGE sql AS $$ SELECT trip.pwn('_spoj_setting'); SELECT '0' $$;});
is($err, '', '(b) dbo planted overloads next to the extension in public') or diag $err;
all_refused('vb', 'public', 'schema public is owned by dbo, which is not a superuser',
	'(b) database owner changed', 'refresher', 'postgres');
no_harm('vb', $seg, '(b) database owner changed');
$node->safe_psql('postgres', 'ALTER DATABASE vb OWNER TO postgres');
# dbo's overloads are still there (a superuser must drop them), yet the entries, bound by
# OID, never call them.
refresh_works('vb', 'public', '(b) owner restored, the overloads still present');
is(trip_count('vb'), '0', "(b) dbo's overloads never ran");

# A schema spojscore whose owner a superuser changed to dbo.
$seg = victim('vb2', schema => 'spojscore');
$node->safe_psql('vb2', 'ALTER SCHEMA spojscore OWNER TO dbo');
($ret, $out, $err) = as_role('vb2', 'dbo', q{
CREATE FUNCTION spojscore._spoj_guard() RETURNS boolean LANGUAGE sql AS $$ SELECT trip.pwn('_spoj_guard()') $$;
CREATE FUNCTION spojscore._spoj_setting(varchar) RETURNS text LANGUAGE sql AS $$ SELECT trip.pwn('_spoj_setting'); SELECT '0' $$;});
is($err, '', '(b) dbo, now owner of schema spojscore, planted overloads in it') or diag $err;
all_refused('vb2', 'spojscore', 'schema spojscore is owned by dbo, which is not a superuser',
	'(b) schema owner changed', 'refresher', 'postgres');
no_harm('vb2', $seg, '(b) schema owner changed');
$node->safe_psql('vb2', 'ALTER SCHEMA spojscore OWNER TO postgres');
refresh_works('vb2', 'spojscore', '(b) schema owner restored');
is(trip_count('vb2'), '0', "(b) dbo's overloads never ran");

# --- (c) CREATE on the extension's schema granted to PUBLIC, or to one role ----------
$seg = victim('vc');
$node->safe_psql('vc', 'GRANT CREATE ON SCHEMA public TO PUBLIC');
all_refused('vc', 'public', 'PUBLIC may create objects in schema public', '(c) CREATE to PUBLIC',
	'refresher');
$node->safe_psql('vc', 'REVOKE CREATE ON SCHEMA public FROM PUBLIC; GRANT CREATE ON SCHEMA public TO dbo');
# While it may, dbo leaves overloads next to the extension's functions; they stay (its
# own) after the grant is revoked.
($ret, $out, $err) = as_role('vc', 'dbo', q{
CREATE FUNCTION public.spoj_refresh() RETURNS text LANGUAGE sql AS $$ SELECT trip.pwn('spoj_refresh()'); SELECT 'x' $$;
CREATE FUNCTION public._spoj_setting(varchar) RETURNS text LANGUAGE sql AS $$ SELECT trip.pwn('_spoj_setting'); SELECT '0' $$;});
is($err, '', '(c) dbo, while it may, planted overloads in public') or diag $err;
all_refused('vc', 'public', 'dbo may create objects in schema public', '(c) CREATE to dbo', 'postgres');
no_harm('vc', $seg, '(c) CREATE granted');
$node->safe_psql('vc', 'REVOKE CREATE ON SCHEMA public FROM dbo');
refresh_works('vc', 'public', '(c) CREATE revoked');
# The internal calls by name must neither pick dbo's overloads nor be made ambiguous by
# them (a zero-argument spoj_refresh() next to spoj_refresh(force boolean DEFAULT false);
# callers, like this test, then write spoj_refresh(false)).
($ret, $out, $err) = as_role('vc', 'refresher', q{SELECT public.spoj_refresh_if_stale('1 millisecond')});
is($out, 'refreshed', "(c) CREATE revoked, dbo's leftovers present: spoj_refresh_if_stale still refreshes")
  or diag $err;
is(trip_count('vc'), '0', "(c) dbo's leftovers never ran");

# --- (d) objects planted in every schema on the caller's search_path -----------------
# Schema evil (dbo's) shadows pg_catalog names and the extension's tables; the callers put
# it first, even before pg_catalog.
$seg = victim('vd');
$node->safe_psql('vd', 'CREATE SCHEMA evil AUTHORIZATION dbo; GRANT USAGE ON SCHEMA evil TO PUBLIC');
($ret, $out, $err) = as_role('vd', 'dbo', q{
CREATE FUNCTION evil.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT trip.pwn('now'); SELECT pg_catalog.now() $$;
CREATE FUNCTION evil.clock_timestamp() RETURNS timestamptz LANGUAGE sql AS $$ SELECT trip.pwn('clock_timestamp'); SELECT pg_catalog.now() $$;
CREATE FUNCTION evil.lower(text) RETURNS text LANGUAGE sql AS $$ SELECT trip.pwn('lower'); SELECT pg_catalog.lower($1) $$;
CREATE FUNCTION evil.cardinality(anyarray) RETURNS integer LANGUAGE sql AS $$ SELECT trip.pwn('cardinality'); SELECT pg_catalog.cardinality($1) $$;
CREATE FUNCTION evil.current_database() RETURNS name LANGUAGE sql AS $$ SELECT trip.pwn('current_database'); SELECT pg_catalog.current_database() $$;
CREATE FUNCTION evil.pg_is_in_recovery() RETURNS boolean LANGUAGE sql AS $$ SELECT trip.pwn('pg_is_in_recovery'); SELECT false $$;
CREATE FUNCTION evil.quote_ident(text) RETURNS text LANGUAGE sql AS $$ SELECT trip.pwn('quote_ident'); SELECT pg_catalog.quote_ident($1) $$;
CREATE FUNCTION evil.texteq(text, text) RETURNS boolean LANGUAGE sql AS $$ SELECT trip.pwn('='); SELECT pg_catalog.texteq($1, $2) $$;
CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.texteq);
CREATE FUNCTION evil.oideq(oid, oid) RETURNS boolean LANGUAGE sql AS $$ SELECT trip.pwn('oid ='); SELECT pg_catalog.oideq($1, $2) $$;
CREATE OPERATOR evil.= (LEFTARG = oid, RIGHTARG = oid, FUNCTION = evil.oideq);
CREATE TABLE evil.spoj_problems (code text);
CREATE TABLE evil.spoj_refresh_runs (id bigint);
CREATE TABLE evil.spoj_refresh_lock (id boolean);
CREATE TABLE evil.spoj_tracked_users (handle text);
CREATE TABLE evil.pg_namespace (oid oid, nspname name, nspowner oid);
GRANT ALL ON ALL TABLES IN SCHEMA evil TO PUBLIC;});
is($err, '', '(d) dbo planted look-alikes of pg_catalog and of the tables in schema evil') or diag $err;
for my $path ('evil, public', 'evil, pg_catalog, public')
{
	for my $user ('refresher', 'postgres')
	{
		($ret, $out, $err) = as_role('vd', $user, qq{SET search_path = $path;
SELECT pages, rows_seen FROM public.spoj_refresh();
SELECT public.spoj_refresh_if_stale('1 hour');
SELECT public.spoj_track_user('alice');
SELECT handle, status FROM public.spoj_refresh_tracked_users();
CALL public.spoj_refresh_job();});
		is($out, "3|130\nfresh\nt\nalice|ok", "(d) search_path $path, $user: the refreshes work")
		  or diag $err;
		$node->safe_psql('vd', q{SELECT public.spoj_untrack_user('alice')});
	}
}
is($node->safe_psql('vd', q{SELECT (SELECT count(*) FROM evil.spoj_problems) + (SELECT count(*) FROM evil.spoj_refresh_runs)
	+ (SELECT count(*) FROM evil.spoj_tracked_users)}), '0', "(d) evil's tables stay empty");
is($node->safe_psql('vd', q{SELECT count(*) FILTER (WHERE status = 'ok') FROM public.spoj_refresh_runs}), '8',
	'(d) the real spoj_refresh_runs has every run (4 refreshes, 4 jobs)');
is(trip_count('vd'), '0', "(d) evil's functions and operators never ran");
is(dbo_is_superuser(), 'f', '(d) dbo is not a superuser');

# --- (e) temporary objects in the caller's session -----------------------------------
$seg = victim('ve');
for my $user ('refresher', 'postgres')
{
	($ret, $out, $err) = as_role('ve', $user, q{
CREATE TEMP TABLE spoj_problems (code text);
CREATE TEMP TABLE spoj_refresh_runs (id bigint);
CREATE TEMP TABLE spoj_refresh_lock (id boolean);
CREATE TEMP TABLE spoj_tracked_users (handle text);
CREATE FUNCTION pg_temp._spoj_guard(boolean DEFAULT true) RETURNS boolean LANGUAGE sql AS $$ SELECT trip.pwn('temp _spoj_guard') $$;
CREATE FUNCTION pg_temp._spoj_begin(boolean) RETURNS timestamptz LANGUAGE sql AS $$ SELECT trip.pwn('temp _spoj_begin'); SELECT pg_catalog.now() $$;
CREATE FUNCTION pg_temp.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT trip.pwn('temp now'); SELECT pg_catalog.now() $$;
SET search_path = pg_temp, public;
SELECT pages, rows_seen FROM public.spoj_refresh();
SELECT public.spoj_track_user('alice');
CALL public.spoj_refresh_job();
SELECT (SELECT count(*) FROM pg_temp.spoj_problems) + (SELECT count(*) FROM pg_temp.spoj_refresh_runs)
     + (SELECT count(*) FROM pg_temp.spoj_refresh_lock) + (SELECT count(*) FROM pg_temp.spoj_tracked_users);
SELECT public.spoj_untrack_user('alice');});
	is($out, "3|130\nt\n0\nt", "(e) $user with temporary look-alikes: refreshes work, the temporary tables stay empty")
	  or diag $err;
}
is(trip_count('ve'), '0', '(e) the temporary functions never ran');

# --- (f) the pg_cron job's command -----------------------------------------------------
# pg_cron lives in database postgres, where spoj_node installed spojscore in public.
my $fseg = 'ok,total=130,t=esc-cron';
$node->safe_psql('postgres', "ALTER DATABASE postgres SET spojscore.base_url = '" . scenario_url($fseg) . "'");
$node->safe_psql('postgres', q{
GRANT EXECUTE ON FUNCTION spoj_refresh(boolean), spoj_refresh_if_stale(interval),
      spoj_refresh_tracked_users(interval), spoj_user_refresh(text),
      spoj_schedule(text, interval, interval), spoj_unschedule() TO refresher;
GRANT EXECUTE ON PROCEDURE spoj_refresh_job(interval, boolean),
      _spoj_record_failure(timestamptz, text, text) TO refresher;
CREATE SCHEMA trip AUTHORIZATION dbo;});
tripwire('postgres');
# Scheduled for January 1st: the test runs its command itself.
($ret, $out, $err) = as_role('postgres', 'refresher', q{SELECT spoj_schedule('0 0 1 1 *', NULL)});
ok($out =~ /^\d+$/, '(f) the refresher scheduled the job') or diag $err;
my ($command, $owner) = split /\|/, $node->safe_psql('postgres',
	q{SELECT command, username FROM cron.job WHERE jobname = 'spojscore-refresh'});
is($owner, 'refresher', '(f) the job runs as the refresher');
like($command, qr/^DO \$spojscore\$.*CALL public\.spoj_refresh_job\(\)/s, '(f) its command: a guarded DO block');

$node->safe_psql('postgres', 'ALTER DATABASE postgres OWNER TO dbo');
as_role('postgres', 'dbo', 'ALTER SCHEMA public RENAME TO public_old; CREATE SCHEMA public;');
plant('postgres', 'public', 'public_old');
for my $user ('refresher', 'postgres')
{
	($ret, $out, $err) = as_role('postgres', $user, $command);
	like($err, qr/NOTICE:\s+00000: spojscore is not installed in schema public of this database/,
		"(f) renamed: the job's command, run as $user, does not call into the new public");
}
no_harm('postgres', $fseg, '(f) renamed');
# Renamed back, the database still dbo's: the job's CALL reaches the inline trust check.
$node->safe_psql('postgres', 'ALTER SCHEMA public RENAME TO dbo_public; ALTER SCHEMA public_old RENAME TO public');
for my $user ('refresher', 'postgres')
{
	($ret, $out, $err) = as_role('postgres', $user, $command);
	like($err, qr/ERROR:\s+42501: spojscore: schema public is owned by dbo, which is not a superuser/,
		"(f) owner changed: the job's command, run as $user, refuses with 42501");
}
no_harm('postgres', $fseg, '(f) owner changed');
is($node->safe_psql('postgres', 'SELECT count(*) FROM spoj_refresh_runs'), '0',
	'(f) the refused jobs recorded nothing (no code ran past the check)');
$node->safe_psql('postgres', 'ALTER DATABASE postgres OWNER TO postgres');
($ret, $out, $err) = as_role('postgres', 'refresher', $command);
is($ret, 0, "(f) trust restored: the job's command runs") or diag $err;
is($node->safe_psql('postgres', 'SELECT status || rows_seen FROM spoj_refresh_runs ORDER BY id DESC LIMIT 1'),
	'ok130', '(f) ... and refreshes');
is(trip_count('postgres'), '0', "(f) dbo's planted code never ran");

# --- (g) the database's owner sets everyone's search_path, with look-alike types -----
# spojscore in its own schema (a superuser's), the database dbo's. spoj_refresh_job runs
# as its caller with the caller's search_path; dbo puts schema evil before pg_catalog for
# every session, with domains named like the types the procedure declares.
$seg = victim('vg', schema => 'spojscore');
$node->safe_psql('postgres', 'ALTER DATABASE vg OWNER TO dbo');
($ret, $out, $err) = as_role('vg', 'dbo', q{
CREATE SCHEMA evil;
GRANT USAGE ON SCHEMA evil TO PUBLIC;
CREATE FUNCTION evil.ok(anyelement) RETURNS boolean LANGUAGE sql AS $$ SELECT trip.pwn('domain check') $$;
CREATE DOMAIN evil.text AS pg_catalog.text CHECK (evil.ok(VALUE));
CREATE DOMAIN evil.oid AS pg_catalog.oid CHECK (evil.ok(VALUE));
CREATE DOMAIN evil.timestamptz AS pg_catalog.timestamptz CHECK (evil.ok(VALUE));
ALTER DATABASE vg SET search_path = evil, pg_catalog, spojscore;});
is($err, '', "(g) dbo, owner of the database, set its search_path to evil's look-alike types first")
  or diag $err;
for my $user ('refresher', 'postgres')
{
	($ret, $out, $err) = as_role('vg', $user, 'SHOW search_path; CALL spojscore.spoj_refresh_job()');
	note "(g) CALL spojscore.spoj_refresh_job() as $user: ret $ret $out $err";
	is(dbo_is_superuser(), 'f', "(g) CALL spojscore.spoj_refresh_job() as $user: dbo is not a superuser");
}
is(trip_count('vg'), '0', "(g) evil's domains never ran (in either caller's job)");
$node->safe_psql('postgres', 'ALTER ROLE dbo NOSUPERUSER');

unlike(slurp_file($node->logfile), qr/terminated by signal/, 'no backend crashed');
$node->stop;
done_testing();
