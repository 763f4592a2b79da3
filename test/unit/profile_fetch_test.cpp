// fetch_profile against spojfix.py (/s/<scenario>/users/<handle>/): the happy path, the
// handle check before any request, and the fetcher's faults reworded for a profile.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/profile_page.hpp"
#include "fetch_test_util.hpp"
#include "spojgen_fixture.hpp"

using spojscore::Error;
using spojscore::ErrorKind;
using spojscore::fetch_profile;
using spojscore::FetchOptions;
using spojscore::ProfileKind;
using spojscore::ProfilePage;
using namespace fetchtest;
using spojscore::test::joined;

namespace {

std::string url(const std::string& segment, const std::string& handle) {
    return spojfix::base(segment) + "/users/" + handle + "/";
}

Error profile_error(const std::string& segment, const std::string& handle = "kosaksi") {
    return thrown([&] { fetch_profile(options(segment), handle); });
}

class ProfileFetch : public FixtureTest {};

TEST_F(ProfileFetch, OkProfileMatchesTheGenerator) {
    const ProfilePage page = fetch_profile(options("ok"), "kosaksi");
    const auto gen = spojscore::test::generate_profile("kosaksi", 1, 130, 70);
    EXPECT_EQ(page.kind, ProfileKind::Profile);
    EXPECT_EQ(page.handle, "kosaksi");
    EXPECT_EQ(page.solved.size(), 70u);
    EXPECT_EQ(joined(page.solved), gen.expected.at("solved"));
    EXPECT_EQ(page.points, std::stod(gen.expected.at("points")));
    EXPECT_EQ(page.world_rank, std::stoll(gen.expected.at("world_rank")));
    EXPECT_EQ(page.problems_solved, 70);
    EXPECT_EQ(spojfix::hits("ok").requests(), 1);
}

TEST_F(ProfileFetch, SeedTotalAndCountsComeFromTheScenario) {
    const ProfilePage page = fetch_profile(options("ok,seed=5,total=400,solved=120,todo=30"), "big_user");
    EXPECT_EQ(page.solved.size(), 120u);
    EXPECT_EQ(joined(page.solved), spojscore::test::generate_profile("big_user", 5, 400, 120, 30).expected.at("solved"));
}

TEST_F(ProfileFetch, UnknownUserIsAnInvalidArgument) {
    Error e = profile_error("ok", "nosuchuser");
    EXPECT_TRUE(is_error(e, ErrorKind::InvalidArgument,
                         "unknown SPOJ user \"nosuchuser\" (no profile at " + url("ok", "nosuchuser") + ")"));
}

TEST_F(ProfileFetch, BadHandlesAreRefusedBeforeAnyRequest) {
    const std::string segment = "ok,seed=11";
    for (const std::string& handle : std::vector<std::string>{"", "Kosaksi", "a/b", "../x", "a b", "x?y=1", "%2e%2e",
                                                              std::string(33, 'a'), "\xC3\xA9", "a\r\nHost: x"}) {
        SCOPED_TRACE(handle);
        EXPECT_TRUE(is_error(thrown([&] { fetch_profile(options(segment), handle); }), ErrorKind::InvalidArgument,
                             "invalid SPOJ handle"));
    }
    EXPECT_EQ(spojfix::hits(segment).requests(), 0);
    EXPECT_EQ(spojfix::hits(segment + "/users").requests(), 0);
    fetch_profile(options(segment), "good_one");  // the same segment does count requests
    EXPECT_EQ(spojfix::hits(segment).requests(), 1);
}

TEST_F(ProfileFetch, BadOptionsAreRefusedBeforeAnyRequest) {
    FetchOptions o = options("ok,seed=12");
    o.base_url = "ftp://127.0.0.1/";
    EXPECT_TRUE(is_error(thrown([&] { fetch_profile(o, "kosaksi"); }), ErrorKind::InvalidArgument, "base URL"));
    o = options("ok,seed=12");
    o.connections = 0;
    EXPECT_TRUE(is_error(thrown([&] { fetch_profile(o, "kosaksi"); }), ErrorKind::InvalidArgument, ""));
    EXPECT_EQ(spojfix::hits("ok,seed=12").requests(), 0);
}

TEST_F(ProfileFetch, Http500IsRetriedThenNamesTheProfile) {
    const std::string segment = "status,code=500";
    EXPECT_TRUE(is_error(profile_error(segment), ErrorKind::Network,
                         "profile of \"kosaksi\": HTTP 500 from " + url(segment, "kosaksi") + " (after 2 retries)"));
    EXPECT_EQ(spojfix::hits(segment).requests(), 3);
}

TEST_F(ProfileFetch, Http500OnceThenOk) {
    EXPECT_EQ(fetch_profile(options("status,code=500,once=1"), "kosaksi").solved.size(), 70u);
    EXPECT_EQ(spojfix::hits("status,code=500,once=1").requests(), 2);
}

TEST_F(ProfileFetch, Http404And429AreNotRetried) {
    EXPECT_TRUE(is_error(profile_error("status,code=404"), ErrorKind::Network, "profile of \"kosaksi\": HTTP 404"));
    EXPECT_EQ(spojfix::hits("status,code=404").requests(), 1);
    EXPECT_TRUE(is_error(profile_error("status,code=429,retry_after=60"), ErrorKind::Network, "Retry-After: 60"));
    EXPECT_EQ(spojfix::hits("status,code=429,retry_after=60").requests(), 1);
}

TEST_F(ProfileFetch, StallWithAShortTimeout) {
    FetchOptions o = options("stall_headers");
    o.request_timeout_ms = 1000;
    o.low_speed_time_s = 60;
    Stopwatch clock;
    Error e = thrown([&] { fetch_profile(o, "kosaksi"); });
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "profile of \"kosaksi\": timed out after 1000 ms from"));
    EXPECT_GE(clock.ms(), 990);
    EXPECT_LE(clock.ms(), 1600);
    EXPECT_LT(spojfix::wait_connections_closed("stall_headers", std::chrono::seconds(1)).count(), 1000);
}

