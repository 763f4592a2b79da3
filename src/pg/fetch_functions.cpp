// The two sources of a refresh, as internal SQL functions returning one
// spoj_fetch_result (rows as parallel arrays, plus counters): _spoj_fetch() crawls SPOJ,
// _spoj_parse_pages(text[]) reads pages given by the caller. Locking, validation
// against the stored rows and the write happen in SQL (spojscore--*.sql).
#include "pg/boundary.hpp"

#include <string_view>
#include <type_traits>
#include <vector>

extern "C" {
#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "utils/wait_event.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
}

#include "core/crawl.hpp"
#include "core/list_merge.hpp"
#include "pg/row_block.hpp"
#include "pg/settings.hpp"
#include "pg/fetch_options_from_settings.hpp"
#include "pg/job_step.hpp"

namespace {

using spojscore::pg::MallocOwner;
using spojscore::pg::PackedRow;

// The crawl's counters are kept across the boundary as they are: nothing to destroy.
static_assert(std::is_trivially_destructible_v<spojscore::CrawlStats>);

void require_utf8_database() {
    if (GetDatabaseEncoding() != PG_UTF8)
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("spojscore requires a UTF8 database"),
                        errdetail("SPOJ problem names use characters of many scripts.")));
}

ArrayType* int4_array(Datum* values, bool* nulls, int count) {
    int dims[1] = {count};
    int lbs[1] = {1};
    return construct_md_array(values, nulls, 1, dims, lbs, INT4OID, 4, true, TYPALIGN_INT);
}

// palloc'd, not std::vector: no C++ object may be alive while PostgreSQL can ERROR.
Datum* datums(size_t n) { return static_cast<Datum*>(palloc(sizeof(Datum) * (n + 1))); }

// Builds the result in the caller's memory context. The rows pass through text datums
// and arrays before heap_form_tuple copies them into the tuple: those intermediate
// copies live in a scratch context dropped at the end, and the packed block is released
// as soon as the arrays exist, so a large list is held about once, not four times.
// spoj_fetch_result, checked before any work is done (see composite_result_type).
TupleDesc fetch_result_type(FunctionCallInfo fcinfo) {
    static const Oid shape[14] = {TEXTARRAYOID, INT4ARRAYOID, TEXTARRAYOID, INT4ARRAYOID, FLOAT8ARRAYOID,
                                  INT4ARRAYOID, INT4OID,      INT4OID,      INT4OID,      INT4OID,
                                  INT4OID,      INT4OID,      INT8OID,      INT4OID};
    return spojscore::pg::composite_result_type(fcinfo, shape, 14);
}

Datum fetch_result(TupleDesc tupdesc, MallocOwner* owner, const spojscore::CrawlStats& c) {

    MemoryContext scratch = AllocSetContextCreate(CurrentMemoryContext, "spojscore result", ALLOCSET_DEFAULT_SIZES);
    MemoryContext caller = MemoryContextSwitchTo(scratch);
    const auto* block = static_cast<const spojscore::pg::RowBlock*>(owner->block);
    const size_t n = block->count;
    Datum *codes = datums(n), *ids = datums(n), *names = datums(n), *users = datums(n), *acc = datums(n),
          *quality = datums(n);
    bool* quality_null = static_cast<bool*>(palloc0(sizeof(bool) * (n + 1)));
    for (size_t i = 0; i < n; ++i) {
        const PackedRow& r = block->rows[i];
        codes[i] = CStringGetTextDatum(r.code);
        names[i] = CStringGetTextDatum(r.name);
        ids[i] = Int32GetDatum(spojscore::pg::checked_int4(r.spoj_id, "spoj_id"));
        users[i] = Int32GetDatum(spojscore::pg::checked_int4(r.users, "users"));
        acc[i] = Float8GetDatum(r.acc_rate);
        quality[i] = Int32GetDatum(spojscore::pg::checked_int4(r.quality, "quality"));
        quality_null[i] = !r.has_quality;
    }
    const int count = static_cast<int>(n);
    Datum values[14] = {
        PointerGetDatum(construct_array(codes, count, TEXTOID, -1, false, TYPALIGN_INT)),
        PointerGetDatum(int4_array(ids, nullptr, count)),
        PointerGetDatum(construct_array(names, count, TEXTOID, -1, false, TYPALIGN_INT)),
        PointerGetDatum(int4_array(users, nullptr, count)),
        PointerGetDatum(construct_array(acc, count, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE)),
        PointerGetDatum(int4_array(quality, quality_null, count)),
        Int32GetDatum(c.pages),
        Int32GetDatum(c.requests),
        Int32GetDatum(c.rows_seen),
        Int32GetDatum(c.duplicates),
        Int32GetDatum(c.invalid),
        Int32GetDatum(c.retries),
        Int64GetDatum(c.bytes),
        Int32GetDatum(c.invalid_utf8_names),
    };
    bool nulls[14] = {};
    spojscore::pg::release_block(owner);
    MemoryContextSwitchTo(caller);
    Datum result = HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
    MemoryContextDelete(scratch);
    return result;
}

