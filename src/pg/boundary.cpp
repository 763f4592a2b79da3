#include "pg/boundary.hpp"

#include <cstring>

extern "C" {
#include "miscadmin.h"
#include "utils/elog.h"
}

namespace spojscore::pg {
namespace {

int sqlstate_of(ErrorKind kind) noexcept {
    switch (kind) {
        case ErrorKind::InvalidArgument: return ERRCODE_INVALID_PARAMETER_VALUE;
        case ErrorKind::Network: return ERRCODE_CONNECTION_FAILURE;
        case ErrorKind::Layout: return ERRCODE_DATA_EXCEPTION;
        case ErrorKind::SizeLimit: return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
        case ErrorKind::Busy: return ERRCODE_LOCK_NOT_AVAILABLE;
        case ErrorKind::Refused: return ERRCODE_SQLSERVER_REJECTED_ESTABLISHMENT_OF_SQLCONNECTION;
        case ErrorKind::Cancelled: return ERRCODE_QUERY_CANCELED;
        case ErrorKind::Internal: return ERRCODE_INTERNAL_ERROR;
    }
    return ERRCODE_INTERNAL_ERROR;
}

}  // namespace

void set_failure(CoreFailure& failure, ErrorKind kind, const char* message) noexcept {
    failure.failed = true;
    failure.out_of_memory = false;
    failure.kind = kind;
    std::strncpy(failure.message, message ? message : "", sizeof failure.message - 1);
    failure.message[sizeof failure.message - 1] = '\0';
}

void set_out_of_memory(CoreFailure& failure) noexcept {
    set_failure(failure, ErrorKind::Internal, "out of memory");
    failure.out_of_memory = true;
}


void raise_failure(const CoreFailure& failure) {
    if (failure.out_of_memory)
        ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("spojscore: out of memory")));
    if (failure.kind == ErrorKind::Cancelled)
        CHECK_FOR_INTERRUPTS();  // the user's own cancel, timeout or terminate error
    ereport(ERROR, (errcode(sqlstate_of(failure.kind)), errmsg("spojscore: %s", failure.message)));
    pg_unreachable();
}

}  // namespace spojscore::pg
