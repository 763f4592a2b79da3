#include "pg/settings.hpp"

#include <cstring>

#include "pg/boundary.hpp"

extern "C" {
#include <unistd.h>

#include "utils/guc.h"
}

#include "core/base_url.hpp"
#include "core/proxy.hpp"

namespace spojscore::pg {

Settings settings;
bool preloaded = false;

void require_preloaded() {
    if (!preloaded)
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("spojscore: the library must be loaded through shared_preload_libraries"),
                        errdetail("Otherwise a session's own startup options could override the "
                                  "spojscore.* settings the administrator configured."),
                        errhint("Add spojscore to shared_preload_libraries in postgresql.conf and restart.")));
}

namespace {

// Read by the SQL side (current_setting) when it validates and applies a run.
int min_rows;
double min_rows_ratio;
double max_invalid_ratio;
int stale_after_s;
int history_retention_days;
int users_per_run;

bool check_base_url(char** newval, void**, GucSource) {
    CoreFailure failure;
    const char* url = *newval ? *newval : "";
    run_core(failure, [&] { validate_base_url(url); });
    if (failure.failed) GUC_check_errdetail("%s", failure.message);
    return !failure.failed;
}

bool check_user_agent(char** newval, void**, GucSource) {
    const char* ua = *newval ? *newval : "";
    if (std::strlen(ua) > 256) {
        GUC_check_errdetail("The User-Agent is limited to 256 bytes.");
        return false;
    }
    for (const char* p = ua; *p; ++p) {
        if (*p < 0x20 || *p > 0x7e) {
            GUC_check_errdetail("The User-Agent must be printable ASCII, without CR or LF.");
            return false;
        }
    }
    return true;
}

bool check_ca_file(char** newval, void**, GucSource) {
    const char* path = *newval ? *newval : "";
    if (*path == '\0') return true;
    if (path[0] != '/' || access(path, R_OK) != 0) {
        GUC_check_errdetail("The CA file must be an absolute path the server can read.");
        return false;
    }
    return true;
}

// Never quotes the value (GUC_check_errmsg replaces PostgreSQL's "invalid value ...: <value>"):
// it may hold the proxy's password.
bool check_proxy(char** newval, void**, GucSource source) {
    const char* url = *newval ? *newval : "";
    if (*url == '\0') return true;
    CoreFailure failure;
    bool has_credentials = false;
    run_core(failure, [&] { has_credentials = !parse_proxy_url(url).user.empty(); });
    if (failure.failed) {
        GUC_check_errmsg("invalid value for parameter \"spojscore.proxy\"");
        GUC_check_errdetail("%s", failure.message);
        return false;
    }
    // ALTER ROLE/DATABASE ... SET and CREATE FUNCTION ... SET (checked as PGC_S_TEST) store
    // the value in catalogs that every role can read.
    if (has_credentials && (source == PGC_S_TEST || source == PGC_S_GLOBAL || source == PGC_S_DATABASE ||
                            source == PGC_S_USER || source == PGC_S_DATABASE_USER)) {
        GUC_check_errmsg("invalid value for parameter \"spojscore.proxy\"");
        GUC_check_errdetail("A proxy URL with credentials cannot be stored per role, database or function: "
                            "those settings are readable by every role.");
        GUC_check_errhint("Put it in postgresql.conf or use ALTER SYSTEM.");
        return false;
    }
    return true;
}

bool check_no_proxy(char** newval, void**, GucSource) {
    CoreFailure failure;
    const char* list = *newval ? *newval : "";
    run_core(failure, [&] { validate_no_proxy(list); });
    if (failure.failed) GUC_check_errdetail("%s", failure.message);
    return !failure.failed;
}

void define_int(const char* name, const char* desc, int* var, int boot, int min, int max, int flags) {
    DefineCustomIntVariable(name, desc, nullptr, var, boot, min, max, PGC_SUSET, flags, nullptr, nullptr,
                            nullptr);
}

}  // namespace