// The crawl of the whole classical list, packed into `owner`; failures land in `failure`.
// While it runs pg_stat_activity shows the backend waiting on an Extension wait event (as
// pgsql-http reports its transfers); an ERROR clears it with the transaction's abort.
void crawl_into(const spojscore::pg::Settings& s, MallocOwner* owner, spojscore::CrawlStats* counters,
                spojscore::pg::CoreFailure* failure) {
    pgstat_report_wait_start(PG_WAIT_EXTENSION);
    spojscore::pg::run_core(*failure, [&]() {
        const spojscore::FetchOptions o = spojscore::pg::fetch_options(s);
        spojscore::CrawlResult result = spojscore::crawl_classical(o);
        spojscore::require_full_list(result, o.max_pages);
        *counters = result.stats;
        spojscore::pg::pack_rows(result.rows, *owner);
    });
    pgstat_report_wait_end();
}

// The refresh gate: a lock of the USER lock method with a tag no SQL function can name
// (pg_advisory_* build LOCKTAG_ADVISORY tags), so only this library takes it. pg_locks
// shows it as locktype 'userlock', classid 1936748394 ("spoj"), objid 0, objsubid 0. A
// refresh holds it for its transaction (_spoj_gate, from _spoj_begin); the network phase
// of spoj_refresh_job, which runs outside any transaction's row lock, holds it for the
// session until its crawl ends.
constexpr uint32 kGateKey = 0x73706f6a;

LOCKTAG gate_tag() {
    LOCKTAG tag;
    tag.locktag_field1 = MyDatabaseId;
    tag.locktag_field2 = kGateKey;
    tag.locktag_field3 = 0;
    tag.locktag_field4 = 0;
    tag.locktag_type = LOCKTAG_USERLOCK;
    tag.locktag_lockmethodid = USER_LOCKMETHOD;
    return tag;
}

// What the network phase of spoj_refresh_job left for its apply phase, in this backend.
struct Detached {
    MallocOwner owner;               // malloc'd rows, not tied to a memory context
    spojscore::CrawlStats counters;
    spojscore::pg::CoreFailure failure;
    int cancel_sqlstate;             // a cancel or timeout PostgreSQL raised meanwhile, or 0
    char cancel_message[256];
    bool ready;
};
Detached detached;

void forget_detached() noexcept {
    spojscore::pg::release_block(&detached.owner);
    detached.ready = false;
    detached.cancel_sqlstate = 0;
}

