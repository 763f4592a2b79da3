#include "pg/fetch_options_from_settings.hpp"

extern "C" {
#include "postgres.h"
#include "miscadmin.h"
}

namespace spojscore::pg {

bool interrupt_pending(void*) noexcept { return QueryCancelPending || ProcDiePending; }

FetchOptions fetch_options(const Settings& s) {
    FetchOptions o;
    o.base_url = s.base_url;
    o.connections = s.connections;
    o.connect_timeout_ms = s.connect_timeout_ms;
    o.request_timeout_ms = s.request_timeout_ms;
    o.low_speed_bytes = s.low_speed_limit;
    o.low_speed_time_s = s.low_speed_time_s;
    o.run_budget_ms = static_cast<long>(s.run_budget_s) * 1000;
    o.max_page_bytes = s.max_page_bytes;
    o.max_pages = s.max_pages;
    o.page_delay_ms = s.page_delay_ms;
    if (s.user_agent && *s.user_agent) o.user_agent = s.user_agent;
    if (s.ca_file) o.ca_file = s.ca_file;
    if (s.proxy) o.proxy = s.proxy;
    if (s.no_proxy) o.no_proxy = s.no_proxy;
    o.robots_txt = s.robots_txt;
    o.should_cancel = interrupt_pending;
    return o;
}

}  // namespace spojscore::pg
