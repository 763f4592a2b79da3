-- Per-user points: profiles parsed and applied (saved pages, then the loopback fixture),
-- the solved set replaced atomically, points at today's counts, recommendations.
CREATE EXTENSION spojscore;
\getenv fixture SPOJFIX_URL
SELECT set_config('regress.fixture', :'fixture', false) IS NOT NULL AS have_fixture;
SET spojscore.page_delay = 0;
SET spojscore.request_timeout = '3s';

-- 60 problems P01..P60 with users 10, 20, ..., 600; P60 has vanished from SPOJ.
INSERT INTO spoj_problems (code, spoj_id, name, users, acc_rate, first_seen, changed_at, missing_since)
SELECT 'P' || lpad(i::text, 2, '0'), i, 'Problem ' || i, i * 10, 50, now(), now(),
       CASE WHEN i = 60 THEN now() END
  FROM generate_series(1, 60) AS i;

-- A profile page as SPOJ renders it: solved codes in a 7-column table, padding cells
-- empty, and a second (to-do) table that is not the solved list.
CREATE FUNCTION pg_temp.profile(handle text, solved text[], todo text[] DEFAULT '{}') RETURNS text
LANGUAGE sql AS $$
  SELECT '<html><head><meta charset="utf-8"><title>Sphere Online Judge (SPOJ)  - User ' || handle || '</title></head><body>'
      || '<div id="user-profile-left"><h3>Zoë &amp; Co</h3><h4>@' || handle || '</h4>'
      || '<p><i class="fa fa-map-marker"></i> Kraków</p>'
      || '<p><i class="fa fa-trophy"></i> World Rank: #4242 (1.5 points)</p></div>'
      || '<dl class="dl-horizontal profile-info-data profile-info-data-stats"><dt>Problems solved</dt><dd>'
      || cardinality(solved) || '</dd><dt>Solutions submitted</dt><dd>99</dd></dl>'
      || '<div id="user-profile-tables"><h4>List of solved classical problems:</h4><table class="table table-condensed"><tr>'
      || coalesce((SELECT string_agg('<td align="left" width="14%"><a href="/status/' || c || ',' || handle || '/">'
                                     || c || '</a></td>', '' ORDER BY c) FROM unnest(solved) AS c), '')
      || '<td align="left" width="14%"></td></tr></table>'
      || '<h4>TODO list of classical problems:</h4><table class="table table-condensed"><tr>'
      || coalesce((SELECT string_agg('<td><a href="/status/' || c || ',' || handle || '/">' || c || '</a></td>', '')
                     FROM unnest(todo) AS c), '')
      || '</tr></table></div><div id="footer">All Rights Reserved.</div></body></html>'
$$;

SELECT * FROM spoj_parse_profile(pg_temp.profile('ann', ARRAY['P01', 'P02', 'P03'], ARRAY['P04']));
SELECT * FROM spoj_parse_profile(pg_temp.profile('nobody_yet', '{}'));
-- A whole SPOJ page without a profile is an unknown user (22023); other pages 22000.
SELECT * FROM spoj_parse_profile('<html><head><title>Sphere Online Judge (SPOJ)</title></head><body><p>Wrong user</p>'
                                 || '<div id="footer">All Rights Reserved.</div></body></html>');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM spoj_parse_profile('<html><head><title>Sphere Online Judge (SPOJ)</title></head><body><p>Wrong user</p></body></html>');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM spoj_parse_profile('<html><head><title>Just a moment...</title></head><body></body></html>');
\echo :LAST_ERROR_SQLSTATE

-- ann solved P01..P05: points are the problems' values today, next to the site's figure.
SELECT * FROM spoj_user_load_profile('ann', pg_temp.profile('ann', ARRAY['P01', 'P02', 'P03', 'P04', 'P05']));
SELECT handle, solved, round(points::numeric, 6) AS points, site_points, site_rank
  FROM spoj_user_points('ann');
SELECT round(sum(80.0 / (40 + users)), 6) AS expected FROM spoj_problems WHERE code <= 'P05';

-- A later fetch: P05 gone from the list, P06 and P07 new; P01 keeps its first_seen.
UPDATE spoj_user_solved SET first_seen = '2020-01-01' WHERE handle = 'ann';
SELECT * FROM spoj_user_load_profile('ann', pg_temp.profile('ann', ARRAY['P01', 'P02', 'P03', 'P04', 'P06', 'P07']));
SELECT code, first_seen = '2020-01-01' AS kept_first_seen FROM spoj_user_solved WHERE handle = 'ann' ORDER BY code;

-- Someone else's page under ann's name, or a bad handle: refused, nothing changed.
SELECT * FROM spoj_user_load_profile('ann', pg_temp.profile('bob', ARRAY['P09']));
SELECT * FROM spoj_user_refresh('Robert''); DROP TABLE x;--');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS ann_solved FROM spoj_user_solved WHERE handle = 'ann';

-- What to solve next: unsolved, most points if solved now, filters.
SELECT code, users, round(next_score::numeric, 4) AS next_score FROM spoj_recommend('ann', 5);
SELECT code FROM spoj_recommend('ann', 3, min_users => 500);
SELECT code FROM spoj_recommend('ann', 3, min_users => 590, include_missing => true);
SELECT count(*) FROM spoj_recommend('nobody', 100);

-- Tracked users come from the fixture (base_url); a failing site leaves the old set.
SELECT set_config('spojscore.base_url', current_setting('regress.fixture') || '/s/ok,total=130', false) IS NOT NULL;
SELECT spoj_track_user('ann'), spoj_track_user('carol'), spoj_track_user('ann');
SELECT * FROM spoj_refresh_tracked_users() ORDER BY handle;
SELECT handle, solved > 0 AS has_solved, site_rank IS NOT NULL AS has_rank FROM spoj_user_points('carol');
SELECT handle, refreshed_at IS NOT NULL AS refreshed, last_error FROM spoj_tracked_users ORDER BY handle;
CREATE TEMP TABLE carol_before AS SELECT code FROM spoj_user_solved WHERE handle = 'carol';
SELECT set_config('spojscore.base_url', current_setting('regress.fixture') || '/s/status,code=500', false) IS NOT NULL;
SELECT handle, regexp_replace(status, '127\.0\.0\.1:[0-9]+', 'FIXTURE') AS status
  FROM spoj_refresh_tracked_users() ORDER BY handle;
SELECT handle, last_sqlstate FROM spoj_tracked_users ORDER BY handle;
SELECT (SELECT count(*) FROM spoj_user_solved WHERE handle = 'carol') = (SELECT count(*) FROM carol_before)
       AS carol_intact;
-- The scheduled job refreshes the list, then the tracked users not refreshed within max_age.
SET spojscore.min_rows = 100;
SELECT set_config('spojscore.base_url', current_setting('regress.fixture') || '/s/ok,total=130', false) IS NOT NULL;
UPDATE spoj_tracked_users SET refreshed_at = now() - interval '2 days';
UPDATE spoj_tracked_users SET refreshed_at = now() - interval '1 hour' WHERE handle = 'carol';
CALL spoj_refresh_job('1 day');
SELECT handle, refreshed_at > now() - interval '1 minute' AS refreshed_now, last_error IS NULL AS ok
  FROM spoj_tracked_users ORDER BY handle;
SELECT status, source FROM spoj_refresh_runs ORDER BY id;
SELECT spoj_untrack_user('carol'), spoj_untrack_user('carol');
DROP EXTENSION spojscore;
