---------------------------------------------------------------------------------------
-- Privileges: data and status for everyone; network, writes and internals for nobody
-- but the owner until a DBA grants them (see README).

REVOKE ALL ON FUNCTION @extschema@.spoj_selftest(pg_catalog.text, pg_catalog.int4) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._spoj_fetch() FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._spoj_parse_pages(text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._spoj_caller_is_superuser() FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._spoj_apply(@extschema@.spoj_fetch_result, boolean, text, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.spoj_refresh(boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.spoj_load_pages(text[], boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.spoj_refresh_if_stale(interval) FROM PUBLIC;
REVOKE ALL ON PROCEDURE @extschema@.spoj_refresh_job(interval, boolean) FROM PUBLIC;
REVOKE ALL ON PROCEDURE @extschema@._spoj_record_failure(timestamptz, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.spoj_cleanup(interval) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.spoj_schedule(text, interval, interval) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.spoj_unschedule() FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._spoj_fetch_profile(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._spoj_apply_profile(text, @extschema@.spoj_profile) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.spoj_user_refresh(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.spoj_user_load_profile(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.spoj_track_user(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.spoj_untrack_user(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.spoj_refresh_tracked_users(interval) FROM PUBLIC;
REVOKE ALL ON TABLE @extschema@.spoj_problems, @extschema@.spoj_problem_history,
                    @extschema@.spoj_refresh_runs, @extschema@.spoj_tracked_users,
                    @extschema@.spoj_user_profiles, @extschema@.spoj_user_solved FROM PUBLIC;
GRANT SELECT ON TABLE @extschema@.spoj_problems, @extschema@.spoj_problem_history,
                      @extschema@.spoj_refresh_runs, @extschema@.spoj_tracked_users,
                      @extschema@.spoj_user_profiles, @extschema@.spoj_user_solved TO PUBLIC;
