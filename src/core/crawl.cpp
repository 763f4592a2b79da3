#include "crawl.hpp"

#include <algorithm>
#include <chrono>
#include <string>

#include "base_url.hpp"
#include "fetch.hpp"
#include "list_merge.hpp"
#include "robots_check.hpp"

namespace spojscore {

std::string classical_page_url(std::string_view base_url, int page) {
    return std::string(site_root(base_url)) + "/problems/classical/sort=0,start=" +
           std::to_string(static_cast<long long>(page - 1) * kRowsPerListPage);
}

CrawlResult crawl_classical(const FetchOptions& options, const PageParser& parse) {
    auto started = std::chrono::steady_clock::now();
    const std::optional<RobotsRules> robots = fetch_robots(options);  // validates options first
    Fetcher fetcher(options);
    ListMerger merger;

    // Never more than `connections` pages in flight past the last page known to have
    // a Next link, so a short list is not over-fetched however many connections run.
    int requested = 0;
    auto request_through = [&](int last) {
        last = std::min(last, options.max_pages);
        while (requested < last) {
            ++requested;
            std::string url = classical_page_url(options.base_url, requested);
            require_robots_allowed(robots, options, url);
            fetcher.request(requested, std::move(url));
        }
    };
    request_through(options.connections);

    for (int page = 1;; ++page) {
        FetchedPage fetched = fetcher.take(page);
        bool more = false;
        try {
            more = merger.add(page, parse ? parse(fetched.body, fetched.content_type)
                                          : parse_list_page(fetched.body, fetched.content_type,
                                                            CancelCheck{options.should_cancel, options.cancel_arg}));
        } catch (const Error& e) {
            // After a redirect, the page's own URL is not the one that answered: name it.
            if (fetched.url == classical_page_url(options.base_url, page)) throw;
            throw Error(e.kind(), std::string(e.what()) + " (answered by " + fetched.url + ")");
        }
        if (!more) break;
        if (page >= options.max_pages) {
            merger.result().stop = CrawlStop::MaxPages;
            break;
        }
        request_through(page + options.connections);
    }

    fetcher.close();
    CrawlResult result = std::move(merger.result());
    result.stats.requests = fetcher.counters().requests;
    result.stats.retries = fetcher.counters().retries;
    result.stats.bytes = fetcher.counters().bytes;
    result.stats.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::steady_clock::now() - started)
                                  .count();
    return result;
}

const char* crawl_stop_name(CrawlStop stop) noexcept {
    switch (stop) {
        case CrawlStop::LastPage: return "last page";
        case CrawlStop::EmptyPage: return "empty page";
        case CrawlStop::NoNewCodes: return "pagination is not advancing";
        case CrawlStop::MaxPages: return "page limit reached";
    }
    return "unknown";
}

}  // namespace spojscore

#include "no_postgres.hpp"
