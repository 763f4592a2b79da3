// What the steps of CALL spoj_refresh_job() that end their transaction share (the C
// procedures _spoj_fetch_detached and _spoj_fetch_profile_detached): how they are called,
// whom they admit, how they drop the CALL's snapshot, and how they pause without one.
#pragma once

extern "C" {
#include "postgres.h"
#include "fmgr.h"
}

namespace spojscore::pg {

// spoj_refresh_job's signature, as require_caller_may_execute takes it.
inline constexpr char kJobSignature[] = "spoj_refresh_job(pg_catalog.interval, pg_catalog.bool)";

// EXECUTE privilege of `role` on function `fn`.
bool may_execute(Oid fn, Oid role);

// Refuses (2D000) unless the procedure runs by CALL where it may commit (outside a
// transaction block).
void require_nonatomic_call(FunctionCallInfo fcinfo);

// Refuses (42501, "permission denied for <what>") unless the role that called into
// spojscore may execute `signature` (e.g. "spoj_refresh_job(pg_catalog.interval,
// pg_catalog.bool)") of the calling procedure's own schema: the job runs as its caller,
// and its steps admit whoever may run the job.
void require_caller_may_execute(FunctionCallInfo fcinfo, const char* signature, const char* what);

// Commits the CALL's transaction as a PL/pgSQL COMMIT does, dropping its portal snapshot:
// the new transaction takes none until a statement needs one, and the caller touches no
// catalog from here on. Arguments must be copied out before (they may live in it).
void commit_detached();

// Sleeps `ms` milliseconds showing the Extension wait event, holding no snapshot; a
// cancel or terminate is raised at once (PostgreSQL's own error).
void pause_detached(int ms);

}  // namespace spojscore::pg
