---------------------------------------------------------------------------------------
-- Scheduling with pg_cron, which spojscore does not require: it is looked up at run time.

-- Deletes spoj_refresh_runs rows, and pg_cron's run details of spojscore's own jobs,
-- older than `keep`.
CREATE FUNCTION @extschema@.spoj_cleanup(keep interval DEFAULT '90 days')
RETURNS TABLE (runs_deleted bigint, cron_details_deleted bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n_runs bigint;
  n_cron bigint := 0;
BEGIN
  DELETE FROM @extschema@.spoj_refresh_runs r WHERE r.finished_at < now() - keep;
  GET DIAGNOSTICS n_runs = ROW_COUNT;
  IF EXISTS (SELECT 1 FROM pg_extension e WHERE e.extname = 'pg_cron') THEN
    EXECUTE 'DELETE FROM cron.job_run_details d USING cron.job j
              WHERE d.jobid = j.jobid AND j.jobname IN (''spojscore-refresh'', ''spojscore-cleanup'')
                AND d.end_time < now() - $1' USING keep;
    GET DIAGNOSTICS n_cron = ROW_COUNT;
  END IF;
  RETURN QUERY SELECT n_runs, n_cron;
END;
$$;

-- Schedules CALL spoj_refresh_job(max_age) as pg_cron job "spojscore-refresh", run as the
-- calling role. The default, hourly with max_age 23 hours, keeps the data at most about a
-- day old and catches up within the hour after downtime or a failed run; a NULL max_age
-- refreshes unconditionally on `schedule` (e.g. '0 0 * * *'). Calling it again updates
-- the job. With keep_history, a daily "spojscore-cleanup" job runs spoj_cleanup(keep_history).
CREATE FUNCTION @extschema@.spoj_schedule(schedule text DEFAULT '17 * * * *',
                                          max_age interval DEFAULT '23 hours',
                                          keep_history interval DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  cron_db text;
  command text := format('CALL %I.spoj_refresh_job(%s)', '@extschema@',
                         CASE WHEN max_age IS NULL THEN '' ELSE quote_literal(max_age::text) || '::interval' END);
  cleanup text := format('SELECT %I.spoj_cleanup(%L::interval)', '@extschema@', keep_history::text);
  job bigint;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension e WHERE e.extname = 'pg_cron') THEN
    EXECUTE 'SELECT cron.schedule($1, $2, $3)' INTO job USING 'spojscore-refresh', schedule, command;
    IF keep_history IS NOT NULL THEN
      EXECUTE 'SELECT cron.schedule($1, $2, $3)' USING 'spojscore-cleanup', '43 3 * * *', cleanup;
    END IF;
    RETURN job;
  END IF;
  -- pg_cron is not in this database: say why, and what to run where. Only superusers
  -- may read cron.database_name.
  BEGIN
    cron_db := coalesce(current_setting('cron.database_name', true), '');
  EXCEPTION WHEN insufficient_privilege THEN
    cron_db := NULL;
  END;
  IF cron_db = '' THEN
    RAISE EXCEPTION 'spojscore: pg_cron is not loaded'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = format('Add pg_cron to shared_preload_libraries, set cron.database_name = %L, '
                          'restart the server and run CREATE EXTENSION pg_cron there.', current_database());
  END IF;
  IF cron_db = current_database() THEN
    RAISE EXCEPTION 'spojscore: pg_cron is loaded but not installed in this database'
      USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Run CREATE EXTENSION pg_cron here first.';
  END IF;
  RAISE EXCEPTION 'spojscore: pg_cron runs in database "%", not in "%"',
      coalesce(cron_db, '(cron.database_name)'), current_database()
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = format('As a superuser, connect to database %s and run: '
                          'SELECT cron.schedule_in_database(%L, %L, %L, %L, %L);',
                          coalesce(quote_ident(cron_db), 'cron.database_name'),
                          'spojscore-refresh', schedule, command, current_database(), current_user)
                   || CASE WHEN keep_history IS NULL THEN '' ELSE
                      format(' SELECT cron.schedule_in_database(%L, %L, %L, %L, %L);',
                             'spojscore-cleanup', '43 3 * * *', cleanup, current_database(), current_user) END;
END;
$$;
COMMENT ON FUNCTION @extschema@.spoj_schedule(text, interval, interval) IS
  'Schedules the refresh with pg_cron (job spojscore-refresh, run as the caller); hourly if-stale by default';

-- Removes the jobs spoj_schedule made for the calling role; false if there were none.
CREATE FUNCTION @extschema@.spoj_unschedule()
RETURNS boolean
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  job bigint;
  found boolean := false;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension e WHERE e.extname = 'pg_cron') THEN
    RAISE EXCEPTION 'spojscore: pg_cron is not installed in this database'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'In the database named by cron.database_name run: SELECT cron.unschedule(''spojscore-refresh'');';
  END IF;
  FOR job IN EXECUTE 'SELECT jobid FROM cron.job WHERE jobname IN (''spojscore-refresh'', ''spojscore-cleanup'')
                        AND username = current_user' LOOP
    EXECUTE 'SELECT cron.unschedule($1)' USING job;
    found := true;
  END LOOP;
  RETURN found;
END;
$$;
