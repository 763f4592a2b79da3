#include "pg/call_memory.hpp"

#include <cstdlib>
#include <cstring>
#include <new>

#include <malloc.h>

extern "C" {
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
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

void return_free_memory(size_t input_bytes) noexcept {
    constexpr size_t kLargeInput = 256 * 1024;
    if (input_bytes >= kLargeInput) malloc_trim(0);
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

void require_result_shape(FunctionCallInfo fcinfo, TupleDesc desc, const Oid* types, int count) {
    bool same = desc != nullptr && desc->natts == count;
    for (int i = 0; same && i < count; ++i) {
        Form_pg_attribute att = TupleDescAttr(desc, i);
        same = !att->attisdropped && att->atttypid == types[i];
    }
    if (!same)
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("spojscore: the SQL declaration of %s does not match the spojscore %s library",
                               format_procedure(fcinfo->flinfo->fn_oid), SPOJSCORE_VERSION),
                        errdetail("Its result has %d attributes of other types than the %d the library fills.",
                                  desc ? desc->natts : 0, count),
                        errhint("Run ALTER EXTENSION spojscore UPDATE.")));
}

TupleDesc composite_result_type(FunctionCallInfo fcinfo, const Oid* types, int count) {
    TupleDesc tupdesc = nullptr;
    if (get_call_result_type(fcinfo, nullptr, &tupdesc) != TYPEFUNC_COMPOSITE) tupdesc = nullptr;
    require_result_shape(fcinfo, tupdesc, types, count);
    return BlessTupleDesc(tupdesc);
}

}  // namespace spojscore::pg