// A pending cancel or statement timeout is raised here and kept for _spoj_take_fetched:
// raised later it would end the job before the exception block that records failures
// (PostgreSQL checks for interrupts as it enters the block). It is caught where nothing
// is held (no buffer, lock wait or subtransaction of ours), as ProcessInterrupts leaves
// the state clean before it throws. A terminate is left alone: the backend exits, and its
// 'running' row says the run did not finish.
void keep_pending_cancel() {
    if (!QueryCancelPending || ProcDiePending) return;
    MemoryContext context = CurrentMemoryContext;
    PG_TRY();
    {
        CHECK_FOR_INTERRUPTS();
    }
    PG_CATCH();
    {
        MemoryContextSwitchTo(context);
        ErrorData* e = CopyErrorData();
        FlushErrorState();
        detached.cancel_sqlstate = e->sqlerrcode;
        strlcpy(detached.cancel_message, e->message ? e->message : "canceled", sizeof detached.cancel_message);
        FreeErrorData(e);
    }
    PG_END_TRY();
}

}  // namespace

// _spoj_fetch() -> spoj_fetch_result: the whole classical list from spojscore.base_url.
SPOJ_FUNCTION(spoj_fetch) {
    spojscore::pg::require_preloaded();
    require_utf8_database();
    TupleDesc tupdesc = fetch_result_type(fcinfo);
    const spojscore::pg::Settings s = spojscore::pg::settings;
    MallocOwner* owner = spojscore::pg::new_malloc_owner();
    spojscore::CrawlStats counters;  // plain data: safe to keep across the boundary
    spojscore::pg::CoreFailure failure;
    crawl_into(s, owner, &counters, &failure);
    if (failure.failed) spojscore::pg::raise_failure(failure);
    PG_RETURN_DATUM(fetch_result(tupdesc, owner, counters));
}

// _spoj_gate() -> bool: takes the refresh gate for this transaction, false when another
// backend holds it (a refresh, or a job's network phase, is running).
SPOJ_FUNCTION(spoj_gate) {
    const LOCKTAG tag = gate_tag();
    PG_RETURN_BOOL(LockAcquire(&tag, ExclusiveLock, false, true) != LOCKACQUIRE_NOT_AVAIL);
}

// CALL _spoj_fetch_detached(): the network phase of CALL spoj_refresh_job() with no
// snapshot and no transaction id, so that a slow crawl holds back neither VACUUM nor
// anything else (backend_xmin and backend_xid are null in pg_stat_activity meanwhile).
// PostgreSQL gives a CALL statement a portal snapshot (_SPI_execute_plan calls
// EnsurePortalSnapshotExists for it), which this procedure cannot just drop; SPI_commit
// does, exactly as a COMMIT in a PL/pgSQL procedure does (ForgetPortalSnapshots, then the
// commit, then a new transaction that takes no snapshot until a statement needs one).
// After that nothing here touches a catalog. The rows wait in this backend's memory for
// _spoj_take_fetched(); a failure waits there too and is raised by it, inside the job's
// exception block (which cannot contain this call: a commit is refused in a
// subtransaction), so the job records it. A cancel or terminate is PostgreSQL's own,
// raised by _spoj_take_fetched or earlier.
SPOJ_FUNCTION(spoj_fetch_detached) {
    spojscore::pg::require_preloaded();
    require_utf8_database();
    spojscore::pg::require_nonatomic_call(fcinfo);
    spojscore::pg::require_caller_may_execute(fcinfo, spojscore::pg::kJobSignature, "procedure spoj_refresh_job");

    forget_detached();
    detached.failure.failed = false;
    const LOCKTAG tag = gate_tag();
    if (LockAcquire(&tag, ExclusiveLock, true, true) == LOCKACQUIRE_NOT_AVAIL) {
        spojscore::pg::set_failure(detached.failure, spojscore::ErrorKind::Busy, "a refresh is already running");
        detached.ready = true;
        PG_RETURN_VOID();
    }
    PG_TRY();
    {
        spojscore::pg::commit_detached();
        // Read after the commit (which ends any SET LOCAL): plain values from here on.
        const spojscore::pg::Settings s = spojscore::pg::settings;
        crawl_into(s, &detached.owner, &detached.counters, &detached.failure);
        keep_pending_cancel();
        detached.ready = true;
    }
    PG_FINALLY();
    {
        LockRelease(&tag, ExclusiveLock, true);
    }
    PG_END_TRY();
    PG_RETURN_VOID();
}

