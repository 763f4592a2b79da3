#include "pg/row_block.hpp"

#include <cstdlib>
#include <cstring>
#include <new>

namespace spojscore::pg {

RowBlock* pack_rows(const std::vector<ProblemRow>& rows, MallocOwner& owner) {
    std::size_t bytes = sizeof(RowBlock) + rows.size() * sizeof(PackedRow);
    for (const ProblemRow& r : rows) bytes += r.code.size() + r.name.size() + 2;
    void* mem = std::malloc(bytes);
    if (!mem) throw std::bad_alloc();
    owner.block = mem;

    auto* block = static_cast<RowBlock*>(mem);
    block->count = rows.size();
    block->rows = reinterpret_cast<PackedRow*>(block + 1);
    char* strings = reinterpret_cast<char*>(block->rows + rows.size());
    auto copy = [&strings](const std::string& s) {
        char* out = strings;
        std::memcpy(out, s.c_str(), s.size() + 1);
        strings += s.size() + 1;
        return out;
    };
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const ProblemRow& r = rows[i];
        PackedRow& p = block->rows[i];
        p.spoj_id = r.spoj_id;
        p.users = r.users;
        p.has_quality = r.quality.has_value();
        p.quality = r.quality.value_or(0);
        p.acc_rate = r.acc_rate;
        p.code = copy(r.code);
        p.name = copy(r.name);
    }
    return block;
}

}  // namespace spojscore::pg
