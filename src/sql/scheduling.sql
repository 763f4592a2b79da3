---------------------------------------------------------------------------------------
-- Scheduling with pg_cron, which spojscore does not require: it is looked up at run time.

-- Deletes spoj_refresh_runs rows, and pg_cron's run details of spojscore's own jobs in
-- this database, older than `keep`. pg_cron's schema is found through its extension, not
-- by name.
CREATE FUNCTION @extschema@._spoj_cleanup(keep interval)
RETURNS TABLE (runs_deleted bigint, cron_details_deleted bigint)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n_runs bigint;
  n_cron bigint := 0;
  -- pg_cron's tables live in the schema it creates (cron), not in its extension schema.
  cron_schema text := (SELECT quote_ident(n.nspname) FROM pg_catalog.pg_extension e
                         JOIN pg_catalog.pg_depend d ON d.refobjid = e.oid AND d.deptype = 'e'
                                                    AND d.classid = 'pg_catalog.pg_class'::regclass
                         JOIN pg_catalog.pg_class c ON c.oid = d.objid
                         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                        WHERE e.extname = 'pg_cron' AND c.relname = 'job');
BEGIN
  DELETE FROM @extschema@.spoj_refresh_runs r WHERE r.finished_at < now() - keep;
  GET DIAGNOSTICS n_runs = ROW_COUNT;
  IF cron_schema IS NOT NULL THEN
    EXECUTE format('DELETE FROM %1$s.job_run_details d USING %1$s.job j
                     WHERE d.jobid = j.jobid AND j.jobname IN (%2$L, %3$L) AND j.database = current_database()
                       AND d.end_time < now() - $1', cron_schema, '@SPOJ_JOB_REFRESH@', '@SPOJ_JOB_CLEANUP@')
      USING keep;
    GET DIAGNOSTICS n_cron = ROW_COUNT;
  END IF;
  RETURN QUERY SELECT n_runs, n_cron;
END;
$$;

CREATE FUNCTION @extschema@.spoj_cleanup(keep interval DEFAULT '90 days')
RETURNS TABLE (runs_deleted bigint, cron_details_deleted bigint)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT @extschema@._spoj_guard();
  SELECT * FROM @extschema@._spoj_cleanup(keep);
END;

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
  -- A job outlives the extension when pg_cron is in another database: it then only says
  -- so, rather than failing every hour. Before it calls anything by name it checks that
  -- the name still means spojscore's schema.
  guarded text := 'DO $spojscore$BEGIN IF EXISTS (SELECT FROM pg_catalog.pg_extension e'
    || ' JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace'
    || ' WHERE e.extname OPERATOR(pg_catalog.=) ''spojscore'''
    || ' AND pg_catalog.quote_ident(n.nspname) OPERATOR(pg_catalog.=) %L) THEN %s;'
    || ' ELSE RAISE NOTICE %L; END IF; END$spojscore$';
  absent text := format('spojscore is not installed in schema %s of this database: remove this job', '@extschema@');
  command text := format(guarded, '@extschema@', format('CALL @extschema@.spoj_refresh_job(%s)',
                         CASE WHEN max_age IS NULL THEN '' ELSE quote_literal(max_age::text) || '::interval' END), absent);
  cleanup text := format(guarded, '@extschema@',
                         format('PERFORM @extschema@.spoj_cleanup(%L::interval)', keep_history::text), absent);
  job bigint;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension e WHERE e.extname = 'pg_cron') THEN
    EXECUTE 'SELECT cron.schedule($1, $2, $3)' INTO job USING '@SPOJ_JOB_REFRESH@', schedule, command;
    IF keep_history IS NOT NULL THEN
      EXECUTE 'SELECT cron.schedule($1, $2, $3)' USING '@SPOJ_JOB_CLEANUP@', '43 3 * * *', cleanup;
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
                          '@SPOJ_JOB_REFRESH@', schedule, command, current_database(), current_user)
                   || CASE WHEN keep_history IS NULL THEN '' ELSE
                      format(' SELECT cron.schedule_in_database(%L, %L, %L, %L, %L);',
                             '@SPOJ_JOB_CLEANUP@', '43 3 * * *', cleanup, current_database(), current_user) END;
END;
$$;
COMMENT ON FUNCTION @extschema@.spoj_schedule(text, interval, interval) IS
  'Schedules the refresh with pg_cron (job spojscore-refresh, run as the caller); hourly if-stale by default';

-- Removes the jobs spoj_schedule made for the calling role in this database; false if
-- there were none.
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
            HINT = format('As a superuser, in the database named by cron.database_name run: '
                          'SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname IN (%L, %L) AND database = %L;',
                          '@SPOJ_JOB_REFRESH@', '@SPOJ_JOB_CLEANUP@', current_database());
  END IF;
  FOR job IN EXECUTE 'SELECT jobid FROM cron.job WHERE jobname IN (''@SPOJ_JOB_REFRESH@'', ''@SPOJ_JOB_CLEANUP@'')
                        AND username = current_user AND database = current_database()' LOOP
    EXECUTE 'SELECT cron.unschedule($1)' USING job;
    found := true;
  END LOOP;
  RETURN found;
END;
$$;
