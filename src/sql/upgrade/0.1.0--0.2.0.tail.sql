
-- spoj_status() was dropped and re-created with a new column (head): it gets back the
-- privileges it had, GRANTs and REVOKEs a DBA made included. They are re-applied here, in
-- the extension's script, so PostgreSQL records them as the extension's initial privileges;
-- those are then reset to what a fresh install records (none: spoj_status keeps its default
-- ACL), so that pg_dump still sees, and dumps, the DBA's changes.
DO $spojscore$
DECLARE
  fn pg_catalog.oid := '@extschema@.spoj_status()'::pg_catalog.regprocedure;
  saved pg_catalog.aclitem[] :=
    NULLIF(pg_catalog.current_setting('spojscore_upgrade.status_acl', true), '')::pg_catalog.aclitem[];
  owner pg_catalog.oid := (SELECT p.proowner FROM pg_catalog.pg_proc p WHERE p.oid OPERATOR(pg_catalog.=) fn);
  a record;
BEGIN
  IF saved IS NULL THEN
    RETURN;  -- never granted or revoked: the default ACL it has again
  END IF;
  REVOKE ALL ON FUNCTION @extschema@.spoj_status() FROM PUBLIC;
  FOR a IN SELECT x.grantee, x.is_grantable FROM pg_catalog.aclexplode(saved) x
            WHERE x.grantee OPERATOR(pg_catalog.<>) owner LOOP
    EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION @extschema@.spoj_status() TO %s%s',
      CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC' ELSE a.grantee::pg_catalog.regrole::pg_catalog.text END,
      CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
  END LOOP;
  DELETE FROM pg_catalog.pg_init_privs i
   WHERE i.objoid OPERATOR(pg_catalog.=) fn
     AND i.classoid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass;
END
$spojscore$;
