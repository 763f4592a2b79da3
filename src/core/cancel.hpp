// A caller's request to stop, as core's long loops see it (fetch waits, parses).
#pragma once
#include "fetch_options.hpp"

namespace spojscore {

struct CancelCheck {
    CancelCallback callback = nullptr;
    void* arg = nullptr;

    bool requested() const noexcept { return callback != nullptr && callback(arg); }
};

}  // namespace spojscore
