// Memory and arguments that cross from PostgreSQL into core and back within one SQL call.
#pragma once
#include <cstring>
#include <string>

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "access/tupdesc.h"
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

// After a parse of `input_bytes`: hands the heap's free memory back to the system when
// the input was large (libxml2's tree and buffers are malloc'd, and glibc keeps freed
// memory for the process otherwise).
void return_free_memory(size_t input_bytes) noexcept;

// Inside SPOJ_CORE: malloc's `bytes` as the owner's block; throws std::bad_alloc.
void* owned_malloc(MallocOwner& owner, size_t bytes);

// Lays NUL-terminated copies of strings one after another from `at` on.
struct StringCursor {
    char* at;
    const char* put(const std::string& s) noexcept {
        char* out = at;
        std::memcpy(out, s.c_str(), s.size() + 1);
        at += s.size() + 1;
        return out;
    }
};

// The bytes of a text argument as UTF-8 (converted when the database encoding is not):
// core always reads pages as UTF-8, whatever their <meta> said before they became text.
struct Utf8Arg {
    const char* data;
    size_t len;
};
Utf8Arg utf8_arg(text* t);

// A text datum in the database encoding from core's UTF-8.
Datum utf8_text_datum(const char* utf8);

// The call's composite result type, blessed for heap_form_tuple, after checking that it
// has exactly the attribute types this library fills (a new library may meet the SQL
// of an older version before ALTER EXTENSION ... UPDATE): otherwise 55000 with a hint.
TupleDesc composite_result_type(FunctionCallInfo fcinfo, const Oid* types, int count);

// The same check of a row type the function fills (e.g. a set-returning function's).
void require_result_shape(FunctionCallInfo fcinfo, TupleDesc desc, const Oid* types, int count);

}  // namespace spojscore::pg
