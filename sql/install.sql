-- Install hygiene: where objects land, how they are declared, who may run them.
CREATE EXTENSION spojscore;
SELECT extname, extversion, extrelocatable, extnamespace::regnamespace
  FROM pg_extension WHERE extname = 'spojscore';
-- What \df+ shows, from the catalog (\df+'s columns differ between PostgreSQL versions).
SELECT p.pronamespace::regnamespace AS schema, p.proname AS name,
       pg_catalog.format_type(p.prorettype, NULL) AS result,
       pg_catalog.pg_get_function_arguments(p.oid) AS arguments, p.prokind, p.provolatile,
       p.proparallel, p.proowner::regrole AS owner, p.prosecdef, p.proacl, l.lanname, p.prosrc,
       pg_catalog.obj_description(p.oid, 'pg_proc') AS description
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_language l ON l.oid = p.prolang
 WHERE p.oid = 'spoj_score(integer)'::regprocedure \gx

-- Every function pins search_path (spoj_refresh_job, _spoj_fetch_detached and _spoj_fetch_profile_detached
-- commit, which a pinned procedure cannot, so they qualify every name instead); only read-only ones are for PUBLIC, and the
-- job's steps, which admit only roles that may execute spoj_refresh_job (sql/privileges).
SELECT p.oid::regprocedure AS function, p.provolatile, p.proparallel, p.proisstrict,
       p.proconfig, pg_catalog.has_function_privilege('public', p.oid, 'execute') AS public_exec
  FROM pg_depend d JOIN pg_proc p ON p.oid = d.objid
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'spojscore')
   AND d.classid = 'pg_proc'::regclass
 ORDER BY p.proname;

-- The prefix is reserved: a typo in a spojscore setting is an error, not a silent no-op.
SET spojscore.no_such_setting = 'x';

-- Objects go to the schema named at CREATE EXTENSION ... SCHEMA, and nowhere else.
DROP EXTENSION spojscore;
CREATE SCHEMA spoj;
CREATE EXTENSION spojscore SCHEMA spoj;
SELECT spoj.spoj_score(0);
SELECT pg_catalog.count(*) AS in_public FROM pg_proc
 WHERE proname LIKE 'spoj\_%' AND pronamespace = 'public'::regnamespace;
-- Not relocatable: the schema is fixed once installed.
ALTER EXTENSION spojscore SET SCHEMA public;
DROP EXTENSION spojscore;
DROP SCHEMA spoj;

-- Installing needs a superuser: the extension is not trusted.
CREATE ROLE regress_spoj_installer LOGIN;
GRANT CREATE ON DATABASE contrib_regression TO regress_spoj_installer;
SET ROLE regress_spoj_installer;
CREATE EXTENSION spojscore;
RESET ROLE;
REVOKE CREATE ON DATABASE contrib_regression FROM regress_spoj_installer;
DROP ROLE regress_spoj_installer;
