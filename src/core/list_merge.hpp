// Merges list pages, in page order, into one row set: the rules shared by the crawler
// and by pages handed in from SQL (spoj_load_pages).
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "crawl.hpp"

namespace spojscore {

class ListMerger {
public:
    // Adds 1-based page `page_no`. Throws Error(Layout) for a page that is not a whole
    // problem list or a middle page without exactly kRowsPerListPage rows. Returns false
    // when the list has ended (see stop()); pages added after that are an error.
    bool add(int page_no, ListPage page);

    bool ended() const noexcept { return ended_; }
    CrawlStop stop() const noexcept { return result_.stop; }
    CrawlResult& result() noexcept { return result_; }

private:
    CrawlResult result_;
    std::unordered_map<std::string, std::size_t> index_;  // code -> position in rows
    bool ended_ = false;
};

// Throws Error(Layout) when the walk did not reach the end of the list honestly:
// pagination that repeats codes, or Error(SizeLimit) when max_pages cut it short.
void require_full_list(const CrawlResult& result, int max_pages);

// Parses and merges pages given in order (page 1 first), as a crawl would, and
// requires them to be exactly the whole list (require_full_list included).
// `should_cancel` is polled before each page and while parse_list_page parses it; true
// throws Error(Cancelled).
CrawlResult merge_pages(const std::vector<std::string_view>& pages, CancelCallback should_cancel = nullptr,
                        void* cancel_arg = nullptr, const PageParser& parse = {});

}  // namespace spojscore
