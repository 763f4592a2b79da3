// Walks SPOJ's classical problem list page by page (50 rows each) and merges the rows.
#pragma once
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "fetch_options.hpp"
#include "list_page.hpp"

namespace spojscore {

inline constexpr int kRowsPerListPage = 50;

enum class CrawlStop {
    LastPage,    // a page without a "Next" link
    EmptyPage,   // a page with zero rows
    NoNewCodes,  // every code on the page was already seen: pagination is not advancing
    MaxPages,    // options.max_pages reached
};

struct CrawlStats {
    int pages = 0;               // pages parsed and merged
    int requests = 0;            // HTTP requests, retries and pages past the end included
    int rows_seen = 0;           // valid rows before de-duplication
    int duplicates = 0;          // rows dropped because their code was already seen
    int invalid = 0;             // rows the parser skipped
    int retries = 0;
    std::int64_t bytes = 0;      // body bytes received
    int invalid_utf8_names = 0;
    std::int64_t elapsed_ms = 0;
};

struct CrawlResult {
    std::vector<ProblemRow> rows;  // one per code, first-seen order, largest users kept
    CrawlStats stats;
    CrawlStop stop = CrawlStop::LastPage;
};

// A stand-in for parse_list_page (tests). Empty: parse_list_page, polling the run's cancel.
using PageParser = std::function<ListPage(std::string_view body, std::string_view content_type)>;

// URL of 1-based list page `page` under the site root `base_url`.
std::string classical_page_url(std::string_view base_url, int page);

// Fetches <base_url>/problems/classical/sort=0,start=0, 50, ... with up to
// options.connections pages in flight past the last page known to have a Next link, and
// parses them in page order. Throws Error: InvalidArgument (options), Network, SizeLimit,
// Cancelled (from the fetcher), Layout for a Blocked/Unrecognised page or one whose
// end-of-table marker is missing. All connections are closed before it throws.
CrawlResult crawl_classical(const FetchOptions& options, const PageParser& parse = {});

const char* crawl_stop_name(CrawlStop stop) noexcept;

}  // namespace spojscore
