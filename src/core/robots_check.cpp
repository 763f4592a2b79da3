#include "robots_check.hpp"

#include <cmath>

#include "base_url.hpp"
#include "error.hpp"
#include "fetch.hpp"

namespace spojscore {
namespace {

std::string robots_url(const FetchOptions& options) {
    return std::string(site_root(options.base_url)) + "/robots.txt";
}

// "page 1: HTTP 500 from <url> (after 2 retries)" -> "HTTP 500 from <url> (after 2 retries)"
std::string without_page(const std::string& message) {
    return message.rfind("page 1: ", 0) == 0 ? message.substr(8) : message;
}

}  // namespace

std::optional<RobotsRules> fetch_robots(const FetchOptions& options) {
    const std::string site(site_root(options.base_url));
    if (!options.robots_txt) {
        validate_fetch_options(options);
        set_site_crawl_delay(site, 0);
        return std::nullopt;
    }
    FetchOptions o = options;
    o.connections = 1;
    FetchedPage fetched;
    {
        Fetcher fetcher(o);  // validates the options before any request
        fetcher.request(1, robots_url(o), true);
        try {
            fetched = fetcher.take(1);
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::Network)
                throw Error(ErrorKind::Network, "robots.txt is unreachable (" + without_page(e.what()) +
                                                    "): RFC 9309 says not to crawl the site then");
            if (e.kind() == ErrorKind::Cancelled) throw Error(e.kind(), "cancelled while fetching robots.txt");
            throw Error(e.kind(), "robots.txt: " + without_page(e.what()));
        }
    }
    RobotsRules rules;
    if (fetched.status == 200) rules = parse_robots(fetched.body, robots_product_token(o.user_agent));
    long delay_ms = 0;
    if (rules.crawl_delay_s)
        delay_ms = static_cast<long>(std::min<double>(std::ceil(*rules.crawl_delay_s * 1000), kMaxCrawlDelayMs));
    // robots.txt itself and one page must fit in the budget, else nothing can succeed.
    if (2 * delay_ms > o.run_budget_ms)
        throw Error(ErrorKind::Refused, "robots.txt at " + robots_url(o) + " asks for a Crawl-delay of " +
                                            std::to_string(delay_ms / 1000) + " s, more than half the run budget");
    set_site_crawl_delay(site, delay_ms);
    return rules;
}

void require_robots_allowed(const std::optional<RobotsRules>& rules, const FetchOptions& options,
                            std::string_view url) {
    if (!rules) return;
    std::string_view root = site_root(options.base_url);
    std::string_view path = url.substr(std::min(root.size(), url.size()));
    if (path.empty() || path.front() != '/') path = "/";
    if (rules->allowed(path)) return;
    std::string token = robots_product_token(options.user_agent);
    throw Error(ErrorKind::Refused, "robots.txt at " + robots_url(options) + " disallows " + std::string(path) +
                                        " for user-agent \"" + (token.empty() ? "*" : token) +
                                        "\"; nothing was requested (" + std::string(url) + ")");
}

}  // namespace spojscore

#include "no_postgres.hpp"
