// Profiles as SQL composites (spoj_profile): spoj_parse_profile(html) reads a saved page,
// _spoj_fetch_profile(handle) fetches <base_url>/users/<handle>/. Applying them is SQL.
#include "pg/boundary.hpp"

#include <string>

extern "C" {
#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/wait_event.h"
}

#include "core/profile_page.hpp"
#include "pg/call_memory.hpp"
#include "pg/fetch_options_from_settings.hpp"
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
    // Waiting on the network: an Extension wait event in pg_stat_activity (an ERROR's
    // abort clears it).
    spojscore::pg::CoreFailure failure;
    pgstat_report_wait_start(PG_WAIT_EXTENSION);
    spojscore::pg::run_core(failure, [&]() {
        spojscore::ProfilePage page = spojscore::fetch_profile(spojscore::pg::fetch_options(s), handle);
        pack_profile(page, packed, *owner);
    });
    pgstat_report_wait_end();
    if (failure.failed) spojscore::pg::raise_failure(failure);
    Datum result = profile_datum(tupdesc, packed);
    spojscore::pg::release_block(owner);
    PG_RETURN_DATUM(result);
}
