// spojscore.* settings. All are superuser-only (PGC_SUSET): they decide where the
// backend connects and how much it may fetch.
#pragma once

namespace spojscore::pg {

struct Settings {
    char* base_url;
    int connections;
    int connect_timeout_ms;
    int request_timeout_ms;
    int low_speed_limit;      // bytes/s
    int low_speed_time_s;
    int run_budget_s;
    int max_page_bytes;
    int max_pages;
    int page_delay_ms;
    char* user_agent;         // empty: the built-in spojscore/<version> string
    char* ca_file;            // empty: the system trust store
    char* proxy;              // empty: direct; GUC_SUPERUSER_ONLY, may hold credentials
    char* no_proxy;
    bool robots_txt;          // obey <base_url>/robots.txt
};

extern Settings settings;

void define_settings();

// Whether the library was loaded by shared_preload_libraries; set by _PG_init.
extern bool preloaded;

// Raises 55000 unless preloaded. Without preloading, a non-superuser's startup options
// (PGOPTIONS='-c spojscore.base_url=...') become the settings' session values before the
// library defines them; defining them rejects those values but forgets what the DBA
// configured, so anything that reads the settings to fetch or write refuses instead.
void require_preloaded();

}  // namespace spojscore::pg
