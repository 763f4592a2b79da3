// The one road from SQL into core. Every SQL-callable function is declared with
// SPOJ_FUNCTION and runs core code only inside SPOJ_CORE(...), which
//   (a) is entered after the function has read its arguments into plain values,
//   (b) runs the core code in a noexcept try/catch that copies the failure into POD,
//   (c) raises the PostgreSQL error only after the try statement has ended,
// so ereport's longjmp never skips a C++ destructor and no C++ exception ever
// unwinds through PostgreSQL frames.
#pragma once

extern "C" {
#include "postgres.h"
#include "fmgr.h"
}

#include <exception>
#include <new>

#include "core/error.hpp"

namespace spojscore::pg {

struct CoreFailure {
    bool failed;
    bool out_of_memory;
    ErrorKind kind;
    char message[1024];
};

void set_failure(CoreFailure& failure, ErrorKind kind, const char* message) noexcept;
void set_out_of_memory(CoreFailure& failure) noexcept;

// Maps the failure to its SQLSTATE and raises it. A Cancelled failure first lets
// PostgreSQL raise its own cancel/timeout/terminate error.
[[noreturn]] void raise_failure(const CoreFailure& failure);

template <typename Fn>
void run_core(CoreFailure& failure, Fn&& fn) noexcept {
    failure.failed = false;
    try {
        fn();
    } catch (const Error& e) {
        set_failure(failure, e.kind(), e.what());
    } catch (const std::bad_alloc&) {
        set_out_of_memory(failure);
    } catch (const std::exception& e) {
        set_failure(failure, ErrorKind::Internal, e.what());
    } catch (...) {
        set_failure(failure, ErrorKind::Internal, "unexpected non-standard C++ exception");
    }
}

}  // namespace spojscore::pg

#define SPOJ_CORE(...)                                                          \
    do {                                                                        \
        ::spojscore::pg::CoreFailure spoj_failure_;                             \
        ::spojscore::pg::run_core(spoj_failure_, [&]() { __VA_ARGS__; });       \
        if (spoj_failure_.failed) ::spojscore::pg::raise_failure(spoj_failure_); \
    } while (0)

#define SPOJ_FUNCTION(name)            \
    extern "C" {                       \
    PG_FUNCTION_INFO_V1(name);         \
    }                                  \
    extern "C" Datum name(PG_FUNCTION_ARGS)
