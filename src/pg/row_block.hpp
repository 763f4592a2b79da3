// Parsed rows flattened into one malloc'd block of plain data. Core results are
// packed inside SPOJ_CORE, the C++ objects die with the try statement, and only then
// does PostgreSQL code build tuples from the block (see boundary.hpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/list_page.hpp"

namespace spojscore::pg {

struct PackedRow {
    std::int64_t spoj_id;
    std::int64_t users;
    std::int64_t quality;
    bool has_quality;
    double acc_rate;
    const char* code;  // NUL-terminated, inside the block
    const char* name;
};

struct RowBlock {
    std::size_t count;
    PackedRow* rows;
};

// One malloc: the header, the rows and their strings. Throws std::bad_alloc.
RowBlock* pack_rows(const std::vector<ProblemRow>& rows);
void free_row_block(RowBlock* block) noexcept;

// Holds a block for the length of one SQL call: release_block() frees it on the way
// out, and if an ERROR comes first, resetting the current memory context does.
struct BlockOwner {
    RowBlock* block;
};
BlockOwner* new_block_owner();  // PostgreSQL call: use before SPOJ_CORE
void release_block(BlockOwner* owner) noexcept;

}  // namespace spojscore::pg
