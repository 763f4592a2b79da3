// The crawler against spojfix.py pages, with the real list-page parser unless a test
// injects one to pin down merge rules.
#include "core/crawl.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "core/version.hpp"
#include "fetch_test_util.hpp"

using spojscore::CrawlResult;
using spojscore::CrawlStop;
using spojscore::Error;
using spojscore::ErrorKind;
using spojscore::FetchOptions;
using spojscore::ListPage;
using spojscore::PageKind;
using spojscore::ProblemRow;
using namespace fetchtest;

namespace {

class Crawl : public FixtureTest {};

Error crawl_error(const FetchOptions& o) {
    return thrown([&] { spojscore::crawl_classical(o); });
}

}  // namespace

// P1: 3 pages of 50, 50, 30 rows.
TEST_F(Crawl, HappyPathThreePages) {
    FetchOptions o = options("ok");
    CrawlResult r = spojscore::crawl_classical(o);
    EXPECT_EQ(r.rows.size(), 130u);
    EXPECT_EQ(r.stop, CrawlStop::LastPage);
    EXPECT_EQ(r.stats.pages, 3);
    EXPECT_EQ(r.stats.requests, 3);
    EXPECT_EQ(r.stats.rows_seen, 130);
    EXPECT_EQ(r.stats.duplicates, 0);
    EXPECT_EQ(r.stats.invalid, 0);
    EXPECT_EQ(r.stats.retries, 0);
    EXPECT_GT(r.stats.bytes, 3 * 10000);
    EXPECT_EQ(spojfix::hits("ok").max_start(), 100);
}

TEST_F(Crawl, TrailingSlashInBaseUrl) {
    FetchOptions o = options("ok");
    o.base_url += "/";
    EXPECT_EQ(spojscore::crawl_classical(o).rows.size(), 130u);
    EXPECT_EQ(spojscore::classical_page_url("https://www.spoj.com/", 3),
              "https://www.spoj.com/problems/classical/sort=0,start=100");
}

// N1: page 1 fails after 2 retries; nothing after it is requested.
TEST_F(Crawl, Http500OnPage1StopsTheRun) {
    Error e = crawl_error(options("status,code=500"));
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "page 1: HTTP 500 from"));
    auto hits = spojfix::hits("status,code=500");
    EXPECT_EQ(hits.requests(), 3);
    EXPECT_EQ(hits.max_start(), 0);
}

// N2: 404 on page 5 of 10; pages 6+ are never requested.
TEST_F(Crawl, Http404OnPage5) {
    const std::string segment = "status,code=404,page=5,total=500";
    Error e = crawl_error(options(segment));
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "page 5: HTTP 404 from " + spojfix::base(segment) +
                                                    "/problems/classical/sort=0,start=200"));
    EXPECT_EQ(spojfix::hits(segment).max_start(), 200);
    EXPECT_EQ(spojfix::hits(segment).requests(), 5);
}

// N3: 429 on page 3: no retry, requests = pages before + 1.
TEST_F(Crawl, Http429OnPage3StopsAtOnce) {
    const std::string segment = "status,code=429,retry_after=120,page=3,total=500";
    Error e = crawl_error(options(segment));
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "page 3: HTTP 429"));
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "Retry-After: 120"));
    EXPECT_EQ(spojfix::hits(segment).requests(), 3);
}

// A 503 on a page ahead of the one being parsed ends the run too.
TEST_F(Crawl, Http503AheadStopsTheRunWithSeveralConnections) {
    const std::string segment = "status,code=503,page=2,total=500,latency=20";
    FetchOptions o = options(segment);
    o.connections = 4;
    EXPECT_TRUE(is_error(crawl_error(o), ErrorKind::Network, "page 2: HTTP 503"));
    // Pages 1-4 go out at once; page 5 may follow page 1's Next before the 503 lands.
    EXPECT_LE(spojfix::hits(segment).requests(), 5);
}

// N4: a 200 challenge page is a layout error naming the page; the real parser decides.
TEST_F(Crawl, BlockedPageIsALayoutError) {
    EXPECT_TRUE(is_error(crawl_error(options("ok,v_blocked=challenge")), ErrorKind::Layout, "page 1: "));
}

// P7: HTML cut inside a complete transfer.
TEST_F(Crawl, TruncatedHtmlIsALayoutError) {
    EXPECT_TRUE(is_error(crawl_error(options("ok,v_truncate_at=-2000")), ErrorKind::Layout,
                         "page 1: end-of-table marker missing"));
}

