// spoj_parse_list(html text): a saved SPOJ list page as rows, with no network.
#include "pg/boundary.hpp"

#include <cstdio>
#include <string>

extern "C" {
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"
}

#include "core/list_page.hpp"
#include "core/page_check.hpp"
#include "pg/call_memory.hpp"
#include "pg/fetch_options_from_settings.hpp"
#include "pg/row_block.hpp"

namespace {

// What the NOTICE needs, as plain data.
struct SkipSummary {
    int skipped;
    int invalid_utf8_names;
    char reasons[512];
};

void summarize(const spojscore::ListPage& page, SkipSummary& out) {
    out = SkipSummary{};
    std::string reasons;
    for (const auto& [reason, count] : page.skipped) {
        out.skipped += count;
        if (!reasons.empty()) reasons += ", ";
        reasons += reason + ": " + std::to_string(count);
    }
    out.invalid_utf8_names = page.invalid_utf8_names;
    std::snprintf(out.reasons, sizeof out.reasons, "%s", reasons.c_str());
}

}  // namespace

SPOJ_FUNCTION(spoj_parse_list) {
    // The result's shape is checked before any work is done (see composite_result_type).
    InitMaterializedSRF(fcinfo, 0);
    auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    static const Oid shape[6] = {INT4OID, TEXTOID, TEXTOID, INT4OID, FLOAT8OID, INT4OID};
    spojscore::pg::require_result_shape(fcinfo, rsinfo->setDesc, shape, 6);
    const spojscore::pg::Utf8Arg html = spojscore::pg::utf8_arg(PG_GETARG_TEXT_PP(0));
    spojscore::pg::MallocOwner* owner = spojscore::pg::new_malloc_owner();
    const spojscore::pg::RowBlock* rows = nullptr;

    SkipSummary summary;
    SPOJ_CORE({
        spojscore::ListPage page =
            spojscore::parse_list_page(std::string_view(html.data, html.len), "text/html; charset=utf-8",
                                       spojscore::CancelCheck{spojscore::pg::interrupt_pending, nullptr});
        spojscore::require_complete_page(page, 0);
        summarize(page, summary);
        rows = spojscore::pg::pack_rows(page.rows, *owner);
    });
    spojscore::pg::return_free_memory(html.len);

    if (summary.skipped > 0)
        ereport(NOTICE, (errmsg("spojscore: skipped %d invalid rows", summary.skipped),
                         errdetail("%s", summary.reasons)));
    if (summary.invalid_utf8_names > 0)
        ereport(WARNING, (errmsg("spojscore: invalid UTF-8 replaced in %d names",
                                 summary.invalid_utf8_names)));

    for (size_t i = 0; i < rows->count; ++i) {
        const spojscore::pg::PackedRow& row = rows->rows[i];
        Datum values[6];
        bool nulls[6] = {false, false, false, false, false, !row.has_quality};
        values[0] = Int32GetDatum(spojscore::pg::checked_int4(row.spoj_id, "spoj_id"));
        values[1] = spojscore::pg::utf8_text_datum(row.code);
        values[2] = spojscore::pg::utf8_text_datum(row.name);
        values[3] = Int32GetDatum(spojscore::pg::checked_int4(row.users, "users"));
        values[4] = Float8GetDatum(row.acc_rate);
        values[5] = Int32GetDatum(spojscore::pg::checked_int4(row.quality, "quality"));
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    spojscore::pg::release_block(owner);
    return static_cast<Datum>(0);
}
