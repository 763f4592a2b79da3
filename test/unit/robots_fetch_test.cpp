// robots.txt before a crawl or a profile fetch, against spojfix.py's robots=<mode>: allow,
// disallow (nothing requested), Crawl-delay (measured as the least gap between request
// starts, over every connection), 404 (no rules), 500 (unreachable: no crawl), off.
#include "core/robots_check.hpp"

#include <gtest/gtest.h>

#include "core/crawl.hpp"
#include "core/fetch.hpp"
#include "core/profile_page.hpp"
#include "fetch_test_util.hpp"

using spojscore::Error;
using spojscore::ErrorKind;
using spojscore::FetchOptions;
using namespace fetchtest;

namespace {

class RobotsFetch : public FixtureTest {};

Error crawl_error(const FetchOptions& o) {
    return thrown([&] { spojscore::crawl_classical(o); });
}
long robots_hits(const std::string& segment) {
    return static_cast<long>(spojfix::hits(segment).number("robots_requests"));
}

}  // namespace

// Our group allows the list ("*" is shut out): one robots.txt request, then the pages.
TEST_F(RobotsFetch, AllowedByOurGroup) {
    const std::string segment = "ok,robots=allow";
    EXPECT_EQ(spojscore::crawl_classical(options(segment)).rows.size(), 130u);
    EXPECT_EQ(robots_hits(segment), 1);
    EXPECT_EQ(spojfix::hits(segment).requests(), 3);
}

// Disallowed: fails at once, Refused, and not one list request reaches the site.
TEST_F(RobotsFetch, DisallowedListFailsBeforeAnyRequest) {
    const std::string segment = "ok,robots=disallow";
    Stopwatch watch;
    Error e = crawl_error(options(segment));
    EXPECT_TRUE(is_error(e, ErrorKind::Refused, "robots.txt at " + spojfix::base(segment) +
                                                    "/robots.txt disallows /problems/classical/sort=0,start=0 "
                                                    "for user-agent \"spojscore\""));
    EXPECT_LT(watch.ms(), 2000);
    EXPECT_EQ(robots_hits(segment), 1);
    EXPECT_EQ(spojfix::hits(segment).requests(), 0);
}

// A custom User-Agent: its own product token picks the group ("*" here, which allows).
TEST_F(RobotsFetch, CustomUserAgentUsesItsToken) {
    FetchOptions o = options("ok,robots=disallow,t=ua");
    o.user_agent = "CorpMirror/2.0 (+https://corp.example)";
    EXPECT_EQ(spojscore::crawl_classical(o).rows.size(), 130u);
}

// 404 (and any 4xx): no rules. Without robots=, spojfix answers 404: every other test relies on it.
TEST_F(RobotsFetch, NotFoundMeansNoRules) {
    for (const std::string segment : {"ok,robots=404", "ok,robots=403", "ok,t=norobots"}) {
        EXPECT_EQ(spojscore::crawl_classical(options(segment)).rows.size(), 130u) << segment;
        EXPECT_EQ(robots_hits(segment), 1) << segment;
    }
}

// 500: retried like a page, then "unreachable": the crawl fails, no page requested.
TEST_F(RobotsFetch, ServerErrorMeansDoNotCrawl) {
    const std::string segment = "ok,robots=500";
    Error e = crawl_error(options(segment));
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "robots.txt is unreachable (HTTP 500 from " + spojfix::base(segment) +
                                                    "/robots.txt (after 2 retries)): RFC 9309"));
    EXPECT_EQ(robots_hits(segment), 3);
    EXPECT_EQ(spojfix::hits(segment).requests(), 0);
    // 503 ends it at once, as for pages.
    EXPECT_TRUE(is_error(crawl_error(options("ok,robots=503")), ErrorKind::Network, "HTTP 503"));
    EXPECT_EQ(robots_hits("ok,robots=503"), 1);
}

// The check turned off: robots.txt is not even requested.
TEST_F(RobotsFetch, OffMeansNoRequest) {
    FetchOptions o = options("ok,robots=disallow,t=off");
    o.robots_txt = false;
    EXPECT_EQ(spojscore::crawl_classical(o).rows.size(), 130u);
    EXPECT_EQ(robots_hits("ok,robots=disallow,t=off"), 0);
}

// Crawl-delay: 1 s between the starts of any two requests, robots.txt included, with 3
// connections (each would otherwise start at once, page_delay 0).
TEST_F(RobotsFetch, CrawlDelaySpacesEveryRequest) {
    const std::string segment = "ok,robots=delay,crawl_delay=1";
    FetchOptions o = options(segment);
    o.connections = 3;
    Stopwatch watch;
    EXPECT_EQ(spojscore::crawl_classical(o).rows.size(), 130u);
    auto hits = spojfix::hits(segment);
    long requests = hits.requests() + static_cast<long>(hits.number("robots_requests"));
    EXPECT_GE(requests, 4);
    // Measured where the server reads each request, not where it starts: a reused
    // connection may arrive up to a few ms "early" against a new one.
    EXPECT_GE(hits.number("min_gap_all_ms"), 1000 - 15) << hits.json;
    EXPECT_GE(watch.ms(), (requests - 1) * 1000 - 15);
    EXPECT_EQ(spojscore::site_crawl_delay(spojfix::base(segment)), 1000);
}

// A Crawl-delay that cannot fit the budget: refused at once, before any page.
TEST_F(RobotsFetch, CrawlDelayBeyondTheBudgetFailsFast) {
    const std::string segment = "ok,robots=delay,crawl_delay=20";
    Stopwatch watch;
    Error e = crawl_error(options(segment));  // run budget 30 s
    EXPECT_TRUE(is_error(e, ErrorKind::Refused, "Crawl-delay of 20 s, more than half the run budget"));
    EXPECT_LT(watch.ms(), 2000);
    EXPECT_EQ(spojfix::hits(segment).requests(), 0);

    // Fits twice but not for every page: the fetcher says so when the next start would be late.
    const std::string slow = "ok,robots=delay,crawl_delay=2";
    FetchOptions o = options(slow);
    o.run_budget_ms = 5000;
    Stopwatch watch2;
    e = crawl_error(o);
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "cannot start within the run's 5 s budget at the Crawl-delay of 2 s"));
    EXPECT_LT(watch2.ms(), 4500);
}

// Profiles: robots.txt once per call; a disallowed /users/ path is never requested.
TEST_F(RobotsFetch, ProfilesObeyRobots) {
    EXPECT_EQ(spojscore::fetch_profile(options("ok,robots=disallow"), "alice").handle, "alice");
    const std::string segment = "ok,robots=disallow_users";
    Error e = thrown([&] { spojscore::fetch_profile(options(segment), "alice"); });
    EXPECT_TRUE(is_error(e, ErrorKind::Refused, "profile of \"alice\": robots.txt at " + spojfix::base(segment) +
                                                    "/robots.txt disallows /users/alice/"));
    EXPECT_EQ(spojfix::hits(segment).requests(), 0);
    EXPECT_EQ(robots_hits(segment), 1);
}
