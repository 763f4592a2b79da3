// Profiles as SQL composites (spoj_profile): spoj_parse_profile(html) reads a saved page,
// _spoj_fetch_profile(handle) fetches <base_url>/users/<handle>/, and for the job
// _spoj_fetch_profile_detached(handle, pause) fetches one with no snapshot and keeps it for
// _spoj_take_profile(). Applying them is SQL.
#include "pg/boundary.hpp"

#include <string>

extern "C" {
#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/wait_event.h"
}

#include "core/profile_page.hpp"
#include "pg/call_memory.hpp"
#include "pg/fetch_options_from_settings.hpp"
#include "pg/job_step.hpp"
#include "pg/row_block.hpp"

namespace {

// A profile as plain data; its strings live in one malloc'd block owned by a MallocOwner.
struct PackedProfile {
    const char* handle;
    const char* full_name;
    bool has_rank, has_points, has_solved_count, has_submitted;
    int64 rank;
    double points;
    int64 solved_count, submitted;  // checked into integer when the tuple is built
    int32 codes;
    const char** code;  // inside block
};

void pack_profile(const spojscore::ProfilePage& p, PackedProfile& out, spojscore::pg::MallocOwner& owner) {
    std::size_t bytes = p.handle.size() + p.full_name.size() + 2 + p.solved.size() * sizeof(char*);
    for (const std::string& c : p.solved) bytes += c.size() + 1;
    char* block = static_cast<char*>(spojscore::pg::owned_malloc(owner, bytes));
    out.code = reinterpret_cast<const char**>(block);
    spojscore::pg::StringCursor strings{block + p.solved.size() * sizeof(char*)};
    for (std::size_t i = 0; i < p.solved.size(); ++i) out.code[i] = strings.put(p.solved[i]);
    out.handle = strings.put(p.handle);
    out.full_name = strings.put(p.full_name);
    out.codes = static_cast<int32>(p.solved.size());
    out.has_rank = p.world_rank.has_value();
    out.rank = p.world_rank.value_or(0);
    out.has_points = p.points.has_value();
    out.points = p.points.value_or(0);
    out.has_solved_count = p.problems_solved.has_value();
    out.solved_count = p.problems_solved.value_or(0);
    out.has_submitted = p.solutions_submitted.has_value();
    out.submitted = p.solutions_submitted.value_or(0);
}

// spoj_profile, checked before any work is done (see composite_result_type).
TupleDesc profile_type(FunctionCallInfo fcinfo) {
    static const Oid shape[7] = {TEXTOID, TEXTOID, INT8OID, FLOAT8OID, INT4OID, INT4OID, TEXTARRAYOID};
    return spojscore::pg::composite_result_type(fcinfo, shape, 7);
}

Datum profile_datum(TupleDesc tupdesc, const PackedProfile& p) {
    Datum* codes = static_cast<Datum*>(palloc(sizeof(Datum) * (p.codes + 1)));
    for (int i = 0; i < p.codes; ++i) codes[i] = CStringGetTextDatum(p.code[i]);
    Datum values[7] = {
        spojscore::pg::utf8_text_datum(p.handle),
        spojscore::pg::utf8_text_datum(p.full_name),
        Int64GetDatum(p.rank),
        Float8GetDatum(p.points),
        Int32GetDatum(spojscore::pg::checked_int4(p.solved_count, "problems_solved")),
        Int32GetDatum(spojscore::pg::checked_int4(p.submitted, "solutions_submitted")),
        PointerGetDatum(construct_array(codes, p.codes, TEXTOID, -1, false, TYPALIGN_INT)),
    };
    bool nulls[7] = {false, *p.full_name == '\0', !p.has_rank, !p.has_points, !p.has_solved_count,
                     !p.has_submitted, false};
    return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

// Fetches one profile from the settings `s` into `owner`/`packed`; failures land in
// `failure`. Waiting on the network shows an Extension wait event in pg_stat_activity
// (an ERROR's abort clears it).
void fetch_profile_into(const spojscore::pg::Settings& s, const char* handle, spojscore::pg::MallocOwner* owner,
                        PackedProfile* packed, spojscore::pg::CoreFailure* failure) {
    pgstat_report_wait_start(PG_WAIT_EXTENSION);
    spojscore::pg::run_core(*failure, [&]() {
        spojscore::ProfilePage page = spojscore::fetch_profile(spojscore::pg::fetch_options(s), handle);
        pack_profile(page, *packed, *owner);
    });
    pgstat_report_wait_end();
}

// What _spoj_fetch_profile_detached left for _spoj_take_profile, in this backend.
struct DetachedProfile {
    spojscore::pg::MallocOwner owner;  // malloc'd, not tied to a memory context
    PackedProfile packed;
    spojscore::pg::CoreFailure failure;
    char* handle;  // in TopMemoryContext: outlives the commit
    bool ready;
};
DetachedProfile detached_profile;

void forget_profile() noexcept {
    spojscore::pg::release_block(&detached_profile.owner);
    if (detached_profile.handle != nullptr) pfree(detached_profile.handle);
    detached_profile.handle = nullptr;
    detached_profile.ready = false;
}

}  // namespace

// spoj_parse_profile(html text) -> spoj_profile
SPOJ_FUNCTION(spoj_parse_profile) {
    TupleDesc tupdesc = profile_type(fcinfo);
    const spojscore::pg::Utf8Arg html = spojscore::pg::utf8_arg(PG_GETARG_TEXT_PP(0));
    spojscore::pg::MallocOwner* owner = spojscore::pg::new_malloc_owner();
    PackedProfile packed;
    SPOJ_CORE({
        spojscore::ProfilePage page =
            spojscore::parse_profile_page(std::string_view(html.data, html.len), "text/html; charset=utf-8",
                                          spojscore::CancelCheck{spojscore::pg::interrupt_pending, nullptr});
        spojscore::require_profile(page, "page");
        pack_profile(page, packed, *owner);
    });
    spojscore::pg::return_free_memory(html.len);
    Datum result = profile_datum(tupdesc, packed);
    spojscore::pg::release_block(owner);
    PG_RETURN_DATUM(result);
}

// _spoj_fetch_profile(handle text) -> spoj_profile, from spojscore.base_url.
SPOJ_FUNCTION(spoj_fetch_profile) {
    spojscore::pg::require_preloaded();
    TupleDesc tupdesc = profile_type(fcinfo);
    char* handle = text_to_cstring(PG_GETARG_TEXT_PP(0));
    const spojscore::pg::Settings s = spojscore::pg::settings;
    spojscore::pg::MallocOwner* owner = spojscore::pg::new_malloc_owner();
    PackedProfile packed;
    spojscore::pg::CoreFailure failure;
    fetch_profile_into(s, handle, owner, &packed, &failure);
    if (failure.failed) spojscore::pg::raise_failure(failure);
    Datum result = profile_datum(tupdesc, packed);
    spojscore::pg::release_block(owner);
    PG_RETURN_DATUM(result);
}

// CALL _spoj_fetch_profile_detached(handle text, pause boolean): one step of the job's
// tracked users, like _spoj_fetch_detached for the list: it commits (dropping the CALL's
// snapshot), pauses spojscore.page_delay first when `pause` is true, and fetches the profile
// exactly as _spoj_fetch_profile does, all with no snapshot and no transaction id. The
// profile, or the failure, waits in this backend for _spoj_take_profile(), which the job's
// apply step calls inside the exception block that records a user's failure on its row. A
// cancel or terminate, during the pause or the fetch, is PostgreSQL's own and ends the job.
SPOJ_FUNCTION(spoj_fetch_profile_detached) {
    spojscore::pg::require_preloaded();
    spojscore::pg::require_nonatomic_call(fcinfo);
    spojscore::pg::require_caller_may_execute(fcinfo, spojscore::pg::kJobSignature, "procedure spoj_refresh_job");
    spojscore::pg::require_caller_may_execute(fcinfo, "spoj_refresh_tracked_users(pg_catalog.interval)",
                                              "function spoj_refresh_tracked_users");
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("spojscore: _spoj_fetch_profile_detached() takes no NULL argument")));
    forget_profile();
    // Copied out of the argument before the commit, which may free it.
    detached_profile.handle = MemoryContextStrdup(TopMemoryContext, text_to_cstring(PG_GETARG_TEXT_PP(0)));
    const bool pause = PG_GETARG_BOOL(1);
    spojscore::pg::commit_detached();
    // Read after the commit (which ends any SET LOCAL): plain values from here on.
    const spojscore::pg::Settings s = spojscore::pg::settings;
    if (pause) spojscore::pg::pause_detached(s.page_delay_ms);
    fetch_profile_into(s, detached_profile.handle, &detached_profile.owner, &detached_profile.packed,
                       &detached_profile.failure);
    if (detached_profile.failure.failed && detached_profile.failure.kind == spojscore::ErrorKind::Cancelled) {
        const spojscore::pg::CoreFailure failure = detached_profile.failure;
        forget_profile();
        spojscore::pg::raise_failure(failure);
    }
    detached_profile.ready = true;
    PG_RETURN_VOID();
}

// _spoj_fetched_handle() -> text: whose profile _spoj_fetch_profile_detached() left
// waiting in this backend.
SPOJ_FUNCTION(spoj_fetched_handle) {
    if (!detached_profile.ready)
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("spojscore: no fetched profile is waiting in this session")));
    PG_RETURN_TEXT_P(cstring_to_text(detached_profile.handle));
}

// _spoj_take_profile() -> spoj_profile: that profile (once), or its failure raised.
SPOJ_FUNCTION(spoj_take_profile) {
    TupleDesc tupdesc = profile_type(fcinfo);
    if (!detached_profile.ready)
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("spojscore: no fetched profile is waiting in this session")));
    detached_profile.ready = false;
    if (detached_profile.failure.failed) {
        const spojscore::pg::CoreFailure failure = detached_profile.failure;
        forget_profile();
        spojscore::pg::raise_failure(failure);
    }
    Datum result = profile_datum(tupdesc, detached_profile.packed);
    forget_profile();
    PG_RETURN_DATUM(result);
}