TEST_F(ProfileFetch, OversizeBodies) {
    EXPECT_TRUE(is_error(profile_error("huge"), ErrorKind::SizeLimit, "response body exceeds 2 MiB"));
    EXPECT_TRUE(is_error(profile_error("gzip_bomb"), ErrorKind::SizeLimit, "exceeds"));
    FetchOptions o = options("ok");
    o.max_page_bytes = 4096;  // the generated profile is ~12 KB
    EXPECT_TRUE(is_error(thrown([&] { fetch_profile(o, "kosaksi"); }), ErrorKind::SizeLimit, "exceeds 4 KiB"));
}

TEST_F(ProfileFetch, TruncatedTransfersAndBodies) {
    EXPECT_TRUE(is_error(profile_error("short,declared=20000,sent=5000"), ErrorKind::Network, "transfer incomplete"));
    // A whole HTTP reply whose HTML is cut short is not a profile with fewer codes.
    EXPECT_TRUE(is_error(profile_error("ok,v_truncate_at=9000"), ErrorKind::Layout, "layout not recognised"));
}

TEST_F(ProfileFetch, ChallengeAndWrongContentType) {
    EXPECT_TRUE(is_error(profile_error("ok,v_blocked=challenge"), ErrorKind::Layout,
                         "profile of \"kosaksi\": not a profile page: bot challenge"));
    EXPECT_TRUE(is_error(profile_error("ctype,type=json"), ErrorKind::Layout, "unexpected content type"));
}

TEST_F(ProfileFetch, Redirects) {
    EXPECT_EQ(fetch_profile(options("redirect,to=ok"), "kosaksi").solved.size(), 70u);
    EXPECT_TRUE(is_error(profile_error("redirect,to=file"), ErrorKind::Network, "refused"));
}

TEST_F(ProfileFetch, CancelDuringAStall) {
    FetchOptions o = options("stall_headers,seconds=10");
    std::atomic<bool> stop{false};
    o.should_cancel = [](void* arg) { return static_cast<std::atomic<bool>*>(arg)->load(); };
    o.cancel_arg = &stop;
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        stop = true;
    });
    Stopwatch clock;
    Error e = thrown([&] { fetch_profile(o, "kosaksi"); });
    canceller.join();
    EXPECT_TRUE(is_error(e, ErrorKind::Cancelled, "cancelled while fetching the profile of \"kosaksi\""));
    EXPECT_LT(clock.ms(), 300 + 500);
}

}  // namespace
