-- spojscore install script, built by the Makefile from src/sql/*.sql (see SQL_MODULES).
\echo Use "CREATE EXTENSION spojscore" to load this file. \quit

-- The SECURITY DEFINER functions below call each other through the schema's name, so
-- whoever can rename or drop the schema could put their own code in the superuser's
-- path: refuse a schema that is not owned by a superuser (for public, owned by
-- pg_database_owner, that means the database owner).
DO $$
DECLARE
  owner oid := (SELECT n.nspowner FROM pg_catalog.pg_namespace n
                 WHERE n.nspname OPERATOR(pg_catalog.=) '@extschema@');
BEGIN
  IF owner OPERATOR(pg_catalog.=) 'pg_database_owner'::pg_catalog.regrole::pg_catalog.oid THEN
    owner := (SELECT d.datdba FROM pg_catalog.pg_database d
               WHERE d.datname OPERATOR(pg_catalog.=) pg_catalog.current_database());
  END IF;
  IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) owner) THEN
    RAISE EXCEPTION 'spojscore: schema "@extschema@" is owned by %, which is not a superuser',
        owner::pg_catalog.regrole
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Install into a schema a superuser owns: CREATE SCHEMA spojscore; CREATE EXTENSION spojscore SCHEMA spojscore;';
  END IF;
END
$$;

