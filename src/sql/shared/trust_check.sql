  -- Trust check, included where a function must not resolve a name before it has run
  -- (the Makefile expands it; the function declares ext_schema oid, owner oid, creator
  -- text). Through pg_catalog alone: @extschema@ still names the extension's schema, a
  -- superuser owns it, and no other role may create objects in it.
  SELECT n.oid, n.nspowner INTO ext_schema, owner
    FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace
   WHERE e.extname OPERATOR(pg_catalog.=) 'spojscore';
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_namespace n WHERE n.oid OPERATOR(pg_catalog.=) ext_schema
                   AND pg_catalog.quote_ident(n.nspname) OPERATOR(pg_catalog.=) '@extschema@') THEN
    RAISE EXCEPTION 'spojscore: the extension''s schema is no longer named @extschema@'
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'A superuser must rename it back to @extschema@.';
  END IF;
  IF owner OPERATOR(pg_catalog.=) 'pg_database_owner'::pg_catalog.regrole::pg_catalog.oid THEN
    owner := (SELECT d.datdba FROM pg_catalog.pg_database d
               WHERE d.datname OPERATOR(pg_catalog.=) pg_catalog.current_database());
  END IF;
  IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) owner) THEN
    RAISE EXCEPTION 'spojscore: schema @extschema@ is owned by %, which is not a superuser',
        owner::pg_catalog.regrole
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Its owner could plant code that runs with the extension owner''s rights. Install into a '
                   'schema a superuser owns: CREATE SCHEMA spojscore; CREATE EXTENSION spojscore SCHEMA spojscore;';
  END IF;
  SELECT pg_catalog.string_agg(CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                                    ELSE a.grantee::pg_catalog.regrole::pg_catalog.text END, ', ')
    INTO creator
    FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) a
   WHERE n.oid OPERATOR(pg_catalog.=) ext_schema AND a.privilege_type OPERATOR(pg_catalog.=) 'CREATE'
     AND NOT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r
                        WHERE r.oid OPERATOR(pg_catalog.=) CASE
                          WHEN a.grantee OPERATOR(pg_catalog.=) 'pg_database_owner'::pg_catalog.regrole::pg_catalog.oid
                          THEN (SELECT d.datdba FROM pg_catalog.pg_database d
                                 WHERE d.datname OPERATOR(pg_catalog.=) pg_catalog.current_database())
                          ELSE a.grantee END), false);
  IF creator IS NOT NULL THEN
    RAISE EXCEPTION 'spojscore: % may create objects in schema @extschema@', creator
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'REVOKE CREATE ON SCHEMA @extschema@ from every role that is not a superuser.';
  END IF;
