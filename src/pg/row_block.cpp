#include "pg/row_block.hpp"

extern "C" {
#include "postgres.h"
}

#include <cstdlib>
#include <cstring>
#include <new>

namespace spojscore::pg {

RowBlock* pack_rows(const std::vector<ProblemRow>& rows) {
    std::size_t bytes = sizeof(RowBlock) + rows.size() * sizeof(PackedRow);
    for (const ProblemRow& r : rows) bytes += r.code.size() + r.name.size() + 2;
    void* mem = std::malloc(bytes);
    if (!mem) throw std::bad_alloc();

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

void free_row_block(RowBlock* block) noexcept { std::free(block); }

void release_block(BlockOwner* owner) noexcept {
    free_row_block(owner->block);
    owner->block = nullptr;
}

namespace {
void release_on_reset(void* arg) { release_block(static_cast<BlockOwner*>(arg)); }
}  // namespace

BlockOwner* new_block_owner() {
    auto* owner = static_cast<BlockOwner*>(palloc0(sizeof(BlockOwner)));
    auto* callback = static_cast<MemoryContextCallback*>(palloc0(sizeof(MemoryContextCallback)));
    callback->func = release_on_reset;
    callback->arg = owner;
    MemoryContextRegisterResetCallback(CurrentMemoryContext, callback);
    return owner;
}

}  // namespace spojscore::pg
