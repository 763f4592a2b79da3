#include "pg/job_step.hpp"

extern "C" {
#include "catalog/pg_proc.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "storage/latch.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"
#include "utils/timestamp.h"
#include "utils/wait_event.h"
}

namespace spojscore::pg {

// pg_proc_aclcheck became object_aclcheck in PostgreSQL 16.
bool may_execute(Oid fn, Oid role) {
#if PG_VERSION_NUM >= 160000
    return object_aclcheck(ProcedureRelationId, fn, role, ACL_EXECUTE) == ACLCHECK_OK;
#else
    return pg_proc_aclcheck(fn, role, ACL_EXECUTE) == ACLCHECK_OK;
#endif
}

void require_nonatomic_call(FunctionCallInfo fcinfo) {
    if (fcinfo->context == nullptr || !IsA(fcinfo->context, CallContext) ||
        castNode(CallContext, fcinfo->context)->atomic)
        ereport(ERROR, (errcode(ERRCODE_INVALID_TRANSACTION_TERMINATION),
                        errmsg("spojscore: %s() must be called by CALL outside a transaction block",
                               get_func_name(fcinfo->flinfo->fn_oid))));
}

void require_caller_may_execute(FunctionCallInfo fcinfo, const char* signature, const char* what) {
    const char* schema = get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid));
    const char* qualified = psprintf("%s.%s", quote_identifier(schema), signature);
    const Oid fn = DatumGetObjectId(DirectFunctionCall1(regprocedurein, CStringGetDatum(qualified)));
    if (!may_execute(fn, GetOuterUserId()))
        ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                        errmsg("spojscore: permission denied for %s", what)));
}

void commit_detached() {
    SPI_connect_ext(SPI_OPT_NONATOMIC);
    SPI_commit();
    SPI_finish();
}

void pause_detached(int ms) {
    const TimestampTz end = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), ms);
    for (;;) {
        CHECK_FOR_INTERRUPTS();
        const long left = TimestampDifferenceMilliseconds(GetCurrentTimestamp(), end);
        if (left <= 0) return;
        (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, left, PG_WAIT_EXTENSION);
        ResetLatch(MyLatch);
    }
}

}  // namespace spojscore::pg
