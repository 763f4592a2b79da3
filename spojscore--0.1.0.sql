-- spojscore 0.1.0 install script. Released scripts are never edited: add an A--B step.
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

-- Points a classical problem is worth: 80 / (40 + users). The points a new solver
-- would earn today (what SPOJ displays, rounded to 2 decimals) are spoj_score(users + 1).
CREATE FUNCTION @extschema@.spoj_score(users pg_catalog.int4)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'spoj_score'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION @extschema@.spoj_score(pg_catalog.int4) IS
  'SPOJ value of a classical problem solved by users people: 80 / (40 + users); a new solver earns spoj_score(users + 1)';

-- Diagnostic: proves that a C++ exception thrown deep in core becomes a clean ERROR
-- with a mapped SQLSTATE. Superuser only.
CREATE FUNCTION @extschema@.spoj_selftest(kind pg_catalog.text, depth pg_catalog.int4 DEFAULT 20)
RETURNS pg_catalog.int8
AS 'MODULE_PATHNAME', 'spoj_selftest'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp;

REVOKE ALL ON FUNCTION @extschema@.spoj_selftest(pg_catalog.text, pg_catalog.int4) FROM PUBLIC;

-- Rows of a saved SPOJ classical list page (either layout). No network: safe for anyone.
CREATE FUNCTION @extschema@.spoj_parse_list(html pg_catalog.text)
RETURNS TABLE (spoj_id pg_catalog.int4, code pg_catalog.text, name pg_catalog.text,
               users pg_catalog.int4, acc_rate pg_catalog.float8, quality pg_catalog.int4)
AS 'MODULE_PATHNAME', 'spoj_parse_list'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION @extschema@.spoj_parse_list(pg_catalog.text) IS
  'Rows of a saved SPOJ classical problem list page; raises 22000 for a page that is not one';

---------------------------------------------------------------------------------------
-- The problems table and its history. Public data: readable by PUBLIC (revocable),
-- written only through the SECURITY DEFINER refresh functions below.

CREATE TABLE @extschema@.spoj_problems (
  code          text PRIMARY KEY CHECK (code ~ '^[A-Z0-9_]{1,20}$'),
  spoj_id       integer NOT NULL,
  name          text NOT NULL,
  users         integer NOT NULL CHECK (users BETWEEN 0 AND 999999999),
  acc_rate      double precision NOT NULL,
  quality       integer,
  score         double precision GENERATED ALWAYS AS (@extschema@.spoj_score(users)) STORED,
  next_score    double precision GENERATED ALWAYS AS (@extschema@.spoj_score(users + 1)) STORED,
  first_seen    timestamptz NOT NULL,
  changed_at    timestamptz NOT NULL,
  missing_since timestamptz
);
COMMENT ON TABLE @extschema@.spoj_problems IS
  'SPOJ classical problems; score = points the problem is worth, next_score = points for solving it now';
CREATE INDEX spoj_problems_next_score_idx ON @extschema@.spoj_problems (next_score DESC);
CREATE INDEX spoj_problems_score_idx ON @extschema@.spoj_problems (score DESC);
CREATE INDEX spoj_problems_users_idx ON @extschema@.spoj_problems (users);
CREATE INDEX spoj_problems_name_idx ON @extschema@.spoj_problems (pg_catalog.lower(name) pg_catalog.text_pattern_ops);

CREATE TABLE @extschema@.spoj_problem_history (
  code    text NOT NULL REFERENCES @extschema@.spoj_problems (code) ON DELETE CASCADE,
  seen_at timestamptz NOT NULL,
  users   integer NOT NULL CHECK (users >= 0),
  PRIMARY KEY (code, seen_at)
);
COMMENT ON TABLE @extschema@.spoj_problem_history IS
  'One row per change of users for a problem (and its first sighting)';
CREATE INDEX spoj_problem_history_seen_at_idx ON @extschema@.spoj_problem_history (seen_at);

