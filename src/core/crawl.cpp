#include "crawl.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <unordered_map>

#include "fetch.hpp"
#include "page_check.hpp"

namespace spojscore {

std::string classical_page_url(std::string_view base_url, int page) {
    while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
    return std::string(base_url) + "/problems/classical/sort=0,start=" +
           std::to_string(static_cast<long long>(page - 1) * kRowsPerListPage);
}

CrawlResult crawl_classical(const FetchOptions& options, const PageParser& parse) {
    auto started = std::chrono::steady_clock::now();
    Fetcher fetcher(options);  // validates options, base URL included
    CrawlResult result;
    CrawlStats& stats = result.stats;
    std::unordered_map<std::string, std::size_t> index;  // code -> position in rows

    // Never more than `connections` pages in flight past the last page known to have
    // a Next link, so a short list is not over-fetched however many connections run.
    int requested = 0;
    auto request_through = [&](int last) {
        last = std::min(last, options.max_pages);
        while (requested < last) {
            ++requested;
            fetcher.request(requested, classical_page_url(options.base_url, requested));
        }
    };
    request_through(options.connections);

    for (int page = 1;; ++page) {
        FetchedPage fetched = fetcher.take(page);
        ListPage parsed = parse(fetched.body, fetched.content_type);
        require_complete_page(parsed, page);

        ++stats.pages;
        stats.invalid_utf8_names += parsed.invalid_utf8_names;
        for (const auto& [reason, count] : parsed.skipped) stats.invalid += count;
        stats.rows_seen += static_cast<int>(parsed.rows.size());
        int new_codes = 0;
        for (ProblemRow& row : parsed.rows) {
            auto [it, inserted] = index.emplace(row.code, result.rows.size());
            if (inserted) {
                ++new_codes;
                result.rows.push_back(std::move(row));
                continue;
            }
            ++stats.duplicates;
            ProblemRow& kept = result.rows[it->second];
            if (row.users > kept.users) kept = std::move(row);
        }

        if (parsed.rows.empty()) {
            result.stop = CrawlStop::EmptyPage;
        } else if (new_codes == 0) {
            result.stop = CrawlStop::NoNewCodes;
        } else if (!parsed.has_next) {
            result.stop = CrawlStop::LastPage;
        } else if (page >= options.max_pages) {
            result.stop = CrawlStop::MaxPages;
        } else {
            request_through(page + options.connections);
            continue;
        }
        break;
    }

    fetcher.close();
    stats.requests = fetcher.counters().requests;
    stats.retries = fetcher.counters().retries;
    stats.bytes = fetcher.counters().bytes;
    stats.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
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
