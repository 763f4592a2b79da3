// Parsed rows flattened into one malloc'd block of plain data. Core results are
// packed inside SPOJ_CORE, the C++ objects die with the try statement, and only then
// does PostgreSQL code build tuples from the block (see boundary.hpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/list_page.hpp"
#include "pg/call_memory.hpp"

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

// One malloc (the header, the rows and their strings), handed to `owner` at once.
// Throws std::bad_alloc.
RowBlock* pack_rows(const std::vector<ProblemRow>& rows, MallocOwner& owner);

// `value` as an integer column's value, or ERROR 22003 naming `column`. Core range-checks
// every field first (an out-of-range row is invalid), so this only stops a bug from
// storing a wrapped number. Call it outside SPOJ_CORE.
int32 checked_int4(std::int64_t value, const char* column);

}  // namespace spojscore::pg