// _spoj_take_fetched() -> spoj_fetch_result: what _spoj_fetch_detached() left in this
// backend (once), or its failure raised.
SPOJ_FUNCTION(spoj_take_fetched) {
    TupleDesc tupdesc = fetch_result_type(fcinfo);
    if (!detached.ready)
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("spojscore: no fetched list is waiting in this session")));
    detached.ready = false;
    if (detached.cancel_sqlstate != 0) {
        const int sqlstate = detached.cancel_sqlstate;
        char message[sizeof detached.cancel_message];
        strlcpy(message, detached.cancel_message, sizeof message);
        forget_detached();
        ereport(ERROR, (errcode(sqlstate), errmsg("%s", message)));
    }
    if (detached.failure.failed) {
        spojscore::pg::CoreFailure failure = detached.failure;
        forget_detached();
        spojscore::pg::raise_failure(failure);
    }
    PG_RETURN_DATUM(fetch_result(tupdesc, &detached.owner, detached.counters));
}

// _spoj_parse_pages(pages text[]) -> spoj_fetch_result: pages 1..n given in order.
SPOJ_FUNCTION(spoj_parse_pages) {
    spojscore::pg::require_preloaded();
    require_utf8_database();
    TupleDesc tupdesc = fetch_result_type(fcinfo);
    ArrayType* array = PG_GETARG_ARRAYTYPE_P(0);
    Datum* elems;
    bool* nulls;
    int count;
    deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &count);
    auto* bodies = static_cast<const char**>(palloc(sizeof(char*) * (count + 1)));
    auto* lengths = static_cast<int*>(palloc(sizeof(int) * (count + 1)));
    for (int i = 0; i < count; ++i) {
        if (nulls[i])
            ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                            errmsg("spojscore: page %d is NULL", i + 1)));
        text* t = DatumGetTextPP(elems[i]);
        bodies[i] = VARDATA_ANY(t);
        lengths[i] = VARSIZE_ANY_EXHDR(t);
    }
    MallocOwner* owner = spojscore::pg::new_malloc_owner();
    spojscore::CrawlStats counters;  // plain data: safe to keep across the boundary
    SPOJ_CORE({
        std::vector<std::string_view> pages;
        for (int i = 0; i < count; ++i) pages.emplace_back(bodies[i], static_cast<size_t>(lengths[i]));
        spojscore::CrawlResult result = spojscore::merge_pages(pages, spojscore::pg::interrupt_pending);
        counters = result.stats;
        spojscore::pg::pack_rows(result.rows, *owner);
    });
    PG_RETURN_DATUM(fetch_result(tupdesc, owner, counters));
}

// _spoj_caller_is_superuser(): whether the role that called into spojscore is a
// superuser, seen from inside SECURITY DEFINER functions (which run as the owner).
SPOJ_FUNCTION(spoj_caller_is_superuser) { PG_RETURN_BOOL(superuser_arg(GetOuterUserId())); }

// _spoj_caller_may_execute(proc): the same role's EXECUTE privilege on `proc` (internal
// steps of spoj_refresh_job, which runs as its caller, admit whoever may run the job).
SPOJ_FUNCTION(spoj_caller_may_execute) {
    PG_RETURN_BOOL(spojscore::pg::may_execute(PG_GETARG_OID(0), GetOuterUserId()));
}

// _spoj_setting(name): a spojscore.* setting, loading the library first so that its
// defaults exist even in a session where nothing else loaded it.
SPOJ_FUNCTION(spoj_setting) {
    char* name = text_to_cstring(PG_GETARG_TEXT_PP(0));
    if (strncmp(name, "spojscore.", 10) != 0)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("spojscore: \"%s\" is not a spojscore setting", name)));
    PG_RETURN_TEXT_P(cstring_to_text(GetConfigOptionByName(name, nullptr, false)));
}