// P9: every start= returns page 1: stop at page 2, never run to max_pages.
TEST_F(Crawl, PaginationLoopStopsAtPage2) {
    CrawlResult r = spojscore::crawl_classical(options("loop"));
    EXPECT_EQ(r.stop, CrawlStop::NoNewCodes);
    EXPECT_EQ(r.stats.pages, 2);
    EXPECT_EQ(r.stats.duplicates, 50);
    EXPECT_EQ(r.rows.size(), 50u);
    EXPECT_EQ(spojfix::hits("loop").requests(), 2);
    EXPECT_STREQ(spojscore::crawl_stop_name(r.stop), "pagination is not advancing");
}

TEST_F(Crawl, EmptyTableStops) {
    CrawlResult r = spojscore::crawl_classical(options("ok,v_empty_table=true"));
    EXPECT_EQ(r.stop, CrawlStop::EmptyPage);
    EXPECT_TRUE(r.rows.empty());
}

TEST_F(Crawl, MaxPagesStops) {
    FetchOptions o = options("ok,total=500");
    o.max_pages = 3;
    o.connections = 4;
    CrawlResult r = spojscore::crawl_classical(o);
    EXPECT_EQ(r.stop, CrawlStop::MaxPages);
    EXPECT_EQ(r.rows.size(), 150u);
    EXPECT_EQ(spojfix::hits("ok,total=500").max_start(), 100);
}

// With N connections at most N pages are in flight past the last page known to have
// Next, so a 3-page list is never fetched far past its end.
TEST_F(Crawl, ConnectionsNeverRequestFarPastTheEnd) {
    for (int n : {1, 2, 4, 8}) {
        spojfix::reset();
        FetchOptions o = options("ok,total=130");
        o.connections = n;
        CrawlResult r = spojscore::crawl_classical(o);
        EXPECT_EQ(r.rows.size(), 130u) << n;
        long last_page_requested = spojfix::hits("ok,total=130").max_start() / 50 + 1;
        EXPECT_LE(last_page_requested, 3 + n - 1) << n;
        EXPECT_LE(r.stats.requests, 3 + n - 1) << n;
    }
}

TEST_F(Crawl, ManyConnectionsOverManyPagesKeepPageOrder) {
    FetchOptions o = options("ok,total=1000,latency=5");
    o.connections = 4;
    CrawlResult r = spojscore::crawl_classical(o);
    ASSERT_EQ(r.rows.size(), 1000u);
    EXPECT_EQ(r.stats.pages, 20);
    CrawlResult serial = spojscore::crawl_classical(options("ok,total=1000"));
    ASSERT_EQ(serial.rows.size(), 1000u);
    for (std::size_t i = 0; i < 1000; ++i) EXPECT_EQ(r.rows[i].code, serial.rows[i].code) << i;
}

// Duplicates across and within pages: one row per code, the larger users kept.
TEST_F(Crawl, DedupeKeepsLargerUsers) {
    int call = 0;
    auto parser = [&call](std::string_view, std::string_view) {
        ListPage page;
        page.kind = PageKind::Problems;
        page.table_complete = true;
        auto row = [](const char* code, std::int64_t users) {
            ProblemRow r;
            r.code = code;
            r.name = code;
            r.users = users;
            return r;
        };
        if (++call == 1) {
            page.rows = {row("AAA", 10), row("BBB", 5), row("AAA", 3)};
            page.skipped = {{"bad users", 47}};  // a middle page must hold 50 rows
            page.invalid_utf8_names = 1;
            page.has_next = true;
        } else {
            page.rows = {row("BBB", 7), row("CCC", 1)};
            page.skipped = {{"bad code", 1}};
        }
        return page;
    };
    CrawlResult r = spojscore::crawl_classical(options("ok"), parser);
    ASSERT_EQ(r.rows.size(), 3u);
    EXPECT_EQ(r.rows[0].code, "AAA");
    EXPECT_EQ(r.rows[0].users, 10);
    EXPECT_EQ(r.rows[1].code, "BBB");
    EXPECT_EQ(r.rows[1].users, 7);
    EXPECT_EQ(r.rows[2].code, "CCC");
    EXPECT_EQ(r.stats.duplicates, 2);
    EXPECT_EQ(r.stats.rows_seen, 5);
    EXPECT_EQ(r.stats.invalid, 48);
    EXPECT_EQ(r.stats.invalid_utf8_names, 1);
    EXPECT_EQ(r.stats.pages, 2);
}

