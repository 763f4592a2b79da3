-- spoj_load_pages(): saved pages applied exactly like a refresh. Days of data are
-- rendered here from a temp table, so each change is known: changed rows, vanished and
-- returning problems, the row-count guards, and the run log.
CREATE EXTENSION spojscore;
SET spojscore.min_rows = 100;

CREATE TEMP TABLE day (code text, spoj_id int, name text, users int);
INSERT INTO day SELECT 'P' || lpad(i::text, 4, '0'), i * 3, 'Problem ' || i, (i * 37) % 1000
  FROM generate_series(1, 130) AS i;
-- The day's rows as list pages of 50, each but the last with a Next link.
CREATE FUNCTION pg_temp.pages() RETURNS text[] LANGUAGE sql AS $$
  WITH numbered AS (
    SELECT d.*, (row_number() OVER (ORDER BY d.spoj_id) - 1) / 50 AS page FROM day d
  ), html AS (
    SELECT page, '<html><head><meta charset="utf-8"></head><body><table class="problems"><thead><tr>'
        || '<th>ID</th><th>NAME</th><th>USERS</th><th>ACC %</th></tr></thead><tbody>'
        || string_agg('<tr><td>' || spoj_id || '</td><td><a href="/problems/' || code || '">'
                      || replace(name, '&', '&amp;') || '</a></td><td><a href="/ranks/' || code || '">'
                      || users || '</a></td><td>1.00</td></tr>', '' ORDER BY spoj_id)
        || '</tbody></table>'
        || CASE WHEN page < (SELECT max(page) FROM numbered) THEN '<a class="pager_link" href="/x">Next</a>' ELSE '' END
        || '<div id="footer">All Rights Reserved.</div></body></html>' AS body
      FROM numbered GROUP BY page
  )
  SELECT array_agg(body ORDER BY page) FROM html
$$;
CREATE FUNCTION pg_temp.load(force boolean DEFAULT false)
RETURNS TABLE (pages int, inserted int, updated int, unchanged int, marked_missing int)
LANGUAGE sql AS $$
  SELECT pages, inserted, updated, unchanged, marked_missing FROM spoj_load_pages(pg_temp.pages(), force)
$$;

-- Day 1: everything is new; every problem gets its first history row.
SELECT * FROM pg_temp.load();
SELECT count(*) AS problems, count(*) FILTER (WHERE missing_since IS NOT NULL) AS missing,
       (SELECT count(*) FROM spoj_problem_history) AS history FROM spoj_problems;

-- Day 2: five problems gained solvers and one was renamed: only those six rows change,
-- and only the five solver changes reach the history.
CREATE TEMP TABLE versions AS SELECT code, xmin::text AS v FROM spoj_problems;
UPDATE day SET users = users + 1 WHERE code IN ('P0001', 'P0042', 'P0077', 'P0100', 'P0130');
UPDATE day SET name = 'Problem 7 & Co' WHERE code = 'P0007';
SELECT * FROM pg_temp.load();
SELECT string_agg(p.code, ' ' ORDER BY p.code) AS rewritten
  FROM spoj_problems p JOIN versions v USING (code) WHERE p.xmin::text <> v.v;
SELECT code, users, name FROM spoj_problems WHERE code IN ('P0001', 'P0007') ORDER BY code;
SELECT code, count(*) AS versions FROM spoj_problem_history GROUP BY code HAVING count(*) > 1 ORDER BY code;

-- Day 3: three problems vanish from SPOJ: kept, marked, nothing else touched.
TRUNCATE versions;
INSERT INTO versions SELECT code, xmin::text FROM spoj_problems;
DELETE FROM day WHERE code IN ('P0128', 'P0129', 'P0130');
SELECT * FROM pg_temp.load();
SELECT code, missing_since IS NOT NULL AS missing FROM spoj_problems WHERE code >= 'P0127' ORDER BY code;
SELECT count(*) AS rewritten FROM spoj_problems p JOIN versions v USING (code)
 WHERE p.xmin::text <> v.v AND p.missing_since IS NULL;

-- Day 4: they are back, and the mark is cleared.
INSERT INTO day SELECT 'P' || i, i * 3, 'Problem ' || i, (i * 37) % 1000 FROM generate_series(128, 130) AS i;
UPDATE day SET code = 'P0' || substr(code, 2) WHERE length(code) = 4;
SELECT * FROM pg_temp.load();
SELECT count(*) FILTER (WHERE missing_since IS NOT NULL) AS missing FROM spoj_problems;

-- Guards: far fewer rows than stored, or fewer than spojscore.min_rows, are refused...
DELETE FROM day WHERE spoj_id > 300;
SELECT * FROM pg_temp.load();
SET spojscore.min_rows = 1000;
SELECT * FROM pg_temp.load();
RESET spojscore.min_rows;
-- ...unless a superuser forces it.
SELECT * FROM pg_temp.load(force => true);
SELECT count(*) FILTER (WHERE missing_since IS NOT NULL) AS missing FROM spoj_problems;

-- Pages that are not exactly the whole list.
SELECT count(*) FROM spoj_load_pages(ARRAY[]::text[]);
SELECT count(*) FROM spoj_load_pages(ARRAY[(pg_temp.pages())[1]]);
SELECT count(*) FROM spoj_load_pages(ARRAY[(pg_temp.pages())[1], NULL]);
SELECT count(*) FROM spoj_load_pages(ARRAY[replace((pg_temp.pages())[1], '<tr><td>3<', '<tr><td>x<'), (pg_temp.pages())[2]]);

-- Each success is one run; status reports freshness and row counts.
SELECT status, source, pages, rows_seen, inserted, updated, unchanged, marked_missing FROM spoj_refresh_runs ORDER BY id;
SELECT stale, last_error, rows_present, rows_missing, refresh_running FROM spoj_status();
SELECT spoj_refresh_if_stale('1 hour');

-- A scheduled attempt that fails is recorded durably, then re-raised.
SET spojscore.base_url = 'http://127.0.0.1:1';
SET spojscore.request_timeout = '1s';
\set VERBOSITY sqlstate
CALL spoj_refresh_job();
\set VERBOSITY default
SELECT status, source, sqlstate, error ~ '^spojscore: robots\.txt is unreachable \(Failed to connect' AS names_cause
  FROM spoj_refresh_runs WHERE status <> 'ok';
SELECT stale, last_error_sqlstate FROM spoj_status();
SELECT spoj_refresh_if_stale('1 hour');
DROP EXTENSION spojscore;
