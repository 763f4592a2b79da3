-- Everything that defines spojscore in the current database, one line per property, with
-- no OIDs: the upgrade tests diff this between an upgraded and a freshly installed
-- database. Each extension member is described by what pg_dump would need to recreate it,
-- plus its ACL and comment.
WITH ext AS (
  SELECT e.oid, e.extnamespace FROM pg_catalog.pg_extension e WHERE e.extname = 'spojscore'
), member AS (
  SELECT d.classid, d.objid FROM pg_catalog.pg_depend d, ext
   WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.refobjid = ext.oid
     AND d.deptype = 'e'
), fn AS (
  SELECT p.* FROM pg_catalog.pg_proc p JOIN member m ON m.classid = 'pg_catalog.pg_proc'::regclass
                                                  AND m.objid = p.oid
), rel AS (
  SELECT c.* FROM pg_catalog.pg_class c JOIN member m ON m.classid = 'pg_catalog.pg_class'::regclass
                                                   AND m.objid = c.oid
), typ AS (
  SELECT t.* FROM pg_catalog.pg_type t JOIN member m ON m.classid = 'pg_catalog.pg_type'::regclass
                                                  AND m.objid = t.oid
), line(l) AS (
  SELECT 'extension: ' || e.extversion || ' schema ' || e.extnamespace::regnamespace
         || ' relocatable ' || e.extrelocatable
         || ' config ' || coalesce((SELECT string_agg(c::regclass::text || ' ' || coalesce(w, '<null>'), ', ' ORDER BY c::regclass::text)
                                      FROM unnest(e.extconfig, e.extcondition) AS x(c, w)), '<none>')
    FROM pg_catalog.pg_extension e, ext WHERE e.oid = ext.oid
  UNION ALL
  SELECT 'member: ' || pg_catalog.pg_describe_object(m.classid, m.objid, 0) FROM member m
  UNION ALL
  SELECT 'function ' || f.oid::regprocedure || ': ' || pg_catalog.pg_get_functiondef(f.oid)
    FROM fn f
  UNION ALL
  SELECT 'function ' || f.oid::regprocedure || ': owner ' || f.proowner::regrole
         || ' acl ' || coalesce(f.proacl::text, '<default>')
         || ' cost ' || f.procost || ' rows ' || f.prorows || ' leakproof ' || f.proleakproof
         || ' support ' || f.prosupport::regproc::text
         || ' comment ' || coalesce(pg_catalog.obj_description(f.oid, 'pg_proc'), '<none>')
    FROM fn f
  UNION ALL
  SELECT 'relation ' || c.oid::regclass || ': kind ' || c.relkind::text || ' owner ' || c.relowner::regrole
         || ' persistence ' || c.relpersistence::text || ' options ' || coalesce(c.reloptions::text, '<none>')
         || ' replident ' || c.relreplident::text || ' rls ' || c.relrowsecurity
         || ' acl ' || coalesce(c.relacl::text, '<default>')
         || ' comment ' || coalesce(pg_catalog.obj_description(c.oid, 'pg_class'), '<none>')
    FROM rel c
  UNION ALL
  SELECT 'column ' || c.oid::regclass || '.' || a.attname || ': #' || a.attnum || ' '
         || pg_catalog.format_type(a.atttypid, a.atttypmod) || ' notnull ' || a.attnotnull
         || ' identity ' || a.attidentity::text || ' generated ' || a.attgenerated::text
         || ' default ' || coalesce(pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), '<none>')
         || ' collation ' || coalesce(nullif(a.attcollation, 0)::regcollation::text, '<none>')
         || ' acl ' || coalesce(a.attacl::text, '<default>')
         || ' comment ' || coalesce(pg_catalog.col_description(c.oid, a.attnum), '<none>')
    FROM rel c JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
   WHERE c.relkind IN ('r', 'p', 'v', 'm', 'c', 'f')
  UNION ALL
  SELECT 'constraint ' || c.oid::regclass || '.' || k.conname || ': '
         || pg_catalog.pg_get_constraintdef(k.oid) || ' deferrable ' || k.condeferrable
    FROM rel c JOIN pg_catalog.pg_constraint k ON k.conrelid = c.oid
  UNION ALL
  SELECT 'index ' || c.oid::regclass || ': ' || pg_catalog.pg_get_indexdef(i.indexrelid)
    FROM rel c JOIN pg_catalog.pg_index i ON i.indrelid = c.oid
  UNION ALL
  SELECT 'trigger ' || c.oid::regclass || '.' || t.tgname || ': ' || pg_catalog.pg_get_triggerdef(t.oid)
         || ' enabled ' || t.tgenabled::text
    FROM rel c JOIN pg_catalog.pg_trigger t ON t.tgrelid = c.oid AND NOT t.tgisinternal
  UNION ALL
  SELECT 'policy ' || c.oid::regclass || '.' || p.polname || ': ' || p.polcmd::text || ' '
         || coalesce(pg_catalog.pg_get_expr(p.polqual, p.polrelid), '') || ' / '
         || coalesce(pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid), '')
    FROM rel c JOIN pg_catalog.pg_policy p ON p.polrelid = c.oid
  UNION ALL
  SELECT 'sequence ' || c.oid::regclass || ': ' || s.seqtypid::regtype || ' start ' || s.seqstart
         || ' increment ' || s.seqincrement || ' min ' || s.seqmin || ' max ' || s.seqmax
         || ' cache ' || s.seqcache || ' cycle ' || s.seqcycle
    FROM rel c JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
  UNION ALL
  SELECT 'type ' || t.oid::regtype || ': kind ' || t.typtype::text || ' owner ' || t.typowner::regrole
         || ' acl ' || coalesce(t.typacl::text, '<default>')
         || ' comment ' || coalesce(pg_catalog.obj_description(t.oid, 'pg_type'), '<none>')
         || ' attributes ' || coalesce((SELECT string_agg(a.attname || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                                          FROM pg_catalog.pg_attribute a
                                         WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '<none>')
    FROM typ t
  UNION ALL
  SELECT 'event trigger ' || t.evtname || ': ' || t.evtevent || ' ' || t.evtfoid::regproc
         || ' tags ' || coalesce(t.evttags::text, '<all>') || ' enabled ' || t.evtenabled::text
         || ' owner ' || t.evtowner::regrole
    FROM pg_catalog.pg_event_trigger t JOIN member m ON m.classid = 'pg_catalog.pg_event_trigger'::regclass
                                                     AND m.objid = t.oid
  UNION ALL
  -- The privileges the extension's scripts gave (pg_dump dumps the difference from them).
  SELECT 'initial privileges ' || pg_catalog.pg_describe_object(i.classoid, i.objoid, i.objsubid)
         || ': ' || i.privtype::text || ' ' || i.initprivs::text
    FROM pg_catalog.pg_init_privs i JOIN member m ON m.classid = i.classoid AND m.objid = i.objoid
  UNION ALL
  -- How members depend on each other (a BEGIN ATOMIC body binds what it calls).
  SELECT 'depends: ' || pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid) || ' -> '
         || pg_catalog.pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid) || ' ' || d.deptype::text
    FROM pg_catalog.pg_depend d JOIN member m ON m.classid = d.classid AND m.objid = d.objid
   WHERE d.deptype <> 'e'
     AND d.refclassid IN ('pg_catalog.pg_proc'::regclass, 'pg_catalog.pg_class'::regclass,
                          'pg_catalog.pg_type'::regclass)
     AND EXISTS (SELECT 1 FROM member r WHERE r.classid = d.refclassid AND r.objid = d.refobjid)
)
SELECT l FROM line ORDER BY l COLLATE "C";
