---------------------------------------------------------------------------------------
-- Freshness, for monitoring and applications (readable by PUBLIC).

CREATE FUNCTION @extschema@.spoj_status()
RETURNS TABLE (last_success timestamptz, age interval, stale boolean, last_error text,
               last_error_sqlstate text, last_error_at timestamptz, rows_present bigint,
               rows_missing bigint, refresh_running boolean, last_interrupted_at timestamptz)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  WITH ok AS (
    SELECT max(r.finished_at) AS at FROM @extschema@.spoj_refresh_runs r WHERE r.status = 'ok'
  ), err AS (
    SELECT r.error, r.sqlstate, r.finished_at FROM @extschema@.spoj_refresh_runs r
     WHERE r.status = 'failed' ORDER BY r.id DESC LIMIT 1
  ), unfinished AS (
    -- Runs that did not finish: marked so, or 'running' with no live backend (see
    -- _spoj_run_live); the newest start.
    SELECT max(r.started_at) AS at FROM @extschema@.spoj_refresh_runs r
     WHERE r.status = 'interrupted'
        OR (r.status = 'running' AND NOT @extschema@._spoj_run_live(r.pid, r.started_at))
  )
  SELECT ok.at, now() - ok.at,
         ok.at IS NULL OR now() - ok.at > @extschema@._spoj_setting('spojscore.stale_after')::interval,
         CASE WHEN err.finished_at > coalesce(ok.at, '-infinity') THEN err.error END,
         CASE WHEN err.finished_at > coalesce(ok.at, '-infinity') THEN err.sqlstate END,
         CASE WHEN err.finished_at > coalesce(ok.at, '-infinity') THEN err.finished_at END,
         (SELECT count(*) FROM @extschema@.spoj_problems p WHERE p.missing_since IS NULL),
         (SELECT count(*) FROM @extschema@.spoj_problems p WHERE p.missing_since IS NOT NULL),
         -- The refresh lock (see _spoj_begin), as pg_locks shows it to every role.
         EXISTS (SELECT 1 FROM pg_catalog.pg_locks l
                  WHERE l.locktype = 'relation' AND l.relation = '@extschema@.spoj_refresh_lock'::regclass
                    AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = current_database())
                    AND l.mode = 'RowShareLock' AND l.granted)
         -- or the gate (held alone by a job's network phase; see _spoj_fetch_detached).
         OR EXISTS (SELECT 1 FROM pg_catalog.pg_locks l
                     WHERE l.locktype = 'userlock' AND l.classid = 1936748394 AND l.objid = 0
                       AND l.objsubid = 0 AND l.granted
                       AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = current_database()))
         -- or a job's run between its committed 'running' row and its outcome.
         OR EXISTS (SELECT 1 FROM @extschema@.spoj_refresh_runs r
                     WHERE r.status = 'running' AND @extschema@._spoj_run_live(r.pid, r.started_at)),
         CASE WHEN unfinished.at > coalesce(ok.at, '-infinity') THEN unfinished.at END
    FROM ok LEFT JOIN err ON true, unfinished
$$;
COMMENT ON FUNCTION @extschema@.spoj_status() IS
  'Last successful refresh, its age, stale flag (spojscore.stale_after), last error, row counts, refresh running?, last unfinished run';