// N18: one keep-alive connection for a 1-connection run, the politeness delay between
// requests, the configured User-Agent, no cookies or Authorization.
TEST_F(Crawl, KeepAlivePolitenessAndIdentity) {
    const std::string segment = "ok,total=200";
    FetchOptions o = options(segment);
    o.page_delay_ms = 150;
    o.user_agent = "spojscore-test/1.0 (+unit)";
    CrawlResult r = spojscore::crawl_classical(o);
    EXPECT_EQ(r.rows.size(), 200u);
    auto hits = spojfix::hits(segment);
    EXPECT_EQ(hits.requests(), 4);
    EXPECT_EQ(hits.connections(), 1);
    EXPECT_GE(hits.number("min_gap_ms"), 150);
    EXPECT_EQ(hits.number("auth_or_cookie"), 0);
    EXPECT_NE(hits.json.find("\"spojscore-test/1.0 (+unit)\""), std::string::npos) << hits.json;
}

TEST_F(Crawl, DefaultUserAgentNamesTheVersion) {
    spojscore::crawl_classical(options("ok"));
    const std::string expected = "\"spojscore/" + std::string(spojscore::kVersion) + " (";
    EXPECT_NE(spojfix::hits("ok").json.find(expected), std::string::npos);
}

// N17: whole-run budget.
TEST_F(Crawl, RunBudgetIsEnforced) {
    FetchOptions o = options("ok,total=7500,latency=150");
    o.run_budget_ms = 1000;
    Stopwatch clock;
    Error e = crawl_error(o);
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "run exceeded its 1 s budget after page "));
    EXPECT_LT(clock.ms(), 1000 + 300);
}

TEST_F(Crawl, RetryOnAMiddlePageIsCounted) {
    CrawlResult r = spojscore::crawl_classical(options("status,code=500,page=2,once=1"));
    EXPECT_EQ(r.rows.size(), 130u);
    EXPECT_EQ(r.stats.retries, 1);
    EXPECT_EQ(r.stats.requests, 4);
}

// N11 at crawl level: a truncated transfer is never handed to the parser.
TEST_F(Crawl, IncompleteTransferIsNeverParsed) {
    int parsed = 0;
    auto parser = [&parsed](std::string_view body, std::string_view type) {
        ++parsed;
        return spojscore::parse_list_page(body, type);
    };
    Error e = thrown([&] { spojscore::crawl_classical(options("chunked_cut,page=2"), parser); });
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "page 2: transfer incomplete"));
    EXPECT_EQ(parsed, 1);
}

// N9: ten refused runs, then a good run in the same process.
TEST_F(Crawl, KeepsWorkingAfterTenRefusedRuns) {
    for (int i = 0; i < 10; ++i) {
        FetchOptions o = options("ok");
        o.base_url = "http://127.0.0.1:" + std::to_string(spojfix::closed_port());
        o.retries_per_page = 0;
        o.robots_txt = (i % 2 == 0);  // refused at robots.txt, or at page 1
        EXPECT_TRUE(is_error(crawl_error(o), ErrorKind::Network, o.robots_txt ? "robots.txt is unreachable" : "page 1: "))
            << i;
    }
    EXPECT_EQ(spojscore::crawl_classical(options("ok")).rows.size(), 130u);
}

// Cancel during the politeness delay lands within 500 ms.
TEST_F(Crawl, CancelDuringPageDelay) {
    std::atomic<bool> stop{false};
    FetchOptions o = options("ok");
    o.page_delay_ms = 5000;
    o.should_cancel = [](void* arg) { return static_cast<std::atomic<bool>*>(arg)->load(); };
    o.cancel_arg = &stop;
    std::chrono::steady_clock::time_point cancelled_at;
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(700));
        cancelled_at = std::chrono::steady_clock::now();
        stop = true;
    });
    Error e = crawl_error(o);
    auto landed = std::chrono::steady_clock::now();
    canceller.join();
    EXPECT_TRUE(is_error(e, ErrorKind::Cancelled, "cancelled while fetching page 2"));
    EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(landed - cancelled_at).count(), 500);
    EXPECT_EQ(spojfix::hits("ok").requests(), 1);
}

TEST_F(Crawl, InvalidBaseUrlMakesNoRequest) {
    FetchOptions o = options("ok");
    o.base_url = "http://user:pw@127.0.0.1:" + std::to_string(spojfix::Server::instance().port()) + "/s/ok";
    EXPECT_TRUE(is_error(crawl_error(o), ErrorKind::InvalidArgument, "user information"));
    EXPECT_EQ(spojfix::hits("ok").requests(), 0);
}
