// Everything that bounds one refresh run's network work. Plain values so that the
// PostgreSQL side can fill it from settings without touching libcurl.
#pragma once
#include <cstdint>
#include <string>

namespace spojscore {

// Polled at least every 100 ms while fetching (and while waiting between requests);
// returning true stops the run with Error(Cancelled). Must not throw or longjmp.
using CancelCallback = bool (*)(void* arg);

inline constexpr int kMaxConnections = 8;

std::string default_user_agent();

struct FetchOptions {
    std::string base_url = "https://www.spoj.com";  // site root; see validate_base_url
    int connections = 2;                 // transfers at once, 1..kMaxConnections
    long connect_timeout_ms = 10000;
    long request_timeout_ms = 30000;     // per attempt, whole transfer
    long low_speed_bytes = 512;          // abort when slower than this many bytes/s ...
    long low_speed_time_s = 20;          // ... for this long
    long run_budget_ms = 1200000;        // whole run, all pages and retries
    std::int64_t max_page_bytes = 2 * 1024 * 1024;  // decoded body bytes per page
    int max_pages = 400;
    long page_delay_ms = 0;              // politeness pause between requests, per connection
    long max_redirects = 3;
    int retries_per_page = 2;
    int retries_per_run = 10;
    std::string user_agent = default_user_agent();
    std::string ca_file;                 // empty: the system trust store
    std::string proxy;                   // empty: direct, and proxy environment variables ignored;
                                         // else see parse_proxy_url (credentials are secrets)
    std::string no_proxy;                // hosts reached directly despite `proxy` (CURLOPT_NOPROXY)
    bool proxy_tunnel = false;           // CONNECT for http targets too (https ones always CONNECT)
    bool robots_txt = true;              // obey <base_url>/robots.txt (robots_check.hpp)
    bool accept_gzip = true;             // the size cap then counts decoded bytes
    CancelCallback should_cancel = nullptr;
    void* cancel_arg = nullptr;
};

// Throws Error(InvalidArgument) for out-of-range numbers or a bad base_url.
void validate_fetch_options(const FetchOptions& options);

}  // namespace spojscore
