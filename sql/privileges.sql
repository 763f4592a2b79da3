-- Who may do what: readers read, refreshers refresh (never force), nobody but a
-- superuser configures where the backend connects.
CREATE EXTENSION spojscore;
CREATE ROLE regress_spoj_reader;
CREATE ROLE regress_spoj_refresher;
CREATE ROLE regress_spoj_nobody;
-- The grants the README gives a refresher role.
GRANT EXECUTE ON FUNCTION spoj_refresh(boolean), spoj_refresh_if_stale(interval),
                          spoj_load_pages(text[], boolean), spoj_refresh_tracked_users(interval),
                          spoj_user_refresh(text), spoj_track_user(text), spoj_untrack_user(text),
                          spoj_schedule(text, interval, interval), spoj_unschedule()
                          TO regress_spoj_refresher;
GRANT EXECUTE ON PROCEDURE spoj_refresh_job(interval, boolean), _spoj_record_failure(timestamptz, text, text)
  TO regress_spoj_refresher;

-- Functions any role may run: only those that touch no network and write nothing.
SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'spojscore')
   AND has_function_privilege('regress_spoj_nobody', p.oid, 'execute')
 ORDER BY p.proname;

-- A reader (any role): reads data and status, cannot refresh or write.
SET ROLE regress_spoj_reader;
SELECT count(*) FROM spoj_problems;
SELECT stale, rows_present FROM spoj_status();
SELECT * FROM spoj_refresh();
SELECT * FROM spoj_load_pages(ARRAY['x']);
SELECT spoj_refresh_if_stale('1 hour');
CALL spoj_refresh_job();
-- PUBLIC may call the job's steps, which admit only roles that may run the job.
SELECT _spoj_run_start(NULL, false);
CALL _spoj_fetch_detached();
SELECT * FROM _spoj_apply_fetched(false, now());
SELECT _spoj_job_due_users(NULL);
CALL _spoj_fetch_profile_detached('ann', false);
SELECT _spoj_apply_fetched_profile();
SELECT * FROM _spoj_fetch();
INSERT INTO spoj_problems (code, spoj_id, name, users, acc_rate, first_seen, changed_at)
  VALUES ('X', 1, 'x', 1, 1, now(), now());
UPDATE spoj_problems SET users = 0;
DELETE FROM spoj_refresh_runs;
TRUNCATE spoj_problem_history;
SET spojscore.base_url = 'http://127.0.0.1:1';
SET spojscore.page_delay = 0;
ALTER ROLE regress_spoj_reader SET spojscore.base_url = 'http://127.0.0.1:1';
RESET ROLE;

-- A refresher can refresh (the functions write as their owner) but not force, and
-- cannot change settings or write the tables itself.
SET spojscore.min_rows = 1;
SET ROLE regress_spoj_refresher;
SELECT inserted FROM spoj_load_pages(ARRAY['<table class="problems"><tr><th>NAME</th><th>USERS</th></tr>'
  || '<tr><td><a href="/problems/ONE">One</a></td><td><a href="/ranks/ONE">5</a></td></tr></table>'
  || '<div id="footer"></div>']);
SELECT code, users, score FROM spoj_problems;
SELECT * FROM spoj_load_pages(ARRAY['x'], force => true);
SET spojscore.min_rows = 0;
DELETE FROM spoj_problems;
RESET ROLE;

-- A hostile search_path cannot redirect the refresh to other objects.
CREATE SCHEMA regress_evil;
CREATE TABLE regress_evil.spoj_problems (code text);
CREATE FUNCTION regress_evil.now() RETURNS timestamptz LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'evil now() called'; END $$;
CREATE FUNCTION regress_evil.lower(text) RETURNS text LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'evil lower() called'; END $$;
SET search_path = regress_evil, public;
SELECT inserted, updated FROM public.spoj_load_pages(ARRAY['<table class="problems"><tr><th>NAME</th><th>USERS</th></tr>'
  || '<tr><td><a href="/problems/ONE">One</a></td><td><a href="/ranks/ONE">6</a></td></tr></table>'
  || '<div id="footer"></div>']);
