#include "pg/row_block.hpp"

namespace spojscore::pg {

RowBlock* pack_rows(const std::vector<ProblemRow>& rows, MallocOwner& owner) {
    std::size_t bytes = sizeof(RowBlock) + rows.size() * sizeof(PackedRow);
    for (const ProblemRow& r : rows) bytes += r.code.size() + r.name.size() + 2;
    auto* block = static_cast<RowBlock*>(owned_malloc(owner, bytes));
    block->count = rows.size();
    block->rows = reinterpret_cast<PackedRow*>(block + 1);
    StringCursor strings{reinterpret_cast<char*>(block->rows + rows.size())};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const ProblemRow& r = rows[i];
        PackedRow& p = block->rows[i];
        p.spoj_id = r.spoj_id;
        p.users = r.users;
        p.has_quality = r.quality.has_value();
        p.quality = r.quality.value_or(0);
        p.acc_rate = r.acc_rate;
        p.code = strings.put(r.code);
        p.name = strings.put(r.name);
    }
    return block;
}

int32 checked_int4(std::int64_t value, const char* column) {
    if (value < PG_INT32_MIN || value > PG_INT32_MAX)
        ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                        errmsg("spojscore: %s %lld is out of range for type integer", column,
                               static_cast<long long>(value))));
    return static_cast<int32>(value);
}

}  // namespace spojscore::pg
