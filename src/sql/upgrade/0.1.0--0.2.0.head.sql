-- spojscore 0.1.0 -> 0.2.0, built by the Makefile: this head, then every code module of
-- src/sql re-created in place (the Makefile adds OR REPLACE, which keeps owners and the GRANTs a DBA
-- made), then the new objects' privileges. The upgrade tests prove the result equals a fresh 0.2.0 install.
\echo Use "ALTER EXTENSION spojscore UPDATE TO '0.2.0'" to load this file. \quit

-- The refresh lock moves from an advisory lock any role could take to a row only the
-- refresh functions can lock (see tables.sql, where a fresh install creates it).
CREATE TABLE @extschema@.spoj_refresh_lock (
  id boolean PRIMARY KEY DEFAULT true CHECK (id)
);
COMMENT ON TABLE @extschema@.spoj_refresh_lock IS
  'One row, locked by the refresh that is running; nothing else may lock it';
INSERT INTO @extschema@.spoj_refresh_lock DEFAULT VALUES;

-- _spoj_begin now returns when the run started.
DROP FUNCTION @extschema@._spoj_begin(boolean);

-- The crash trace (issue 14): spoj_refresh_job commits a 'running' row (no finish yet, its
-- backend's pid) before it fetches; one that outlives its backend is an interrupted run.
ALTER TABLE @extschema@.spoj_refresh_runs ALTER COLUMN finished_at DROP NOT NULL;
ALTER TABLE @extschema@.spoj_refresh_runs DROP CONSTRAINT spoj_refresh_runs_status_check;
ALTER TABLE @extschema@.spoj_refresh_runs ADD CONSTRAINT spoj_refresh_runs_status_check
  CHECK (status IN ('ok', 'failed', 'skipped', 'running', 'interrupted'));
ALTER TABLE @extschema@.spoj_refresh_runs ADD COLUMN pid integer;
-- spoj_status() reports it in a new column. Its privileges (a DBA's GRANTs and REVOKEs
-- included) are kept here and given back to the new one by the tail of this step.
SELECT pg_catalog.set_config('spojscore_upgrade.status_acl',
         coalesce((SELECT p.proacl::pg_catalog.text FROM pg_catalog.pg_proc p
                    WHERE p.oid OPERATOR(pg_catalog.=) '@extschema@.spoj_status()'::pg_catalog.regprocedure), ''),
         true);
DROP FUNCTION @extschema@.spoj_status();
