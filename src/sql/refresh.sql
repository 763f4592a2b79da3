---------------------------------------------------------------------------------------
-- Internal pieces (not for PUBLIC).

CREATE FUNCTION @extschema@._spoj_fetch()
RETURNS @extschema@.spoj_fetch_result
AS 'MODULE_PATHNAME', 'spoj_fetch'
LANGUAGE C VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION @extschema@._spoj_parse_pages(pages pg_catalog.text[])
RETURNS @extschema@.spoj_fetch_result
AS 'MODULE_PATHNAME', 'spoj_parse_pages'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp;

-- The network phase of CALL spoj_refresh_job(): commits, then crawls holding no snapshot
-- and no transaction id; the rows wait in the backend for _spoj_take_fetched(). A C
-- procedure that ends a transaction cannot pin search_path (PostgreSQL makes a procedure
-- with SET atomic); it resolves no name but spoj_refresh_job, in its own schema, whose
-- EXECUTE privilege it requires of the caller (so it is executable by PUBLIC).
CREATE PROCEDURE @extschema@._spoj_fetch_detached()
AS 'MODULE_PATHNAME', 'spoj_fetch_detached'
LANGUAGE C;

CREATE FUNCTION @extschema@._spoj_take_fetched()
RETURNS @extschema@.spoj_fetch_result
AS 'MODULE_PATHNAME', 'spoj_take_fetched'
LANGUAGE C VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp;

-- The refresh gate (see src/pg/fetch_functions.cpp): taken for the transaction, or false.
CREATE FUNCTION @extschema@._spoj_gate()
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'spoj_gate'
LANGUAGE C VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION @extschema@._spoj_caller_is_superuser()
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'spoj_caller_is_superuser'
LANGUAGE C STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;

-- Whether the role that called into spojscore (not the owner a SECURITY DEFINER function
-- runs as) may execute `proc`.
CREATE FUNCTION @extschema@._spoj_caller_may_execute(proc pg_catalog.regprocedure)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'spoj_caller_may_execute'
LANGUAGE C STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION @extschema@._spoj_setting(name pg_catalog.text)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'spoj_setting'
LANGUAGE C STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;