SELECT count(*) AS evil_rows FROM regress_evil.spoj_problems;
RESET search_path;
SELECT code, users FROM spoj_problems;
DROP SCHEMA regress_evil CASCADE;
RESET spojscore.min_rows;

-- Every setting is superuser-only.
SELECT name, context FROM pg_settings WHERE name LIKE 'spojscore.%' ORDER BY name;

-- Where the backend may connect: https anywhere, http only on loopback, nothing else.
SET spojscore.base_url = 'https://www.spoj.com';
SET spojscore.base_url = 'http://localhost:8080/mirror';
SET spojscore.base_url = 'http://[::1]:8080';
SET spojscore.base_url = 'http://www.spoj.com';
SET spojscore.base_url = 'file:///etc/passwd';
SET spojscore.base_url = 'gopher://127.0.0.1:70/';
SET spojscore.base_url = 'ftp://127.0.0.1/';
SET spojscore.base_url = 'https://user:pw@www.spoj.com';
SET spojscore.base_url = '';
SET spojscore.base_url = 'https://www.spoj.com/#x';
SELECT set_config('spojscore.base_url', 'https://' || repeat('a', 600) || '.com', false);
SET spojscore.user_agent = E'bad\r\nX-Injected: 1';
SET spojscore.ca_file = 'relative/path.pem';
SET spojscore.ca_file = '/nonexistent/ca.pem';
SET spojscore.connections = 9;
-- PostgreSQL 16 added the unit to this message's range ("100 ms .. 3600000 ms"): shown without.
DO $$ BEGIN SET spojscore.request_timeout = 0;
EXCEPTION WHEN invalid_parameter_value THEN
  RAISE NOTICE '%', regexp_replace(SQLERRM, '([0-9]+) ms( \.\.|\))', '\1\2', 'g');
END $$;
SHOW spojscore.base_url;
RESET spojscore.base_url;

-- The proxy: http, https or socks5h, a host and port, optional credentials, nothing else;
-- errors never quote the value. Only superusers may read it (it may hold a password).
SET spojscore.proxy = 'http://proxy.example:3128';
SET spojscore.proxy = 'https://user:p%40ss@[::1]:8443/';
SET spojscore.proxy = 'socks5h://127.0.0.1:1080';
SET spojscore.proxy = 'socks5://127.0.0.1:1080';
SET spojscore.proxy = 'http://user:hunter2@proxy.example:3128/path';
SET spojscore.proxy = 'http://user:hunter2@proxy.example:3128?x';
SET spojscore.proxy = 'ftp://proxy.example';
SET spojscore.no_proxy = 'localhost, 127.0.0.1, .corp.example';
SET spojscore.no_proxy = 'a;b';
SET ROLE regress_spoj_reader;
-- Refused with 42501 (the message's wording changed in PostgreSQL 16).
DO $$
DECLARE v text;
BEGIN
  BEGIN EXECUTE 'SHOW spojscore.proxy' INTO v; RAISE NOTICE 'SHOW: %', v;
  EXCEPTION WHEN insufficient_privilege THEN RAISE NOTICE 'SHOW spojscore.proxy: 42501'; END;
  BEGIN v := current_setting('spojscore.proxy'); RAISE NOTICE 'current_setting: %', v;
  EXCEPTION WHEN insufficient_privilege THEN RAISE NOTICE 'current_setting(''spojscore.proxy''): 42501'; END;
END $$;
SELECT count(*) AS visible FROM pg_settings WHERE name = 'spojscore.proxy';
SET spojscore.proxy = '';
RESET ROLE;
SELECT count(*) AS visible FROM pg_settings WHERE name = 'spojscore.proxy';
RESET spojscore.proxy;
RESET spojscore.no_proxy;

DROP OWNED BY regress_spoj_reader, regress_spoj_refresher, regress_spoj_nobody;
DROP ROLE regress_spoj_reader, regress_spoj_refresher, regress_spoj_nobody;
DROP EXTENSION spojscore;
