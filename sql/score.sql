-- spoj_score(users) = 80 / (40 + users), immutable, strict, parallel safe.
CREATE EXTENSION spojscore;
SELECT spoj_score(0), spoj_score(40), spoj_score(NULL);
SELECT spoj_score(120) AS half, spoj_score(3960) AS fiftieth,
       spoj_score(2147483647) = 80.0::float8 / 2147483687 AS max_int_exact;

-- Points a new solver earns today: what SPOJ shows, rounded to 2 decimals.
SELECT users, round(spoj_score(users + 1)::numeric, 2) AS shown_on_spoj
  FROM (VALUES (162), (30), (13077)) AS v(users) ORDER BY users;

-- Negative users: 22023 with the value in the message.
SELECT spoj_score(-1);
\echo :LAST_ERROR_SQLSTATE
SELECT spoj_score(-2147483648);
\echo :LAST_ERROR_SQLSTATE

-- Usable where PostgreSQL demands immutability: generated columns and indexes.
CREATE TABLE problems_t (
  code text PRIMARY KEY,
  users integer NOT NULL,
  score double precision GENERATED ALWAYS AS (spoj_score(users)) STORED,
  next_score double precision GENERATED ALWAYS AS (spoj_score(users + 1)) STORED
);
CREATE INDEX problems_t_score ON problems_t (spoj_score(users) DESC);
INSERT INTO problems_t (code, users)
  SELECT 'P' || g, g * 10 FROM generate_series(0, 999) AS g;
SELECT code, users, score, next_score FROM problems_t ORDER BY score DESC LIMIT 3;
INSERT INTO problems_t (code, users) VALUES ('BAD', -5);
\echo :LAST_ERROR_SQLSTATE
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT code FROM problems_t ORDER BY spoj_score(users) DESC LIMIT 5;
RESET enable_seqscan;

-- Parallel safe: runs inside parallel workers.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT sum(spoj_score(users)) FROM problems_t;
SELECT round(sum(spoj_score(users))::numeric, 9) FROM problems_t;
RESET ALL;
DROP TABLE problems_t;
DROP EXTENSION spojscore;