-- The crash trace. spoj_refresh_job commits a 'running' row (its backend's pid) before it
-- sends a request, and the run's outcome replaces it in the transaction that records that
-- outcome. A 'running' row is live while its backend is: one whose server restarted since
-- it started, or whose backend is gone, did not finish (the server stopped or crashed, or
-- the backend was terminated). On a standby the primary's backends cannot be seen: its
-- 'running' rows count as live there until the primary marks them.
CREATE FUNCTION @extschema@._spoj_run_live(pid integer, started timestamptz)
RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.pg_is_in_recovery()
      OR (started >= pg_catalog.pg_postmaster_start_time()
          AND EXISTS (SELECT FROM pg_catalog.pg_stat_activity a WHERE a.pid = $1))
$$;

-- Turns the 'running' rows no live backend is running into 'interrupted' (and this
-- backend's own, when it starts another run: the last one did not finish), then removes
-- the 'running' row of this backend's current run: its outcome is being recorded.
CREATE FUNCTION @extschema@._spoj_settle_running(starting boolean)
RETURNS void
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
  UPDATE @extschema@.spoj_refresh_runs r
     SET status = 'interrupted', finished_at = pg_catalog.clock_timestamp(),
         error = 'spojscore: this refresh did not finish: its server stopped or its backend exited mid-run'
   WHERE r.status = 'running'
     AND (NOT @extschema@._spoj_run_live(r.pid, r.started_at) OR (starting AND r.pid = pg_catalog.pg_backend_pid()));
  DELETE FROM @extschema@.spoj_refresh_runs r
   WHERE r.status = 'running' AND r.pid = pg_catalog.pg_backend_pid()
     AND r.started_at >= pg_catalog.pg_postmaster_start_time();
$$;

-- The change notification of a run that did not apply (channel spojscore, delivered on
-- commit). The error is cut to 200 characters: a payload must stay under 8000 bytes and
-- listeners only need to know what happened; the run log has the whole text.
CREATE FUNCTION @extschema@._spoj_notify_failure(run_id bigint, status text, sqlstate text, error text)
RETURNS void
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.pg_notify('spojscore', pg_catalog.json_build_object(
    'run_id', run_id, 'status', status, 'sqlstate', sqlstate,
    'error', pg_catalog.left(error, 200))::text)
$$;

-- Validates a fetched set against what is stored, then applies it in one statement:
-- new rows inserted, changed rows updated, vanished rows marked, history appended,
-- the run recorded. Runs inside the caller's transaction, under the refresh lock.
CREATE FUNCTION @extschema@._spoj_apply(f @extschema@.spoj_fetch_result, force boolean,
                                        source text, started timestamptz)
RETURNS TABLE (@SPOJ_SUMMARY@)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n_new integer := coalesce(cardinality(f.codes), 0);
  n_present bigint;
  min_rows integer := @extschema@._spoj_setting('spojscore.min_rows')::integer;
  min_ratio float8 := @extschema@._spoj_setting('spojscore.min_rows_ratio')::float8;
  max_invalid float8 := @extschema@._spoj_setting('spojscore.max_invalid_ratio')::float8;
  retention integer := @extschema@._spoj_setting('spojscore.history_retention_days')::integer;
  n_inserted integer;
  n_updated integer;
  n_missing integer;
  new_run bigint;
BEGIN
  IF f.invalid_rows > max_invalid * (f.rows_seen + f.invalid_rows) THEN
    RAISE EXCEPTION 'spojscore: % of % rows were invalid, more than spojscore.max_invalid_ratio (%); refusing to apply',
      f.invalid_rows, f.rows_seen + f.invalid_rows, max_invalid USING ERRCODE = 'data_exception';
  END IF;
  IF f.duplicates > 0.05 * f.rows_seen THEN
    RAISE EXCEPTION 'spojscore: % duplicate rows in % (pagination is not advancing); refusing to apply',
      f.duplicates, f.rows_seen USING ERRCODE = 'data_exception';
  END IF;
  SELECT count(*) INTO n_present FROM @extschema@.spoj_problems p WHERE p.missing_since IS NULL;
  IF NOT force AND n_new < min_rows THEN
    RAISE EXCEPTION 'spojscore: parsed % problems, fewer than spojscore.min_rows (%); refusing to apply',
      n_new, min_rows USING ERRCODE = 'data_exception';
  END IF;
  IF NOT force AND n_new < min_ratio * n_present THEN
    RAISE EXCEPTION 'spojscore: parsed % problems, fewer than % of the % stored; refusing to apply',
      n_new, round((min_ratio * 100)::numeric, 1) || '%', n_present USING ERRCODE = 'data_exception';
  END IF;

  WITH incoming AS (
    SELECT * FROM unnest(f.codes, f.spoj_ids, f.names, f.users, f.acc_rates, f.qualities)
             AS t(code, spoj_id, name, users, acc_rate, quality)
  ), before AS (
    SELECT p.code, p.users FROM @extschema@.spoj_problems p JOIN incoming i ON i.code = p.code
  ), upserted AS (
    -- Unchanged rows are left out before the upsert: ON CONFLICT would lock (and log)
    -- every conflicting row before its WHERE ever looked at it.
    INSERT INTO @extschema@.spoj_problems AS p
           (code, spoj_id, name, users, acc_rate, quality, first_seen, changed_at)
    SELECT i.code, i.spoj_id, i.name, i.users, i.acc_rate, i.quality, now(), now()
      FROM incoming i LEFT JOIN @extschema@.spoj_problems o ON o.code = i.code
     WHERE o.code IS NULL
        OR (o.spoj_id, o.name, o.users, o.acc_rate, o.quality, o.missing_since)
           IS DISTINCT FROM (i.spoj_id, i.name, i.users, i.acc_rate, i.quality, NULL::timestamptz)
     ORDER BY i.code
    ON CONFLICT (code) DO UPDATE
       SET spoj_id = EXCLUDED.spoj_id, name = EXCLUDED.name, users = EXCLUDED.users,
           acc_rate = EXCLUDED.acc_rate, quality = EXCLUDED.quality,
           changed_at = now(), missing_since = NULL
     WHERE (p.spoj_id, p.name, p.users, p.acc_rate, p.quality, p.missing_since)
           IS DISTINCT FROM (EXCLUDED.spoj_id, EXCLUDED.name, EXCLUDED.users, EXCLUDED.acc_rate,
                             EXCLUDED.quality, NULL::timestamptz)
    RETURNING p.code, p.users, (p.xmax = 0) AS is_new
  ), history AS (
    INSERT INTO @extschema@.spoj_problem_history (code, seen_at, users)
    SELECT u.code, now(), u.users FROM upserted u LEFT JOIN before b ON b.code = u.code
     WHERE b.users IS DISTINCT FROM u.users
  ), gone AS (
    UPDATE @extschema@.spoj_problems p SET missing_since = now()
     WHERE p.missing_since IS NULL AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.code = p.code)
    RETURNING 1
  )
  SELECT count(*) FILTER (WHERE u.is_new), count(*) FILTER (WHERE NOT u.is_new), (SELECT count(*) FROM gone)
    INTO n_inserted, n_updated, n_missing
    FROM upserted u;

  IF retention > 0 THEN
    DELETE FROM @extschema@.spoj_problem_history h
     WHERE h.seen_at < now() - pg_catalog.make_interval(days => retention);
  END IF;

  PERFORM @extschema@._spoj_settle_running(false);
  INSERT INTO @extschema@.spoj_refresh_runs
         (started_at, finished_at, status, source, pages, rows_seen, inserted, updated, unchanged,
          marked_missing, invalid_rows, duplicates, retries, bytes)
  VALUES (started, clock_timestamp(), 'ok', source, f.pages, f.rows_seen, n_inserted, n_updated,
          n_new - n_inserted - n_updated, n_missing, f.invalid_rows, f.duplicates, f.retries, f.bytes)
  RETURNING id INTO new_run;
  -- Listeners hear of it when (and only if) this transaction commits: PostgreSQL queues a
  -- NOTIFY until commit and drops it on rollback. Counts only: the payload stays small.
  PERFORM pg_catalog.pg_notify('spojscore', pg_catalog.json_build_object(
    'run_id', new_run, 'status', 'ok', 'source', source, 'inserted', n_inserted,
    'updated', n_updated, 'marked_missing', n_missing)::text);

  RETURN QUERY SELECT new_run, f.pages, f.rows_seen, n_inserted, n_updated,
                      n_new - n_inserted - n_updated, n_missing, clock_timestamp() - started;
END;
$$;

-- Takes the refresh lock or fails at once naming the run that holds it, checks that only
-- a superuser asks to bypass the row-count guard, and returns when the run started. The
-- lock is the one row of spoj_refresh_lock, locked FOR UPDATE: that needs UPDATE on the
-- table, which no role but the owner has, so only the refresh functions can take it (an
-- advisory lock would be open to every role). spoj_status() sees it in pg_locks.
CREATE FUNCTION @extschema@._spoj_begin(force boolean)
RETURNS timestamptz
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  holder record;
BEGIN
  IF force AND NOT @extschema@._spoj_caller_is_superuser() THEN
    RAISE EXCEPTION 'spojscore: only a superuser may force a refresh' USING ERRCODE = 'insufficient_privilege';
  END IF;
  BEGIN
    -- The gate too: a job in its network phase holds it, and no row lock (see
    -- _spoj_fetch_detached).
    IF NOT @extschema@._spoj_gate() THEN
      RAISE lock_not_available;
    END IF;
    PERFORM FROM @extschema@.spoj_refresh_lock FOR UPDATE NOWAIT;
  EXCEPTION WHEN lock_not_available THEN
    SELECT l.pid, a.xact_start INTO holder
      FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
     WHERE ((l.locktype = 'relation' AND l.relation = '@extschema@.spoj_refresh_lock'::regclass
             AND l.mode = 'RowShareLock')
            OR (l.locktype = 'userlock' AND l.classid = 1936748394 AND l.objid = 0 AND l.objsubid = 0))
       AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = current_database())
       AND l.granted AND l.pid <> pg_backend_pid()
     ORDER BY a.xact_start LIMIT 1;
    RAISE EXCEPTION 'spojscore: a refresh is already running'
      USING ERRCODE = 'lock_not_available',
            DETAIL = format('It runs in backend %s, in a transaction started at %s.',
                            coalesce(holder.pid::text, '(unknown)'), coalesce(holder.xact_start::text, '(unknown)'));
  END;
  RETURN clock_timestamp();
