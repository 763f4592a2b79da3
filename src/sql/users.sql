-- Users: the solved classical problems of SPOJ users, their points at today's counts, and
-- what to solve next. Public data too: readable by PUBLIC, written by the functions.


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
BEGIN ATOMIC
  SELECT @extschema@._spoj_guard();
  SELECT * FROM @extschema@._spoj_apply_profile($1, @extschema@._spoj_fetch_profile($1));
END;
COMMENT ON FUNCTION @extschema@.spoj_user_refresh(text) IS
  'Fetches <base_url>/users/<handle>/ and replaces the user''s solved set atomically';

CREATE FUNCTION @extschema@.spoj_user_load_profile(handle text, html text)
RETURNS TABLE (handle text, solved integer, added integer, removed integer)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT @extschema@._spoj_guard();
  SELECT * FROM @extschema@._spoj_apply_profile($1, @extschema@.spoj_parse_profile($2));
END;
COMMENT ON FUNCTION @extschema@.spoj_user_load_profile(text, text) IS
  'Applies a saved profile page exactly as spoj_user_refresh() applies a fetched one';

CREATE FUNCTION @extschema@.spoj_track_user(handle text)
RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT @extschema@._spoj_guard();
  WITH added AS (
    INSERT INTO @extschema@.spoj_tracked_users (handle) VALUES ($1)
    ON CONFLICT ON CONSTRAINT spoj_tracked_users_pkey DO NOTHING
    RETURNING 1
  )
  SELECT count(*) > 0 FROM added;
END;

CREATE FUNCTION @extschema@.spoj_untrack_user(handle text)
RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT @extschema@._spoj_guard();
  WITH removed AS (DELETE FROM @extschema@.spoj_tracked_users t WHERE t.handle = $1 RETURNING 1)
  SELECT count(*) > 0 FROM removed;
END;

-- The tracked users due for a refresh, oldest profile first (only those older than
-- max_age, when given), at most spojscore.users_per_run.
CREATE FUNCTION @extschema@._spoj_due_users(max_age interval)
RETURNS text[]
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT ARRAY(SELECT t.handle FROM @extschema@.spoj_tracked_users t
                WHERE max_age IS NULL OR t.refreshed_at IS NULL OR t.refreshed_at < now() - max_age
                ORDER BY t.refreshed_at NULLS FIRST, t.handle
                LIMIT @extschema@._spoj_setting('spojscore.users_per_run')::integer)
$$;

-- One tracked user's refresh: 'ok', or 'failed: <message>' with the failure recorded on
-- its row. `detached`: the profile is the one _spoj_fetch_profile_detached() left in this
-- backend (the job's step; a user untracked meanwhile gets nothing written, 'untracked'),
-- else it is fetched now.
CREATE FUNCTION @extschema@._spoj_refresh_tracked_user(h text, detached boolean)
RETURNS text
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  p @extschema@.spoj_profile;
BEGIN
  IF detached THEN
    p := @extschema@._spoj_take_profile();  -- raises the fetch's failure
    IF NOT EXISTS (SELECT 1 FROM @extschema@.spoj_tracked_users t WHERE t.handle = h) THEN
      RETURN 'untracked';
    END IF;
    PERFORM @extschema@._spoj_apply_profile(h, p);
  ELSE
    PERFORM @extschema@.spoj_user_refresh(h);
  END IF;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  UPDATE @extschema@.spoj_tracked_users t
     SET refreshed_at = now(), last_error = SQLERRM, last_sqlstate = SQLSTATE
   WHERE t.handle = h;
  RETURN 'failed: ' || SQLERRM;
END;
$$;

-- Refreshes the due tracked users (_spoj_due_users), pausing spojscore.page_delay between
-- them. One user's failure is recorded on its row and does not stop the others. One
-- statement: it holds its snapshot throughout (CALL spoj_refresh_job() does not).
CREATE FUNCTION @extschema@._spoj_refresh_tracked_users(max_age interval)
RETURNS TABLE (handle text, status text)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  h text;
  pause float8 := extract(epoch FROM @extschema@._spoj_setting('spojscore.page_delay')::interval);
  first boolean := true;
BEGIN
  FOREACH h IN ARRAY @extschema@._spoj_due_users(max_age) LOOP
    IF NOT first THEN PERFORM pg_sleep(pause); END IF;
    first := false;
    handle := h;
    status := @extschema@._spoj_refresh_tracked_user(h, false);
    RETURN NEXT;
  END LOOP;
END;
$$;

CREATE FUNCTION @extschema@.spoj_refresh_tracked_users(max_age interval DEFAULT NULL)
RETURNS TABLE (handle text, status text)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT @extschema@._spoj_guard();
  SELECT * FROM @extschema@._spoj_refresh_tracked_users(max_age);
END;

-- The job's tracked-users step (see spoj_refresh_job). Its pieces are executable by PUBLIC,
-- as the job calls them as its caller: they admit only roles that may execute both
-- spoj_refresh_job and spoj_refresh_tracked_users (what the step needed before it was split).
CREATE FUNCTION @extschema@._spoj_require_users_caller()
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM @extschema@._spoj_require_job_caller();
  IF NOT @extschema@._spoj_caller_may_execute('@extschema@.spoj_refresh_tracked_users(interval)') THEN
    RAISE EXCEPTION 'spojscore: permission denied for function spoj_refresh_tracked_users'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
END;
$$;

-- The users due, as a list the job keeps across its commits.
CREATE FUNCTION @extschema@._spoj_job_due_users(max_age interval)
RETURNS text[]
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT @extschema@._spoj_guard();
  SELECT @extschema@._spoj_require_users_caller();
  SELECT @extschema@._spoj_due_users(max_age);
END;

-- One user's network phase: commits, then (after the page_delay pause when `pause`)
-- fetches the profile holding no snapshot and no transaction id; the profile or the
-- failure waits in the backend for _spoj_apply_fetched_profile(). Like
-- _spoj_fetch_detached, it cannot pin search_path and resolves no name but the job's and
-- spoj_refresh_tracked_users in its own schema, whose EXECUTE it requires of the caller.
CREATE PROCEDURE @extschema@._spoj_fetch_profile_detached(handle text, pause boolean)
AS 'MODULE_PATHNAME', 'spoj_fetch_profile_detached'
LANGUAGE C;

CREATE FUNCTION @extschema@._spoj_fetched_handle()
RETURNS text
AS 'MODULE_PATHNAME', 'spoj_fetched_handle'
LANGUAGE C VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION @extschema@._spoj_take_profile()
RETURNS @extschema@.spoj_profile
AS 'MODULE_PATHNAME', 'spoj_take_profile'
LANGUAGE C VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp;

-- One user's apply phase: what _spoj_fetch_profile_detached() kept, applied (or its
-- failure recorded on the user's row) exactly as spoj_refresh_tracked_users() does.
CREATE FUNCTION @extschema@._spoj_apply_fetched_profile()
RETURNS text
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT @extschema@._spoj_guard();
  SELECT @extschema@._spoj_require_users_caller();
  SELECT @extschema@._spoj_refresh_tracked_user(@extschema@._spoj_fetched_handle(), true);
END;

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
