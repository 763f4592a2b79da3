#include "pg/call_memory.hpp"

#include <cstdlib>
#include <cstring>

extern "C" {
#include "mb/pg_wchar.h"
#include "utils/memutils.h"
}

namespace spojscore::pg {

void release_block(MallocOwner* owner) noexcept {
    std::free(owner->block);
    owner->block = nullptr;
}

namespace {
void release_on_reset(void* arg) { release_block(static_cast<MallocOwner*>(arg)); }
}  // namespace

MallocOwner* new_malloc_owner() {
    auto* owner = static_cast<MallocOwner*>(palloc0(sizeof(MallocOwner)));
    auto* callback = static_cast<MemoryContextCallback*>(palloc0(sizeof(MemoryContextCallback)));
    callback->func = release_on_reset;
    callback->arg = owner;
    MemoryContextRegisterResetCallback(CurrentMemoryContext, callback);
    return owner;
}

Utf8Arg utf8_arg(text* t) {
    const char* data = VARDATA_ANY(t);
    const int len = VARSIZE_ANY_EXHDR(t);
    if (GetDatabaseEncoding() == PG_UTF8) return {data, static_cast<size_t>(len)};
    // pg_server_to_any hands back its input, which has no terminating NUL, when there is
    // nothing to convert (an empty text, a SQL_ASCII database).
    const char* converted = pg_server_to_any(data, len, PG_UTF8);
    if (converted == data) return {data, static_cast<size_t>(len)};
    return {converted, std::strlen(converted)};
}

}  // namespace spojscore::pg
