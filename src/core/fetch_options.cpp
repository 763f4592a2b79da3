#include "fetch_options.hpp"

#include "base_url.hpp"
#include "error.hpp"
#include "proxy.hpp"
#include "version.hpp"

namespace spojscore {
namespace {

void check_range(const char* name, long long value, long long low, long long high) {
    if (value < low || value > high)
        throw Error(ErrorKind::InvalidArgument,
                    std::string(name) + " must be between " + std::to_string(low) + " and " +
                        std::to_string(high) + ", got " + std::to_string(value));
}

}  // namespace

std::string default_user_agent() {
    return std::string("spojscore/") + kVersion + " (PostgreSQL extension; SPOJ classical list refresh)";
}

void validate_fetch_options(const FetchOptions& o) {
    validate_base_url(o.base_url);
    // Zero never means "unlimited": every limit below is a real bound.
    check_range("connections", o.connections, 1, kMaxConnections);
    check_range("connect_timeout_ms", o.connect_timeout_ms, 1, 600000);
    check_range("request_timeout_ms", o.request_timeout_ms, 1, 3600000);
    check_range("low_speed_bytes", o.low_speed_bytes, 1, 1 << 30);
    check_range("low_speed_time_s", o.low_speed_time_s, 1, 3600);
    check_range("run_budget_ms", o.run_budget_ms, 1, 24LL * 3600000);
    check_range("max_page_bytes", o.max_page_bytes, 1024, 1LL << 30);
    check_range("max_pages", o.max_pages, 1, 100000);
    check_range("page_delay_ms", o.page_delay_ms, 0, 600000);
    check_range("max_redirects", o.max_redirects, 0, 3);
    check_range("retries_per_page", o.retries_per_page, 0, 10);
    check_range("retries_per_run", o.retries_per_run, 0, 1000);
    if (o.user_agent.empty() || o.user_agent.size() > 256)
        throw Error(ErrorKind::InvalidArgument, "user_agent must be 1..256 bytes");
    for (char c : o.user_agent)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f)
            throw Error(ErrorKind::InvalidArgument, "user_agent must be printable ASCII");
    if (!o.proxy.empty()) parse_proxy_url(o.proxy);
    validate_no_proxy(o.no_proxy);
}

}  // namespace spojscore

#include "no_postgres.hpp"