END;
$$;

---------------------------------------------------------------------------------------
-- The refresh entry points (network: not for PUBLIC). Each is a BEGIN ATOMIC function
-- whose first statement is the trust check (see guard.sql).

CREATE FUNCTION @extschema@.spoj_refresh(force boolean DEFAULT false)
RETURNS TABLE (@SPOJ_SUMMARY@)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT @extschema@._spoj_guard();
  WITH b AS (SELECT @extschema@._spoj_begin(force) AS started)
  SELECT a.* FROM b, LATERAL @extschema@._spoj_apply(@extschema@._spoj_fetch(), force, 'network', b.started) a;
END;
COMMENT ON FUNCTION @extschema@.spoj_refresh(boolean) IS
  'Fetches SPOJ''s classical list from spojscore.base_url and applies it to spoj_problems in one step';

CREATE FUNCTION @extschema@.spoj_load_pages(html text[], force boolean DEFAULT false)
RETURNS TABLE (@SPOJ_SUMMARY@)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT @extschema@._spoj_guard();
  WITH b AS (SELECT @extschema@._spoj_begin(force) AS started)
  SELECT a.* FROM b, LATERAL @extschema@._spoj_apply(@extschema@._spoj_parse_pages(html), force, 'pages', b.started) a;
END;
COMMENT ON FUNCTION @extschema@.spoj_load_pages(text[], boolean) IS
  'Applies saved list pages (page 1 first) exactly as spoj_refresh() applies fetched ones';

