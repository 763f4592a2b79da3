// Lets the SQL boundary test throw from deep inside core with live RAII objects on
// the stack, and then check that every one of them was destroyed.
#pragma once
#include <string>

namespace spojscore {

// Recurses `depth` frames, each holding a heap-owning guard, then throws what `kind`
// names: an ErrorKind name ("layout", "size_limit", ...), "bad_alloc", "std" or
// "foreign" (a non-std exception). "none" returns without throwing.
void selftest_throw(const std::string& kind, int depth);

// Guards constructed by selftest_throw and not yet destroyed (0 after any unwind).
long selftest_live_guards() noexcept;

}  // namespace spojscore
