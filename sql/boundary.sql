-- A C++ exception thrown 20 frames deep in core, with live RAII objects on every
-- frame, must surface as a clean ERROR with its mapped SQLSTATE, run every destructor,
-- and leave the session working.
CREATE EXTENSION spojscore;
SELECT spoj_selftest('invalid_argument');
\echo :LAST_ERROR_SQLSTATE
SELECT spoj_selftest('network');
\echo :LAST_ERROR_SQLSTATE
SELECT spoj_selftest('layout', 200);
\echo :LAST_ERROR_SQLSTATE
SELECT spoj_selftest('size_limit');
\echo :LAST_ERROR_SQLSTATE
SELECT spoj_selftest('busy');
\echo :LAST_ERROR_SQLSTATE
SELECT spoj_selftest('refused');
\echo :LAST_ERROR_SQLSTATE
SELECT spoj_selftest('cancelled');
\echo :LAST_ERROR_SQLSTATE
SELECT spoj_selftest('bad_alloc');
\echo :LAST_ERROR_SQLSTATE
SELECT spoj_selftest('std');
\echo :LAST_ERROR_SQLSTATE
SELECT spoj_selftest('foreign');
\echo :LAST_ERROR_SQLSTATE
SELECT spoj_selftest('internal');
\echo :LAST_ERROR_SQLSTATE
SELECT spoj_selftest('layout', 0);
\echo :LAST_ERROR_SQLSTATE

-- Every guard built on the way down was destroyed on the way up.
SELECT spoj_selftest('none') AS live_guards;

-- Errors inside a transaction abort it cleanly; savepoints recover as usual.
BEGIN;
SAVEPOINT s;
SELECT spoj_selftest('network');
ROLLBACK TO SAVEPOINT s;
SELECT spoj_score(40);
COMMIT;

-- A thousand trapped errors in one backend, then normal work.
DO $$
DECLARE n integer := 0;
BEGIN
  FOR i IN 1..1000 LOOP
    BEGIN
      PERFORM spoj_selftest('layout', 50);
    EXCEPTION WHEN data_exception THEN n := n + 1;
    END;
  END LOOP;
  RAISE NOTICE 'trapped % errors', n;
END $$;
SELECT spoj_selftest('none') AS live_guards, spoj_score(0) AS still_works;

-- Not for PUBLIC.
CREATE ROLE regress_spoj_nobody;
SET ROLE regress_spoj_nobody;
SELECT spoj_selftest('none');
RESET ROLE;
DROP ROLE regress_spoj_nobody;
DROP EXTENSION spojscore;