void define_settings() {
    DefineCustomStringVariable("spojscore.base_url", "Root of the SPOJ site to fetch the classical list from.",
                               "https, or http only for a loopback host; no user information.",
                               &settings.base_url, "https://www.spoj.com", PGC_SUSET, 0, check_base_url, nullptr,
                               nullptr);
    define_int("spojscore.connections", "Transfers at once during a refresh.", &settings.connections, 2, 1, 8, 0);
    define_int("spojscore.connect_timeout", "Time allowed to connect to SPOJ.", &settings.connect_timeout_ms,
               10000, 100, 600000, GUC_UNIT_MS);
    define_int("spojscore.request_timeout", "Time allowed for one page, transfer included.",
               &settings.request_timeout_ms, 30000, 100, 3600000, GUC_UNIT_MS);
    define_int("spojscore.low_speed_limit", "Bytes per second under which a transfer counts as stalled.",
               &settings.low_speed_limit, 512, 1, 100000000, 0);
    define_int("spojscore.low_speed_time", "How long a transfer may stay under low_speed_limit.",
               &settings.low_speed_time_s, 20, 1, 3600, GUC_UNIT_S);
    define_int("spojscore.run_budget", "Time allowed for a whole refresh, all pages and retries.",
               &settings.run_budget_s, 1200, 1, 86400, GUC_UNIT_S);
    define_int("spojscore.max_page_size", "Largest page body accepted (decoded bytes).", &settings.max_page_bytes,
               2 * 1024 * 1024, 64 * 1024, 64 * 1024 * 1024, GUC_UNIT_BYTE);
    define_int("spojscore.max_pages", "Most list pages one refresh may fetch.", &settings.max_pages, 400, 1, 10000,
               0);
    define_int("spojscore.page_delay", "Politeness pause between requests on a connection.",
               &settings.page_delay_ms, 250, 0, 60000, GUC_UNIT_MS);
    DefineCustomStringVariable("spojscore.user_agent", "User-Agent sent to SPOJ; empty means spojscore/<version>.",
                               nullptr, &settings.user_agent, "", PGC_SUSET, 0, check_user_agent, nullptr, nullptr);
    DefineCustomStringVariable("spojscore.ca_file", "CA bundle for TLS verification; empty means the system store.",
                               "Verification itself cannot be turned off.", &settings.ca_file, "", PGC_SUSET, 0,
                               check_ca_file, nullptr, nullptr);
    DefineCustomStringVariable("spojscore.proxy", "Proxy for every request: http://, https:// or socks5h:// URL.",
                               "Empty means direct (proxy environment variables are ignored). Only superusers "
                               "can read it: it may hold credentials.",
                               &settings.proxy, "", PGC_SUSET, GUC_SUPERUSER_ONLY, check_proxy,
                               nullptr, nullptr);
    DefineCustomStringVariable("spojscore.no_proxy", "Hosts reached directly despite spojscore.proxy.",
                               "A comma-separated list of host names or addresses; * means all.", &settings.no_proxy,
                               "", PGC_SUSET, 0, check_no_proxy, nullptr, nullptr);
    DefineCustomBoolVariable("spojscore.robots_txt", "Obey the site's robots.txt (RFC 9309) before fetching.",
                             "Turn off only for a private mirror you run.", &settings.robots_txt, true, PGC_SUSET, 0,
                             nullptr, nullptr, nullptr);
    define_int("spojscore.min_rows", "Fewest problems a refresh must find before it applies anything.", &min_rows,
               1000, 0, 1000000, 0);
    DefineCustomRealVariable("spojscore.min_rows_ratio",
                             "Fewest problems a refresh must find, as a share of the problems stored.", nullptr,
                             &min_rows_ratio, 0.9, 0.0, 1.0, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    DefineCustomRealVariable("spojscore.max_invalid_ratio", "Largest share of invalid rows a refresh tolerates.",
                             nullptr, &max_invalid_ratio, 0.005, 0.0, 1.0, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    define_int("spojscore.stale_after", "Age of the last successful refresh after which the data counts as stale.",
               &stale_after_s, 25 * 3600, 60, 30 * 86400, GUC_UNIT_S);
    define_int("spojscore.history_retention_days",
               "Days of spoj_problem_history kept; older rows are pruned by refreshes (0 keeps all).",
               &history_retention_days, 730, 0, 36500, 0);
    define_int("spojscore.users_per_run", "Most tracked users' profiles one scheduled run fetches.", &users_per_run,
               20, 0, 1000, 0);
    MarkGUCPrefixReserved("spojscore");
}

}  // namespace spojscore::pg

// _spoj_require_preload(): the same check, for the SQL entry points (see guard.sql).
SPOJ_FUNCTION(spoj_require_preload) {
    spojscore::pg::require_preloaded();
    PG_RETURN_VOID();
}
