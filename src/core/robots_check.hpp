// robots.txt before a run: fetched once (the page fetcher: same limits, redirects and
// cancel), applied to every URL the run requests, its Crawl-delay handed to the fetcher.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "fetch_options.hpp"
#include "robots.hpp"

namespace spojscore {

inline constexpr long kMaxCrawlDelayMs = 3600000;  // larger delays are read as this

// Unless options.robots_txt is false (then nullopt, no request): fetches
// <base_url>/robots.txt and returns its rules for the product token of
// options.user_agent. A 4xx but 407 and 429 means no rules. Sets the site's Crawl-delay
// (set_site_crawl_delay; 0 when off or absent). Throws Error: Network "robots.txt ...
// unreachable" for a 5xx (after the page retries), 429 or a transport failure (RFC 9309:
// do not crawl); Refused when the Crawl-delay leaves fewer than 2 requests in the run
// budget; SizeLimit; Cancelled.
std::optional<RobotsRules> fetch_robots(const FetchOptions& options);

// Throws Error(Refused) naming `url` and what robots.txt says when `rules` disallow it.
// `url` is under options.base_url; its path relative to base_url is what is matched.
void require_robots_allowed(const std::optional<RobotsRules>& rules, const FetchOptions& options,
                            std::string_view url);

}  // namespace spojscore
