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

-- Rows of a saved SPOJ classical list page (either layout). No network: safe for anyone.
CREATE FUNCTION @extschema@.spoj_parse_list(html pg_catalog.text)
RETURNS TABLE (spoj_id pg_catalog.int4, code pg_catalog.text, name pg_catalog.text,
               users pg_catalog.int4, acc_rate pg_catalog.float8, quality pg_catalog.int4)
AS 'MODULE_PATHNAME', 'spoj_parse_list'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION @extschema@.spoj_parse_list(pg_catalog.text) IS
  'Rows of a saved SPOJ classical problem list page; raises 22000 for a page that is not one';
