// Memory and arguments that cross from PostgreSQL into core and back within one SQL call.
#pragma once

extern "C" {
#include "postgres.h"
}

namespace spojscore::pg {

// A malloc'd block of plain data that must outlive a SPOJ_CORE block: release_block()
// frees it on the way out, and if an ERROR comes first, resetting the current memory
// context does. Create it (a PostgreSQL call) before SPOJ_CORE.
struct MallocOwner {
    void* block;
};
MallocOwner* new_malloc_owner();
void release_block(MallocOwner* owner) noexcept;

// The bytes of a text argument as UTF-8 (converted when the database encoding is not):
// core always reads pages as UTF-8, whatever their <meta> said before they became text.
struct Utf8Arg {
    const char* data;
    size_t len;
};
Utf8Arg utf8_arg(text* t);

}  // namespace spojscore::pg