CREATE TABLE @extschema@.spoj_refresh_runs (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  started_at     timestamptz NOT NULL,
  finished_at    timestamptz NOT NULL,
  status         text NOT NULL CHECK (status IN ('ok', 'failed', 'skipped')),
  source         text NOT NULL CHECK (source IN ('network', 'pages')),
  pages          integer,
  rows_seen      integer,
  inserted       integer,
  updated        integer,
  unchanged      integer,
  marked_missing integer,
  invalid_rows   integer,
  duplicates     integer,
  retries        integer,
  bytes          bigint,
  error          text,
  sqlstate       text
);
COMMENT ON TABLE @extschema@.spoj_refresh_runs IS
  'One row per refresh attempt; failures are recorded by CALL spoj_refresh_job()';
CREATE INDEX spoj_refresh_runs_status_idx ON @extschema@.spoj_refresh_runs (status, finished_at DESC);

SELECT pg_catalog.pg_extension_config_dump('@extschema@.spoj_problems', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.spoj_problem_history', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.spoj_refresh_runs', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.spoj_refresh_runs_id_seq', '');

---------------------------------------------------------------------------------------
-- Internal pieces (not for PUBLIC).

CREATE TYPE @extschema@.spoj_fetch_result AS (
  codes text[], spoj_ids integer[], names text[], users integer[], acc_rates double precision[],
  qualities integer[], pages integer, requests integer, rows_seen integer, duplicates integer,
  invalid_rows integer, retries integer, bytes bigint, invalid_utf8_names integer
);

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

CREATE FUNCTION @extschema@._spoj_caller_is_superuser()
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'spoj_caller_is_superuser'
LANGUAGE C STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION @extschema@._spoj_setting(name pg_catalog.text)
RETURNS pg_catalog.text
AS 'MODULE_PATHNAME', 'spoj_setting'
LANGUAGE C STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;

-- Validates a fetched set against what is stored, then applies it in one statement:
-- new rows inserted, changed rows updated, vanished rows marked, history appended,
-- the run recorded. Runs inside the caller's transaction and advisory lock.
CREATE FUNCTION @extschema@._spoj_apply(f @extschema@.spoj_fetch_result, force boolean,
                                        source text, started timestamptz)
RETURNS TABLE (run_id bigint, pages integer, rows_seen integer, inserted integer, updated integer,
               unchanged integer, marked_missing integer, duration interval)
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

  INSERT INTO @extschema@.spoj_refresh_runs
         (started_at, finished_at, status, source, pages, rows_seen, inserted, updated, unchanged,
          marked_missing, invalid_rows, duplicates, retries, bytes)
  VALUES (started, clock_timestamp(), 'ok', source, f.pages, f.rows_seen, n_inserted, n_updated,
          n_new - n_inserted - n_updated, n_missing, f.invalid_rows, f.duplicates, f.retries, f.bytes)
  RETURNING id INTO new_run;

  RETURN QUERY SELECT new_run, f.pages, f.rows_seen, n_inserted, n_updated,
                      n_new - n_inserted - n_updated, n_missing, clock_timestamp() - started;
END;
$$;

-- Takes the refresh lock (key 1936748394, 'spoj' in ASCII) or fails at once, and checks
-- that only a superuser asks to bypass the row-count guard.
CREATE FUNCTION @extschema@._spoj_begin(force boolean)
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF force AND NOT @extschema@._spoj_caller_is_superuser() THEN
    RAISE EXCEPTION 'spojscore: only a superuser may force a refresh' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT pg_try_advisory_xact_lock(1936748394) THEN
    RAISE EXCEPTION 'spojscore: a refresh is already running' USING ERRCODE = 'lock_not_available';
  END IF;
END;
$$;

---------------------------------------------------------------------------------------
-- The refresh entry points (network: not for PUBLIC).

CREATE FUNCTION @extschema@.spoj_refresh(force boolean DEFAULT false)
RETURNS TABLE (run_id bigint, pages integer, rows_seen integer, inserted integer, updated integer,
               unchanged integer, marked_missing integer, duration interval)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  started timestamptz := clock_timestamp();
BEGIN
  PERFORM @extschema@._spoj_begin(force);
  RETURN QUERY SELECT * FROM @extschema@._spoj_apply(@extschema@._spoj_fetch(), force, 'network', started);
END;
$$;
COMMENT ON FUNCTION @extschema@.spoj_refresh(boolean) IS
  'Fetches SPOJ''s classical list from spojscore.base_url and applies it to spoj_problems in one step';

CREATE FUNCTION @extschema@.spoj_load_pages(html text[], force boolean DEFAULT false)
RETURNS TABLE (run_id bigint, pages integer, rows_seen integer, inserted integer, updated integer,
               unchanged integer, marked_missing integer, duration interval)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  started timestamptz := clock_timestamp();
BEGIN
  PERFORM @extschema@._spoj_begin(force);
  RETURN QUERY SELECT * FROM @extschema@._spoj_apply(@extschema@._spoj_parse_pages(html), force, 'pages', started);
END;
$$;
COMMENT ON FUNCTION @extschema@.spoj_load_pages(text[], boolean) IS
  'Applies saved list pages (page 1 first) exactly as spoj_refresh() applies fetched ones';

CREATE FUNCTION @extschema@.spoj_refresh_if_stale(max_age interval)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  started timestamptz := clock_timestamp();
BEGIN
  IF EXISTS (SELECT 1 FROM @extschema@.spoj_refresh_runs r
              WHERE r.status = 'ok' AND r.finished_at > now() - max_age) THEN
    RETURN 'fresh';
  END IF;
  BEGIN
    PERFORM @extschema@.spoj_refresh();
    RETURN 'refreshed';
  EXCEPTION WHEN lock_not_available THEN
    INSERT INTO @extschema@.spoj_refresh_runs (started_at, finished_at, status, source, error, sqlstate)
    VALUES (started, clock_timestamp(), 'skipped', 'network', SQLERRM, SQLSTATE);
    RETURN 'skipped';
  END;
END;
$$;
COMMENT ON FUNCTION @extschema@.spoj_refresh_if_stale(interval) IS
  'Refreshes only when the last success is older than max_age; "fresh", "refreshed" or "skipped" (overlap)';

-- For schedulers (pg_cron): a failed attempt is recorded and committed, then re-raised,
-- so it survives in spoj_refresh_runs. A procedure with transaction control cannot pin
-- search_path with SET, so every name in it is qualified.
CREATE PROCEDURE @extschema@.spoj_refresh_job(max_age interval DEFAULT NULL, force boolean DEFAULT false)
LANGUAGE plpgsql SECURITY INVOKER
AS $$
DECLARE
  started timestamptz := pg_catalog.clock_timestamp();
  msg text;
  state text;
BEGIN
  BEGIN
    IF max_age IS NULL THEN
      PERFORM @extschema@.spoj_refresh(force);
    ELSE
      PERFORM @extschema@.spoj_refresh_if_stale(max_age);
    END IF;
    -- Tracked users' profiles, a bounded few per run; their failures stay on their rows.
    PERFORM @extschema@.spoj_refresh_tracked_users(max_age);
    RETURN;
  EXCEPTION WHEN OTHERS OR query_canceled THEN
    GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, state = RETURNED_SQLSTATE;
  END;
  CALL @extschema@._spoj_record_failure(started, msg, state);
  COMMIT;
  RAISE EXCEPTION USING MESSAGE = msg, ERRCODE = state;
END;
$$;

CREATE PROCEDURE @extschema@._spoj_record_failure(started timestamptz, msg text, state text)
LANGUAGE sql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  INSERT INTO @extschema@.spoj_refresh_runs (started_at, finished_at, status, source, error, sqlstate)
  VALUES (started, clock_timestamp(),
          CASE WHEN state = '55P03' THEN 'skipped' ELSE 'failed' END, 'network', msg, state);
$$;

---------------------------------------------------------------------------------------
-- Users: the solved classical problems of SPOJ users, their points at today's counts, and
-- what to solve next. Public data too: readable by PUBLIC, written by the functions.

CREATE TABLE @extschema@.spoj_tracked_users (
  handle        text PRIMARY KEY CHECK (handle ~ '^[a-z0-9_]{1,32}$'),
  added_at      timestamptz NOT NULL DEFAULT now(),
  refreshed_at  timestamptz,
  last_error    text,
  last_sqlstate text
);
COMMENT ON TABLE @extschema@.spoj_tracked_users IS
  'Handles whose profiles the scheduled job refreshes (spojscore.users_per_run at a time)';

CREATE TABLE @extschema@.spoj_user_profiles (
  handle          text PRIMARY KEY CHECK (handle ~ '^[a-z0-9_]{1,32}$'),
  full_name       text,
  site_rank       bigint,
  site_points     double precision,
  problems_solved integer,
  fetched_at      timestamptz NOT NULL
);
COMMENT ON TABLE @extschema@.spoj_user_profiles IS
  'What a user''s SPOJ profile showed at its last fetch';

CREATE TABLE @extschema@.spoj_user_solved (
  handle     text NOT NULL REFERENCES @extschema@.spoj_user_profiles (handle) ON DELETE CASCADE,
  code       text NOT NULL CHECK (code ~ '^[A-Z0-9_]{1,20}$'),
  first_seen timestamptz NOT NULL,
  PRIMARY KEY (handle, code)
);
COMMENT ON TABLE @extschema@.spoj_user_solved IS
  'Classical problems each user has solved, replaced as a whole by each profile fetch';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.spoj_tracked_users', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.spoj_user_profiles', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.spoj_user_solved', '');

CREATE TYPE @extschema@.spoj_profile AS (
  handle text, full_name text, site_rank bigint, site_points double precision,
  problems_solved integer, solutions_submitted integer, solved text[]
);

-- A saved profile page, parsed. No network: safe for anyone.
CREATE FUNCTION @extschema@.spoj_parse_profile(html pg_catalog.text)
RETURNS @extschema@.spoj_profile
AS 'MODULE_PATHNAME', 'spoj_parse_profile'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.spoj_parse_profile(pg_catalog.text) IS
  'A saved SPOJ user profile page: handle, rank, points, solved count and solved classical codes';

CREATE FUNCTION @extschema@._spoj_fetch_profile(handle pg_catalog.text)
RETURNS @extschema@.spoj_profile
AS 'MODULE_PATHNAME', 'spoj_fetch_profile'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp;

-- Replaces a user's profile and solved set in one statement; keeps first_seen of codes
-- that stay.
CREATE FUNCTION @extschema@._spoj_apply_profile(expected text, p @extschema@.spoj_profile)
RETURNS TABLE (handle text, solved integer, added integer, removed integer)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n_added integer;
  n_removed integer;
BEGIN
  IF p.handle IS DISTINCT FROM expected THEN
    RAISE EXCEPTION 'spojscore: the page is the profile of "%", not of "%"', p.handle, expected
      USING ERRCODE = 'data_exception';
  END IF;
  INSERT INTO @extschema@.spoj_user_profiles AS u
         (handle, full_name, site_rank, site_points, problems_solved, fetched_at)
  VALUES (p.handle, p.full_name, p.site_rank, p.site_points, p.problems_solved, now())
  ON CONFLICT ON CONSTRAINT spoj_user_profiles_pkey DO UPDATE
     SET full_name = EXCLUDED.full_name, site_rank = EXCLUDED.site_rank,
         site_points = EXCLUDED.site_points, problems_solved = EXCLUDED.problems_solved,
         fetched_at = EXCLUDED.fetched_at;
  WITH gone AS (
    DELETE FROM @extschema@.spoj_user_solved s
     WHERE s.handle = p.handle AND NOT (s.code = ANY (p.solved))
    RETURNING 1
  ), fresh AS (
    INSERT INTO @extschema@.spoj_user_solved (handle, code, first_seen)
    SELECT p.handle, c, now() FROM unnest(p.solved) AS c ORDER BY c
    ON CONFLICT ON CONSTRAINT spoj_user_solved_pkey DO NOTHING
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM fresh), (SELECT count(*) FROM gone) INTO n_added, n_removed;
  UPDATE @extschema@.spoj_tracked_users t
     SET refreshed_at = now(), last_error = NULL, last_sqlstate = NULL
   WHERE t.handle = p.handle;
  RETURN QUERY SELECT p.handle, cardinality(p.solved), n_added, n_removed;
END;
$$;

CREATE FUNCTION @extschema@.spoj_user_refresh(handle text)
RETURNS TABLE (handle text, solved integer, added integer, removed integer)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT * FROM @extschema@._spoj_apply_profile($1, @extschema@._spoj_fetch_profile($1))
$$;
COMMENT ON FUNCTION @extschema@.spoj_user_refresh(text) IS
  'Fetches <base_url>/users/<handle>/ and replaces the user''s solved set atomically';

CREATE FUNCTION @extschema@.spoj_user_load_profile(handle text, html text)
RETURNS TABLE (handle text, solved integer, added integer, removed integer)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT * FROM @extschema@._spoj_apply_profile($1, @extschema@.spoj_parse_profile($2))
$$;
COMMENT ON FUNCTION @extschema@.spoj_user_load_profile(text, text) IS
  'Applies a saved profile page exactly as spoj_user_refresh() applies a fetched one';

CREATE FUNCTION @extschema@.spoj_track_user(handle text)
RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  WITH added AS (
    INSERT INTO @extschema@.spoj_tracked_users (handle) VALUES ($1)
    ON CONFLICT ON CONSTRAINT spoj_tracked_users_pkey DO NOTHING
    RETURNING 1
  )
  SELECT count(*) > 0 FROM added
$$;

CREATE FUNCTION @extschema@.spoj_untrack_user(handle text)
RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  WITH removed AS (DELETE FROM @extschema@.spoj_tracked_users t WHERE t.handle = $1 RETURNING 1)
  SELECT count(*) > 0 FROM removed
$$;

-- Refreshes the tracked users whose profiles are oldest (only those older than max_age,
-- when given), at most spojscore.users_per_run, pausing spojscore.page_delay between them. One user's failure is recorded on its row
-- and does not stop the others.
CREATE FUNCTION @extschema@.spoj_refresh_tracked_users(max_age interval DEFAULT NULL)
RETURNS TABLE (handle text, status text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  h text;
  pause float8 := extract(epoch FROM @extschema@._spoj_setting('spojscore.page_delay')::interval);
  first boolean := true;
BEGIN
  FOR h IN SELECT t.handle FROM @extschema@.spoj_tracked_users t
            WHERE max_age IS NULL OR t.refreshed_at IS NULL OR t.refreshed_at < now() - max_age
            ORDER BY t.refreshed_at NULLS FIRST, t.handle
            LIMIT @extschema@._spoj_setting('spojscore.users_per_run')::integer LOOP
    IF NOT first THEN PERFORM pg_sleep(pause); END IF;
    first := false;
    BEGIN
      PERFORM @extschema@.spoj_user_refresh(h);
      handle := h; status := 'ok';
    EXCEPTION WHEN OTHERS THEN
      UPDATE @extschema@.spoj_tracked_users t
         SET refreshed_at = now(), last_error = SQLERRM, last_sqlstate = SQLSTATE
       WHERE t.handle = h;
      handle := h; status := 'failed: ' || SQLERRM;
    END;
    RETURN NEXT;
  END LOOP;
END;
$$;

-- Points of a user's solved classical problems at today's counts (the user included),
-- next to what the profile showed at its last fetch.
CREATE FUNCTION @extschema@.spoj_user_points(handle text)
RETURNS TABLE (handle text, solved integer, points double precision, site_points double precision,
               site_rank bigint, fetched_at timestamptz)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT u.handle,
         (SELECT count(*)::integer FROM @extschema@.spoj_user_solved s WHERE s.handle = u.handle),
         (SELECT coalesce(sum(p.score), 0) FROM @extschema@.spoj_user_solved s
            JOIN @extschema@.spoj_problems p ON p.code = s.code WHERE s.handle = u.handle),
         u.site_points, u.site_rank, u.fetched_at
    FROM @extschema@.spoj_user_profiles u WHERE u.handle = $1
$$;

-- Unsolved problems worth the most points if the user solved them now.
CREATE FUNCTION @extschema@.spoj_recommend(handle text, n integer DEFAULT 20, min_users integer DEFAULT 0,
                                           include_missing boolean DEFAULT false)
RETURNS TABLE (code text, name text, users integer, score double precision, next_score double precision)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT p.code, p.name, p.users, p.score, p.next_score
    FROM @extschema@.spoj_problems p
   WHERE p.users >= $3
     AND ($4 OR p.missing_since IS NULL)
     AND NOT EXISTS (SELECT 1 FROM @extschema@.spoj_user_solved s WHERE s.handle = $1 AND s.code = p.code)
   ORDER BY p.next_score DESC, p.code
   LIMIT greatest($2, 0)
$$;

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

---------------------------------------------------------------------------------------
-- Freshness, for monitoring and applications (readable by PUBLIC).

CREATE FUNCTION @extschema@.spoj_status()
RETURNS TABLE (last_success timestamptz, age interval, stale boolean, last_error text,
               last_error_sqlstate text, last_error_at timestamptz, rows_present bigint,
               rows_missing bigint, refresh_running boolean)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  WITH ok AS (
    SELECT max(r.finished_at) AS at FROM @extschema@.spoj_refresh_runs r WHERE r.status = 'ok'
  ), err AS (
    SELECT r.error, r.sqlstate, r.finished_at FROM @extschema@.spoj_refresh_runs r
     WHERE r.status = 'failed' ORDER BY r.id DESC LIMIT 1
  )
  SELECT ok.at, now() - ok.at,
         ok.at IS NULL OR now() - ok.at > @extschema@._spoj_setting('spojscore.stale_after')::interval,
         CASE WHEN err.finished_at > coalesce(ok.at, '-infinity') THEN err.error END,
         CASE WHEN err.finished_at > coalesce(ok.at, '-infinity') THEN err.sqlstate END,
         CASE WHEN err.finished_at > coalesce(ok.at, '-infinity') THEN err.finished_at END,
         (SELECT count(*) FROM @extschema@.spoj_problems p WHERE p.missing_since IS NULL),
         (SELECT count(*) FROM @extschema@.spoj_problems p WHERE p.missing_since IS NOT NULL),
         EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.classid = 0
                    AND l.objid = 1936748394 AND l.objsubid = 1 AND l.granted)
    FROM ok LEFT JOIN err ON true
$$;
COMMENT ON FUNCTION @extschema@.spoj_status() IS
  'Last successful refresh, its age, stale flag (spojscore.stale_after), last error, row counts, refresh running?';

---------------------------------------------------------------------------------------
-- Privileges: data and status for everyone; network, writes and internals for nobody
-- but the owner until a DBA grants them (see README).

REVOKE ALL ON FUNCTION @extschema@._spoj_fetch() FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._spoj_parse_pages(text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._spoj_caller_is_superuser() FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._spoj_apply(@extschema@.spoj_fetch_result, boolean, text, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._spoj_begin(boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.spoj_refresh(boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.spoj_load_pages(text[], boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.spoj_refresh_if_stale(interval) FROM PUBLIC;
REVOKE ALL ON PROCEDURE @extschema@.spoj_refresh_job(interval, boolean) FROM PUBLIC;
REVOKE ALL ON PROCEDURE @extschema@._spoj_record_failure(timestamptz, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.spoj_cleanup(interval) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.spoj_schedule(text, interval, interval) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.spoj_unschedule() FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._spoj_fetch_profile(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._spoj_apply_profile(text, @extschema@.spoj_profile) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.spoj_user_refresh(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.spoj_user_load_profile(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.spoj_track_user(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.spoj_untrack_user(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.spoj_refresh_tracked_users(interval) FROM PUBLIC;
REVOKE ALL ON TABLE @extschema@.spoj_problems, @extschema@.spoj_problem_history,
                    @extschema@.spoj_refresh_runs, @extschema@.spoj_tracked_users,
                    @extschema@.spoj_user_profiles, @extschema@.spoj_user_solved FROM PUBLIC;
GRANT SELECT ON TABLE @extschema@.spoj_problems, @extschema@.spoj_problem_history,
                      @extschema@.spoj_refresh_runs, @extschema@.spoj_tracked_users,
                      @extschema@.spoj_user_profiles, @extschema@.spoj_user_solved TO PUBLIC;
