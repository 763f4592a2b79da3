-- State: tables, their indexes and dump registration, and the composite types the
-- functions pass around. In an upgrade these change only through the A--B step's own DDL.

-- Public data: readable by PUBLIC (revocable), written only through the SECURITY DEFINER
-- functions.

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
  finished_at    timestamptz,
  status         text NOT NULL CHECK (status IN ('ok', 'failed', 'skipped', 'running', 'interrupted')),
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
  sqlstate       text,
  pid            integer
);
-- A 'running' row (finished_at NULL, pid = the backend) is committed by spoj_refresh_job
-- before its network phase and replaced by the run's outcome; one left behind by a server
-- stop or a backend exit is the trace spoj_status() reports, and becomes 'interrupted'.
COMMENT ON TABLE @extschema@.spoj_refresh_runs IS
  'One row per refresh attempt; failures are recorded by CALL spoj_refresh_job()';
CREATE INDEX spoj_refresh_runs_status_idx ON @extschema@.spoj_refresh_runs (status, finished_at DESC);

-- The refresh lock: one row that the refresh functions lock FOR UPDATE (see _spoj_begin).
-- No role but the owner has any privilege on it, so no other role can take that lock.
CREATE TABLE @extschema@.spoj_refresh_lock (
  id boolean PRIMARY KEY DEFAULT true CHECK (id)
);
COMMENT ON TABLE @extschema@.spoj_refresh_lock IS
  'One row, locked by the refresh that is running; nothing else may lock it';
INSERT INTO @extschema@.spoj_refresh_lock DEFAULT VALUES;

SELECT pg_catalog.pg_extension_config_dump('@extschema@.spoj_problems', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.spoj_problem_history', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.spoj_refresh_runs', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.spoj_refresh_runs_id_seq', '');

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

CREATE TYPE @extschema@.spoj_fetch_result AS (
  codes text[], spoj_ids integer[], names text[], users integer[], acc_rates double precision[],
  qualities integer[], pages integer, requests integer, rows_seen integer, duplicates integer,
  invalid_rows integer, retries integer, bytes bigint, invalid_utf8_names integer
);