CREATE FUNCTION @extschema@._spoj_refresh_if_stale(max_age interval)
RETURNS text
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  started timestamptz := clock_timestamp();
  run bigint;
BEGIN
  IF EXISTS (SELECT 1 FROM @extschema@.spoj_refresh_runs r
              WHERE r.status = 'ok' AND r.finished_at > now() - max_age) THEN
    RETURN 'fresh';
  END IF;
  BEGIN
    PERFORM @extschema@.spoj_refresh(false);
    RETURN 'refreshed';
  EXCEPTION WHEN lock_not_available THEN
    INSERT INTO @extschema@.spoj_refresh_runs (started_at, finished_at, status, source, error, sqlstate)
    VALUES (started, clock_timestamp(), 'skipped', 'network', SQLERRM, SQLSTATE)
    RETURNING id INTO run;
    PERFORM @extschema@._spoj_notify_failure(run, 'skipped', SQLSTATE, SQLERRM);
    RETURN 'skipped';
  END;
END;
$$;

CREATE FUNCTION @extschema@.spoj_refresh_if_stale(max_age interval)
RETURNS text
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT @extschema@._spoj_guard();
  SELECT @extschema@._spoj_refresh_if_stale(max_age);
END;
COMMENT ON FUNCTION @extschema@.spoj_refresh_if_stale(interval) IS
  'Refreshes only when the last success is older than max_age; "fresh", "refreshed" or "skipped" (overlap)';

-- The internal steps spoj_refresh_job calls as its caller are executable by PUBLIC and
-- admit the roles that may execute spoj_refresh_job (the grant the README documents).
CREATE FUNCTION @extschema@._spoj_require_job_caller()
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NOT @extschema@._spoj_caller_may_execute('@extschema@.spoj_refresh_job(interval, boolean)') THEN
    RAISE EXCEPTION 'spojscore: permission denied for procedure spoj_refresh_job'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
END;
$$;

-- The apply phase of spoj_refresh_job: what _spoj_fetch_detached() fetched (or its
-- failure), applied exactly as spoj_refresh() applies its own fetch.
CREATE FUNCTION @extschema@._spoj_apply_fetched(force boolean, started timestamptz)
RETURNS TABLE (@SPOJ_SUMMARY@)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT @extschema@._spoj_guard();
  SELECT @extschema@._spoj_require_job_caller();
  WITH b AS (SELECT @extschema@._spoj_begin(force) AS s)
  SELECT a.* FROM b, LATERAL @extschema@._spoj_apply(@extschema@._spoj_take_fetched(), force, 'network', started) a;
END;

