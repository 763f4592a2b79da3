#include "list_merge.hpp"

#include "error.hpp"
#include "page_check.hpp"

namespace spojscore {

bool ListMerger::add(int page_no, ListPage page) {
    if (ended_)
        throw Error(ErrorKind::Layout, "page " + std::to_string(page_no) + ": the list already ended (" +
                                           crawl_stop_name(result_.stop) + ")");
    require_complete_page(page, page_no);

    CrawlStats& stats = result_.stats;
    int skipped = 0;
    for (const auto& [reason, count] : page.skipped) skipped += count;
    const int data_rows = static_cast<int>(page.rows.size()) + skipped;
    // A short page in the middle means the site is broken or shifting under us.
    if (page.has_next && data_rows > 0 && data_rows != kRowsPerListPage)
        throw Error(ErrorKind::Layout, "page " + std::to_string(page_no) + " returned " + std::to_string(data_rows) +
                                           " rows, expected " + std::to_string(kRowsPerListPage));

    ++stats.pages;
    stats.invalid += skipped;
    stats.invalid_utf8_names += page.invalid_utf8_names;
    stats.rows_seen += static_cast<int>(page.rows.size());
    int new_codes = 0;
    for (ProblemRow& row : page.rows) {
        auto [it, inserted] = index_.emplace(row.code, result_.rows.size());
        if (inserted) {
            ++new_codes;
            result_.rows.push_back(std::move(row));
            continue;
        }
        ++stats.duplicates;
        ProblemRow& kept = result_.rows[it->second];
        if (row.users > kept.users) kept = std::move(row);
    }

    if (page.rows.empty()) {
        result_.stop = CrawlStop::EmptyPage;
    } else if (new_codes == 0) {
        result_.stop = CrawlStop::NoNewCodes;
    } else if (!page.has_next) {
        result_.stop = CrawlStop::LastPage;
    } else {
        return true;
    }
    ended_ = true;
    return false;
}

void require_full_list(const CrawlResult& result, int max_pages) {
    switch (result.stop) {
        case CrawlStop::LastPage:
        case CrawlStop::EmptyPage:
            return;
        case CrawlStop::NoNewCodes:
            throw Error(ErrorKind::Layout, "page " + std::to_string(result.stats.pages) +
                                               ": pagination is not advancing (no new problem codes)");
        case CrawlStop::MaxPages:
            throw Error(ErrorKind::SizeLimit, "the list has more than " + std::to_string(max_pages) +
                                                  " pages (spojscore.max_pages)");
    }
}

CrawlResult merge_pages(const std::vector<std::string_view>& pages, CancelCallback should_cancel, void* cancel_arg,
                        const PageParser& parse) {
    if (pages.empty()) throw Error(ErrorKind::InvalidArgument, "no pages given");
    ListMerger merger;
    for (std::size_t i = 0; i < pages.size(); ++i) {
        const int page_no = static_cast<int>(i) + 1;
        if (should_cancel != nullptr && should_cancel(cancel_arg))
            throw Error(ErrorKind::Cancelled, "cancelled before parsing page " + std::to_string(page_no));
        const std::string_view type = "text/html; charset=utf-8";
        ListPage parsed = parse ? parse(pages[i], type)
                                : parse_list_page(pages[i], type, CancelCheck{should_cancel, cancel_arg});
        if (!merger.add(page_no, std::move(parsed)) && i + 1 < pages.size())
            throw Error(ErrorKind::Layout, "page " + std::to_string(page_no) + " ends the list (" +
                                               crawl_stop_name(merger.stop()) + ") but " +
                                               std::to_string(pages.size() - i - 1) + " more pages were given");
    }
    if (!merger.ended())
        throw Error(ErrorKind::Layout, "page " + std::to_string(pages.size()) +
                                           " links to a next page, which was not given");
    require_full_list(merger.result(), static_cast<int>(pages.size()));
    return std::move(merger.result());
}

}  // namespace spojscore

#include "no_postgres.hpp"
