// Shared by the fetch, crawl and profile-fetch tests: options aimed at a spojfix scenario,
// a fixture that resets the server's counters, error capture, a stopwatch.
#pragma once
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>

#include "core/error.hpp"
#include "core/fetch_options.hpp"
#include "spojfix_server.hpp"

namespace fetchtest {

using spojscore::Error;
using spojscore::ErrorKind;

// Each test starts with the fault server's request counters at zero.
class FixtureTest : public ::testing::Test {
protected:
    void SetUp() override { spojfix::reset(); }
};

// Short limits so that every fault test ends in a few seconds.
inline spojscore::FetchOptions options(const std::string& segment) {
    spojscore::FetchOptions o;
    o.base_url = spojfix::base(segment);
    o.connections = 1;
    o.connect_timeout_ms = 2000;
    o.request_timeout_ms = 5000;
    o.low_speed_time_s = 2;
    o.run_budget_ms = 30000;
    return o;
}

// Runs `f`, which must throw spojscore::Error, and returns what it threw.
inline Error thrown(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e;
    }
    ADD_FAILURE() << "expected a spojscore::Error, nothing was thrown";
    return Error(ErrorKind::Internal, "<nothing thrown>");
}

inline ::testing::AssertionResult is_error(const Error& e, ErrorKind kind, const std::string& fragment) {
    if (e.kind() == kind && std::string(e.what()).find(fragment) != std::string::npos)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "got " << spojscore::error_kind_name(e.kind()) << " \"" << e.what()
                                         << "\", want " << spojscore::error_kind_name(kind) << " containing \""
                                         << fragment << "\"";
}

class Stopwatch {
public:
    long ms() const {
        return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::steady_clock::now() - start_)
                                     .count());
    }

private:
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace fetchtest
