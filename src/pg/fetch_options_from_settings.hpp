// The fetch options of one run, from the spojscore.* settings, with the cancel callback
// that lets core stop when PostgreSQL wants to cancel or terminate.
#pragma once

#include "core/fetch_options.hpp"
#include "pg/settings.hpp"

namespace spojscore::pg {

// Reads QueryCancelPending/ProcDiePending only; never raises.
bool interrupt_pending(void*) noexcept;

// Plain C++ (may throw bad_alloc): call inside SPOJ_CORE, with a copy of the settings.
FetchOptions fetch_options(const Settings& s);

}  // namespace spojscore::pg
