---------------------------------------------------------------------------------------
-- The trust check. Every SECURITY DEFINER entry point is a BEGIN ATOMIC function (its
-- body is bound to objects by OID when it is created, so no name is resolved when it
-- runs) whose first act is _spoj_guard(). The internal plpgsql functions it then calls
-- do resolve @extschema@.* at run time, which is safe only while that name still means
-- the extension's own schema and only superusers can create or rename objects there:
-- exactly what this function checks, through pg_catalog alone. It also refuses writes on
-- a standby (before any request is sent) and, in a session where the library was not
-- preloaded, refuses work that reads spojscore.* settings (a non-superuser's startup
-- options can then hide the values the DBA configured).

CREATE FUNCTION @extschema@._spoj_guard(for_write boolean DEFAULT true)
RETURNS boolean
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  ext_schema oid;
  owner oid;
  creator text;
BEGIN
  -- @include trust_check
  IF for_write AND pg_catalog.pg_is_in_recovery() THEN
    RAISE EXCEPTION 'spojscore: this server is a standby; refreshes and other writes run on the primary'
      USING ERRCODE = 'read_only_sql_transaction',
            HINT = 'Run it on the primary; standbys receive its results through replication.';
  END IF;
  IF for_write THEN
    PERFORM @extschema@._spoj_require_preload();
  END IF;
  RETURN true;
END;
$$;

CREATE FUNCTION @extschema@._spoj_require_preload()
RETURNS void
AS 'MODULE_PATHNAME', 'spoj_require_preload'
LANGUAGE C VOLATILE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;

SELECT @extschema@._spoj_guard(false);