-- The start of a job's run: NULL when max_age is given and the last success is younger
-- (a fresh run records nothing), else its 'running' row is written (the job commits it
-- before any request) and its start returned. Executable by PUBLIC, as the job calls it as
-- its caller: it admits the roles that may execute spoj_refresh_job.
CREATE FUNCTION @extschema@._spoj_run_start(max_age interval, force boolean)
RETURNS timestamptz
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  started timestamptz;
BEGIN
  PERFORM @extschema@._spoj_guard();
  PERFORM @extschema@._spoj_require_job_caller();
  -- Refused before the crawl, as spoj_refresh(force) refuses before any request.
  IF force AND NOT @extschema@._spoj_caller_is_superuser() THEN
    RAISE EXCEPTION 'spojscore: only a superuser may force a refresh' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF max_age IS NOT NULL AND EXISTS (SELECT 1 FROM @extschema@.spoj_refresh_runs r
                                      WHERE r.status = 'ok' AND r.finished_at > now() - max_age) THEN
    RETURN NULL;
  END IF;
  PERFORM @extschema@._spoj_settle_running(true);
  INSERT INTO @extschema@.spoj_refresh_runs (started_at, status, source, pid)
  VALUES (clock_timestamp(), 'running', 'network', pg_backend_pid())
  RETURNING started_at INTO started;
  RETURN started;
END;
$$;

-- For schedulers (pg_cron): a failed attempt is recorded and committed, then re-raised,
-- so it survives in spoj_refresh_runs. A procedure with transaction control cannot pin
-- search_path with SET, so every name in it is qualified; and as it runs as its caller
-- (often a superuser's job), it runs the trust check itself before it calls anything by
-- name. On a standby it fails at once (the guard's 25006) and records nothing.
CREATE PROCEDURE @extschema@.spoj_refresh_job(max_age interval DEFAULT NULL, force boolean DEFAULT false)
LANGUAGE plpgsql SECURITY INVOKER
AS $$
DECLARE
  ext_schema pg_catalog.oid;
  owner pg_catalog.oid;
  creator pg_catalog.text;
  started pg_catalog.timestamptz;
  msg pg_catalog.text;
  state pg_catalog.text;
  handles pg_catalog.text[];
BEGIN
  -- @include trust_check
  PERFORM @extschema@._spoj_guard(true);
  started := @extschema@._spoj_run_start(max_age, force);
  IF started IS NOT NULL THEN
    -- The network phase commits the 'running' row first (durable before any request: a
    -- server stop leaves it behind), then crawls in no transaction that holds a snapshot
    -- or writes. The short apply phase follows; its failures, the fetch's included, are
    -- recorded below.
    CALL @extschema@._spoj_fetch_detached();
    BEGIN
      PERFORM @extschema@._spoj_apply_fetched(force, started);
    EXCEPTION WHEN OTHERS OR query_canceled THEN
      GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, state = RETURNED_SQLSTATE;
    END;
    IF state IS NOT NULL THEN
      CALL @extschema@._spoj_record_failure(started, msg, state);
      COMMIT;
      -- "If stale" runs that meet another refresh are skipped quietly, as
      -- spoj_refresh_if_stale() does.
      IF state OPERATOR(pg_catalog.<>) '55P03' OR max_age IS NULL THEN
        RAISE EXCEPTION USING MESSAGE = msg, ERRCODE = state;
      END IF;
    END IF;
    COMMIT;
  END IF;
  -- Tracked users' profiles, a bounded few per run; their failures stay on their rows. As
  -- for the list, each fetch (and the page_delay pause before it) runs in no transaction
  -- that holds a snapshot or writes, and each user is applied in its own short one (the
  -- first fetch commits what came before: with no user due, nothing here ends a transaction).
  handles := @extschema@._spoj_job_due_users(max_age);
  FOR i IN 1 .. pg_catalog.cardinality(handles) LOOP
    CALL @extschema@._spoj_fetch_profile_detached(handles[i], i OPERATOR(pg_catalog.>) 1);
    PERFORM @extschema@._spoj_apply_fetched_profile();
    COMMIT;
  END LOOP;
END;
$$;

CREATE PROCEDURE @extschema@._spoj_record_failure(started timestamptz, msg text, state text)
LANGUAGE sql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT @extschema@._spoj_guard();
  SELECT @extschema@._spoj_settle_running(false);
  -- Notified in the transaction that commits the failure row (spoj_refresh_job commits it).
  WITH run AS (
    INSERT INTO @extschema@.spoj_refresh_runs (started_at, finished_at, status, source, error, sqlstate)
    VALUES (started, clock_timestamp(),
            CASE WHEN state = '55P03' THEN 'skipped' ELSE 'failed' END, 'network', msg, state)
    RETURNING id, status, sqlstate, error
  )
  SELECT @extschema@._spoj_notify_failure(run.id, run.status, run.sqlstate, run.error) FROM run;
END;
