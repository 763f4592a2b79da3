#include "pg/call_memory.hpp"

#include <cstdlib>
#include <cstring>
#include <new>

extern "C" {
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
}

namespace spojscore::pg {

void release_block(MallocOwner* owner) noexcept {
    std::free(owner->block);
    owner->block = nullptr;
}

void* owned_malloc(MallocOwner& owner, size_t bytes) {
    void* block = std::malloc(bytes);
    if (block == nullptr) throw std::bad_alloc();
    owner.block = block;
    return block;
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

Datum utf8_text_datum(const char* utf8) {
    return CStringGetTextDatum(pg_any_to_server(utf8, static_cast<int>(std::strlen(utf8)), PG_UTF8));
}

TupleDesc composite_result_type(FunctionCallInfo fcinfo) {
    TupleDesc tupdesc;
    if (get_call_result_type(fcinfo, nullptr, &tupdesc) != TYPEFUNC_COMPOSITE)
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED), errmsg("spojscore: composite result expected")));
    return BlessTupleDesc(tupdesc);
}

}  // namespace spojscore::pg
