#include "core/list_merge.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

using spojscore::CrawlResult;
using spojscore::CrawlStop;
using spojscore::Error;
using spojscore::ErrorKind;
using spojscore::ListMerger;
using spojscore::ListPage;
using spojscore::PageKind;

namespace {

// A whole page of `rows` rows with codes P<first>..., linking on when `next`.
ListPage page_of(int first, int rows, bool next) {
    ListPage page;
    page.kind = rows > 0 ? PageKind::Problems : PageKind::EmptyTable;
    page.table_complete = true;
    page.has_next = next;
    for (int i = 0; i < rows; ++i) {
        spojscore::ProblemRow row;
        row.code = "P" + std::to_string(first + i);
        row.name = row.code;
        row.users = first + i;
        page.rows.push_back(row);
    }
    return page;
}

ErrorKind kind_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const Error& e) {
        return e.kind();
    }
    ADD_FAILURE() << "no spojscore::Error thrown";
    return ErrorKind::Internal;
}

}  // namespace

TEST(ListMerger, MergesUntilThePageWithoutNext) {
    ListMerger merger;
    EXPECT_TRUE(merger.add(1, page_of(0, 50, true)));
    EXPECT_FALSE(merger.add(2, page_of(50, 30, false)));
    EXPECT_EQ(merger.stop(), CrawlStop::LastPage);
    EXPECT_EQ(merger.result().rows.size(), 80u);
    EXPECT_EQ(merger.result().stats.pages, 2);
}

TEST(ListMerger, ShortMiddlePageIsALayoutError) {
    ListMerger merger;
    merger.add(1, page_of(0, 50, true));
    try {
        merger.add(2, page_of(50, 37, true));
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Layout);
        EXPECT_STREQ(e.what(), "page 2 returned 37 rows, expected 50");
    }
}

TEST(ListMerger, SkippedRowsCountTowardsAFullPage) {
    ListMerger merger;
    ListPage page = page_of(0, 48, true);
    page.skipped["bad users"] = 2;
    EXPECT_TRUE(merger.add(1, page));
    EXPECT_EQ(merger.result().stats.invalid, 2);
}

TEST(ListMerger, RepeatedPageStopsAndIsRejectedAsNotAdvancing) {
    ListMerger merger;
    merger.add(1, page_of(0, 50, true));
    EXPECT_FALSE(merger.add(2, page_of(0, 50, true)));
    EXPECT_EQ(merger.stop(), CrawlStop::NoNewCodes);
    EXPECT_EQ(kind_of([&] { spojscore::require_full_list(merger.result(), 400); }), ErrorKind::Layout);
}

TEST(ListMerger, MaxPagesIsASizeLimit) {
    CrawlResult result;
    result.stop = CrawlStop::MaxPages;
    EXPECT_EQ(kind_of([&] { spojscore::require_full_list(result, 3); }), ErrorKind::SizeLimit);
}

TEST(ListMerger, BlockedOrTruncatedPagesAreLayoutErrors) {
    ListMerger merger;
    ListPage blocked;
    blocked.kind = PageKind::Blocked;
    blocked.detail = "maintenance page";
    EXPECT_EQ(kind_of([&] { merger.add(1, blocked); }), ErrorKind::Layout);
    ListPage cut = page_of(0, 50, true);
    cut.table_complete = false;
    EXPECT_EQ(kind_of([&] { ListMerger().add(1, cut); }), ErrorKind::Layout);
}

TEST(MergePages, NeedsExactlyThePagesOfTheList) {
    auto parse = [](std::string_view body, std::string_view) {
        // body "first,rows,next"
        int first = 0, rows = 0, next = 0;
        std::sscanf(std::string(body).c_str(), "%d,%d,%d", &first, &rows, &next);
        return page_of(first, rows, next != 0);
    };
    CrawlResult ok = spojscore::merge_pages({"0,50,1", "50,50,1", "100,30,0"}, nullptr, nullptr, parse);
    EXPECT_EQ(ok.rows.size(), 130u);
    EXPECT_EQ(kind_of([&] { spojscore::merge_pages({"0,50,1"}, nullptr, nullptr, parse); }), ErrorKind::Layout);
    EXPECT_EQ(kind_of([&] { spojscore::merge_pages({"0,30,0", "30,30,0"}, nullptr, nullptr, parse); }), ErrorKind::Layout);
    EXPECT_EQ(kind_of([&] { spojscore::merge_pages({"0,50,1", "0,50,1"}, nullptr, nullptr, parse); }), ErrorKind::Layout);
    EXPECT_EQ(kind_of([&] { spojscore::merge_pages({}, nullptr, nullptr, parse); }), ErrorKind::InvalidArgument);
}

TEST(MergePages, CancelIsPolledBeforeEveryPage) {
    int parsed = 0;
    auto parse = [&parsed](std::string_view, std::string_view) {
        ++parsed;
        return page_of(parsed * 50, 50, true);
    };
    // Says stop once two pages have been parsed.
    auto cancel = [](void* arg) { return *static_cast<int*>(arg) >= 2; };
    EXPECT_EQ(kind_of([&] { spojscore::merge_pages({"a", "b", "c", "d"}, cancel, &parsed, parse); }),
              ErrorKind::Cancelled);
    EXPECT_EQ(parsed, 2);
}
