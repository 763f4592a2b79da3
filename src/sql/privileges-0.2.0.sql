
-- Privileges of the objects 0.2.0 added or re-created: part of the install script and
-- the tail of the 0.1.0--0.2.0 step (which leaves those of 0.1.0's objects, and every
-- GRANT a DBA made on them, as they are).
-- _spoj_guard and _spoj_require_preload stay executable by PUBLIC: they only check, and
-- spoj_refresh_job, which runs as its caller, calls the guard.
REVOKE ALL ON FUNCTION @extschema@._spoj_begin(boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._spoj_notify_failure(bigint, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._spoj_refresh_if_stale(interval) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._spoj_refresh_tracked_users(interval) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._spoj_cleanup(interval) FROM PUBLIC;
REVOKE ALL ON TABLE @extschema@.spoj_refresh_lock FROM PUBLIC;
-- The crash trace: spoj_refresh_job calls _spoj_run_start as its caller, which checks that
-- the caller may run the job; spoj_status() reads _spoj_run_live as its caller.
REVOKE ALL ON FUNCTION @extschema@._spoj_caller_may_execute(regprocedure) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._spoj_settle_running(boolean) FROM PUBLIC;
-- The job's network and apply phases: _spoj_fetch_detached, _spoj_apply_fetched and
-- _spoj_require_job_caller stay executable by PUBLIC (the job calls them as its caller;
-- they admit only roles that may execute spoj_refresh_job).
REVOKE ALL ON FUNCTION @extschema@._spoj_take_fetched() FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._spoj_gate() FROM PUBLIC;
-- The job's tracked-users step: _spoj_job_due_users, _spoj_fetch_profile_detached and
-- _spoj_apply_fetched_profile stay executable by PUBLIC (the job calls them as its caller;
-- they admit only roles that may execute spoj_refresh_job and spoj_refresh_tracked_users).
REVOKE ALL ON FUNCTION @extschema@._spoj_due_users(interval) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._spoj_refresh_tracked_user(text, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._spoj_require_users_caller() FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._spoj_fetched_handle() FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._spoj_take_profile() FROM PUBLIC;
