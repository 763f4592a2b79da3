// The fetch layer against spojfix.py faults (RELIABILITY N1-N16, S5, S6, S10, cancel).
#include "core/fetch.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <thread>

#include "core/base_url.hpp"
#include "core/crawl.hpp"
#include "fetch_test_util.hpp"

using spojscore::Error;
using spojscore::ErrorKind;
using spojscore::FetchedPage;
using spojscore::Fetcher;
using spojscore::FetchOptions;
using namespace fetchtest;

namespace {

// Fetches page `page` of the scenario; `fetcher` is kept for its counters.
FetchedPage fetch(Fetcher& fetcher, const FetchOptions& o, int page = 1) {
    fetcher.request(page, spojscore::classical_page_url(o.base_url, page));
    return fetcher.take(page);
}

Error fetch_error(const std::string& segment, FetchOptions o, int* requests = nullptr) {
    o.base_url = spojfix::base(segment);
    Fetcher fetcher(o);
    Error e = thrown([&] { fetch(fetcher, o); });
    if (requests) *requests = fetcher.counters().requests;
    return e;
}

Error fetch_error(const std::string& segment) { return fetch_error(segment, options(segment)); }

class Fetch : public FixtureTest {};

}  // namespace

TEST_F(Fetch, OkPageIsHtmlWithinTheCap) {
    FetchOptions o = options("ok");
    Fetcher fetcher(o);
    FetchedPage page = fetch(fetcher, o);
    EXPECT_EQ(page.page, 1);
    EXPECT_NE(page.body.find("</html>"), std::string::npos);
    EXPECT_EQ(page.content_type.rfind("text/html", 0), 0u) << page.content_type;
    EXPECT_EQ(fetcher.counters().requests, 1);
    EXPECT_EQ(fetcher.counters().bytes, static_cast<std::int64_t>(page.body.size()));
}

// N1: 500 is retried twice (3 requests), then the error names page and URL.
TEST_F(Fetch, Http500IsRetriedTwiceThenFails) {
    int requests = 0;
    Error e = fetch_error("status,code=500", options("status,code=500"), &requests);
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "page 1: HTTP 500 from " + spojfix::base("status,code=500") +
                                                    "/problems/classical/sort=0,start=0 (after 2 retries)"));
    EXPECT_EQ(requests, 3);
    EXPECT_EQ(spojfix::hits("status,code=500").requests(), 3);
}

TEST_F(Fetch, Http502And504AreRetried) {
    for (const char* segment : {"status,code=502", "status,code=504"}) {
        int requests = 0;
        EXPECT_TRUE(is_error(fetch_error(segment, options(segment), &requests), ErrorKind::Network, "HTTP 50"));
        EXPECT_EQ(requests, 3) << segment;
    }
}

TEST_F(Fetch, Http500OnceThenOkSucceedsWithOneRetry) {
    FetchOptions o = options("status,code=500,once=1");
    Fetcher fetcher(o);
    EXPECT_NE(fetch(fetcher, o).body.find("</html>"), std::string::npos);
    EXPECT_EQ(fetcher.counters().retries, 1);
    EXPECT_EQ(fetcher.counters().requests, 2);
}

// N2/N4: client errors are not retried.
TEST_F(Fetch, Http404And403AreNotRetried) {
    for (int code : {404, 403}) {
        std::string segment = "status,code=" + std::to_string(code);
        int requests = 0;
        EXPECT_TRUE(is_error(fetch_error(segment, options(segment), &requests), ErrorKind::Network,
                             "page 1: HTTP " + std::to_string(code) + " from"));
        EXPECT_EQ(requests, 1);
    }
}

// N3: 429 and 503 stop at once, no retry, Retry-After quoted.
TEST_F(Fetch, Http429StopsAtOnceWithRetryAfter) {
    int requests = 0;
    Error e = fetch_error("status,code=429,retry_after=120", options("status,code=429,retry_after=120"), &requests);
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "HTTP 429"));
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "Retry-After: 120"));
    EXPECT_EQ(requests, 1);
}

TEST_F(Fetch, Http503StopsAtOnce) {
    int requests = 0;
    Error e = fetch_error("status,code=503", options("status,code=503"), &requests);
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "page 1: HTTP 503 from"));
    EXPECT_EQ(std::string(e.what()).find("Retry-After"), std::string::npos);
    EXPECT_EQ(requests, 1);
}

// N5: stall before headers with a 2 s request timeout -> 2.0-2.6 s, socket closed.
TEST_F(Fetch, StallBeforeHeadersTimesOut) {
    FetchOptions o = options("stall_headers");
    o.request_timeout_ms = 2000;
    o.low_speed_time_s = 60;
    Stopwatch clock;
    Error e = fetch_error("stall_headers", o);
    long ms = clock.ms();
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "page 1: timed out after 2000 ms from"));
    EXPECT_GE(ms, 1990);  // libcurl's timer may fire a millisecond early
    EXPECT_LE(ms, 2600);
    EXPECT_LT(spojfix::wait_connections_closed("stall_headers", std::chrono::seconds(1)).count(), 1000);
}

// N6: headers and 1 KiB, then silence -> the low-speed guard or the page timeout,
// whichever comes first (libcurl averages speed over a few seconds), within the
// configured time + 500 ms; the socket is closed within 1 s.
TEST_F(Fetch, StallMidBodyTimesOut) {
    FetchOptions o = options("stall_body");
    o.low_speed_time_s = 2;
    o.request_timeout_ms = 3000;
    Stopwatch clock;
    Error e = fetch_error("stall_body", o);
    long ms = clock.ms();
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "page 1: "));
    EXPECT_TRUE(std::string(e.what()).find("slower than 512 bytes/s for 2 s") != std::string::npos ||
                std::string(e.what()).find("timed out after 3000 ms") != std::string::npos)
        << e.what();
    EXPECT_LE(ms, 3000 + 500);
    EXPECT_LT(spojfix::wait_connections_closed("stall_body", std::chrono::seconds(1)).count(), 1000);
}

// N7: slow but steady (about 2 s at 20 KiB/s) stays above the low-speed floor.
TEST_F(Fetch, SlowSteadyPageSucceeds) {
    FetchOptions o = options("slow,rate=20480");
    Fetcher fetcher(o);
    Stopwatch clock;
    EXPECT_NE(fetch(fetcher, o).body.find("</html>"), std::string::npos);
    EXPECT_GE(clock.ms(), 1000);
}

// N8: one byte every 2 s -> aborted by the low-speed guard within low_speed_time + 1 s.
TEST_F(Fetch, SlowDripIsAborted) {
    Stopwatch clock;
    Error e = fetch_error("drip");
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "slower than 512 bytes/s"));
    EXPECT_LE(clock.ms(), 3000);
}

// N9: refused connections fail fast, are retried with a short backoff.
TEST_F(Fetch, ConnectionRefusedFailsFast) {
    FetchOptions o = options("ok");
    o.base_url = "http://127.0.0.1:" + std::to_string(spojfix::closed_port());
    Fetcher fetcher(o);
    Stopwatch clock;
    Error e = thrown([&] { fetch(fetcher, o); });
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "page 1: "));
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "onnect")) << e.what();
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "(after 2 retries)"));
    EXPECT_LT(clock.ms(), 200 + 250 + 500);
    EXPECT_EQ(fetcher.counters().requests, 3);
}

// N10: RST mid-body is retried, then reported; a single RST is survived.
TEST_F(Fetch, ResetMidBodyIsRetriedThenFails) {
    int requests = 0;
    Error e = fetch_error("reset", options("reset"), &requests);
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "Connection reset by peer"));
    EXPECT_EQ(requests, 3);
}

TEST_F(Fetch, ResetOnceThenOk) {
    FetchOptions o = options("reset,once=1");
    Fetcher fetcher(o);
    EXPECT_NE(fetch(fetcher, o).body.find("</html>"), std::string::npos);
    EXPECT_EQ(fetcher.counters().retries, 1);
}

// N11: a short body or a chunked body without its last chunk is an error, never a page.
TEST_F(Fetch, ShortBodyIsIncomplete) {
    int requests = 0;
    Error e = fetch_error("short", options("short"), &requests);
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "page 1: transfer incomplete"));
    EXPECT_EQ(requests, 3);
}

TEST_F(Fetch, ChunkedWithoutFinalChunkIsIncomplete) {
    EXPECT_TRUE(is_error(fetch_error("chunked_cut"), ErrorKind::Network, "page 1: transfer incomplete"));
}

// N12: a 50 MB Content-Length is refused before downloading.
TEST_F(Fetch, HugeContentLengthIsRefusedEarly) {
    Stopwatch clock;
    EXPECT_TRUE(is_error(fetch_error("huge"), ErrorKind::SizeLimit, "page 1: response body exceeds 2 MiB from"));
    EXPECT_LT(clock.ms(), 1000);
}

// N13: an endless chunked body is cut by the write-callback cap.
TEST_F(Fetch, EndlessChunkedBodyIsCappedInTheWriteCallback) {
    Stopwatch clock;
    EXPECT_TRUE(is_error(fetch_error("endless"), ErrorKind::SizeLimit, "exceeds 2 MiB"));
    EXPECT_LT(clock.ms(), 3000);
}

TEST_F(Fetch, CapIsFormattedFromTheOption) {
    FetchOptions o = options("endless");
    o.max_page_bytes = 100 * 1024;
    EXPECT_TRUE(is_error(fetch_error("endless", o), ErrorKind::SizeLimit, "exceeds 100 KiB"));
}

// N14: a gzip bomb is capped on decoded bytes; without gzip it is opaque bytes.
TEST_F(Fetch, GzipBombIsCappedOnDecodedBytes) {
    Stopwatch clock;
    EXPECT_TRUE(is_error(fetch_error("gzip_bomb"), ErrorKind::SizeLimit, "exceeds 2 MiB"));
    EXPECT_LT(clock.ms(), 3000);
}

TEST_F(Fetch, GzipBombWithoutGzipIsOpaqueBytes) {
    FetchOptions o = options("gzip_bomb");
    o.accept_gzip = false;
    Fetcher fetcher(o);
    FetchedPage page = fetch(fetcher, o);
    EXPECT_LT(page.body.size(), 1u << 20);
    EXPECT_EQ(page.body.substr(0, 2), "\x1f\x8b");  // gzip magic: never decoded
}

// S6: redirects to other protocols are refused and the sink never sees a connection.
TEST_F(Fetch, RedirectToOtherProtocolsIsRefused) {
    for (const char* to : {"file", "gopher", "ftp", "dict"}) {
        std::string segment = std::string("redirect,to=") + to;
        EXPECT_TRUE(is_error(fetch_error(segment), ErrorKind::Network,
                             std::string("page 1: redirect to ") + to + ":")) << to;
        EXPECT_TRUE(is_error(fetch_error(segment), ErrorKind::Network, "is not http or https) from")) << to;
        EXPECT_EQ(spojfix::hits(segment).sink_hits(), 0) << to;
    }
}

TEST_F(Fetch, RedirectLoopStopsAfterThreeRedirects) {
    EXPECT_TRUE(is_error(fetch_error("redirect,to=loop"), ErrorKind::Network, "page 1: more than 3 redirects from"));
    EXPECT_EQ(spojfix::hits("redirect,to=loop").requests(), 4);
}

TEST_F(Fetch, HttpRedirectWithinTheLimitIsFollowed) {
    FetchOptions o = options("redirect,to=ok");
    Fetcher fetcher(o);
    EXPECT_NE(fetch(fetcher, o).body.find("</html>"), std::string::npos);
    EXPECT_EQ(spojfix::hits("ok,total=130,seed=1").requests(), 1);
}

// An http redirect is followed (up to max_redirects); the final reply is judged as usual.
TEST_F(Fetch, HttpRedirectToTheSinkPathIsFollowedOnce) {
    EXPECT_TRUE(is_error(fetch_error("redirect,to=sink"), ErrorKind::Network, "page 1: HTTP 404 from"));
    EXPECT_EQ(spojfix::hits("redirect,to=sink").sink_hits(), 1);
}

TEST_F(Fetch, RedirectsAreNotFollowedWhenDisabled) {
    FetchOptions o = options("redirect,to=sink");
    o.max_redirects = 0;
    EXPECT_TRUE(is_error(fetch_error("redirect,to=sink", o), ErrorKind::Network, "page 1: HTTP 302 redirect not followed"));
    EXPECT_EQ(spojfix::hits("redirect,to=sink").sink_hits(), 0);
}

TEST_F(Fetch, RedirectWithoutLocationIsAnError) {
    EXPECT_TRUE(is_error(fetch_error("redirect,to=none"), ErrorKind::Network, "HTTP 302 redirect not followed"));
}

// N15
TEST_F(Fetch, WrongContentTypeIsALayoutError) {
    for (const char* type : {"json", "png", "plain", "none"}) {
        std::string segment = std::string("ctype,type=") + type;
        EXPECT_TRUE(is_error(fetch_error(segment), ErrorKind::Layout, "page 1: unexpected content type")) << type;
    }
}

// N16: header abuse ends in a clean error or a page, never a crash.
TEST_F(Fetch, HeaderAbuseIsHandledCleanly) {
    for (const char* kind : {"long", "many", "cr"}) {
        std::string segment = std::string("header,kind=") + kind;
        FetchOptions o = options(segment);
        Fetcher fetcher(o);
        try {
            EXPECT_NE(fetch(fetcher, o).body.find("</html>"), std::string::npos) << kind;
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::Network) << kind << ": " << e.what();
        }
    }
    for (const char* kind : {"nostatus", "http09"})
        EXPECT_TRUE(is_error(fetch_error(std::string("header,kind=") + kind), ErrorKind::Network, "page 1: ")) << kind;
}

// S5: forbidden schemes and shapes never reach the network.
TEST_F(Fetch, ForbiddenBaseUrlsAreInvalidArguments) {
    std::string sink = "127.0.0.1:" + std::to_string(spojfix::sink_port());
    const std::string bad[] = {"file:///etc/passwd", "gopher://" + sink + "/", "dict://" + sink + "/",
                               "ftp://" + sink + "/", "http://user:pw@127.0.0.1/", "https://user@www.spoj.com",
                               "", std::string(10 * 1024, 'a'), "http://www.spoj.com", "http://10.0.0.1/",
                               "http://127.0.0.1.evil.example/", "http://localhost.evil/", "https://www.spoj.com/#x",
                               "https://www.spoj.com/?q=1", "https://", "https://www.spoj.com:99999/",
                               "https://www.spoj .com/", "http://[::2]/"};
    for (const std::string& url : bad) {
        FetchOptions o = options("ok");
        o.base_url = url;
        EXPECT_TRUE(is_error(thrown([&] { Fetcher f(o); }), ErrorKind::InvalidArgument, "invalid base URL"))
            << url.substr(0, 60);
    }
    EXPECT_EQ(spojfix::hits("none").sink_hits(), 0);
}

TEST_F(Fetch, AllowedBaseUrls) {
    for (const char* url : {"https://www.spoj.com", "https://www.spoj.com/", "HTTPS://spoj.com:443/x",
                            "http://127.0.0.1:8080/s/ok", "http://127.9.9.9/", "http://localhost",
                            "http://LOCALHOST:1/", "http://[::1]:8080/"})
        EXPECT_NO_THROW(spojscore::validate_base_url(url)) << url;
}

// S5, second line of defence: a URL that bypassed validation is refused by libcurl.
TEST_F(Fetch, OtherProtocolsAreRefusedByLibcurl) {
    FetchOptions o = options("ok");
    Fetcher fetcher(o);
    fetcher.request(1, "gopher://127.0.0.1:" + std::to_string(spojfix::sink_port()) + "/");
    EXPECT_TRUE(is_error(thrown([&] { fetcher.take(1); }), ErrorKind::Network, "page 1: refused: "));
    EXPECT_EQ(spojfix::hits("none").sink_hits(), 0);
}

TEST_F(Fetch, OutOfRangeOptionsAreInvalidArguments) {
    FetchOptions o = options("ok");
    o.connections = 0;
    EXPECT_TRUE(is_error(thrown([&] { Fetcher f(o); }), ErrorKind::InvalidArgument, "connections"));
    o.connections = 9;
    EXPECT_TRUE(is_error(thrown([&] { Fetcher f(o); }), ErrorKind::InvalidArgument, "connections"));
    o = options("ok");
    o.request_timeout_ms = 0;  // 0 must not mean "no timeout"
    EXPECT_TRUE(is_error(thrown([&] { Fetcher f(o); }), ErrorKind::InvalidArgument, "request_timeout_ms"));
    o = options("ok");
    o.user_agent = "evil\r\nCookie: x";
    EXPECT_TRUE(is_error(thrown([&] { Fetcher f(o); }), ErrorKind::InvalidArgument, "user_agent"));
}

// S10: proxy environment variables are ignored (CURLOPT_PROXY "").
TEST_F(Fetch, ProxyEnvironmentIsIgnored) {
    std::string sink = "http://127.0.0.1:" +
                       std::to_string(spojfix::sink_port());
    for (const char* name : {"no_proxy", "NO_PROXY"}) unsetenv(name);
    for (const char* name : {"http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"})
        setenv(name, sink.c_str(), 1);

    // Sanity: a handle without CURLOPT_PROXY does go to the sink, so the check below means something.
    CURL* plain = curl_easy_init();
    curl_easy_setopt(plain, CURLOPT_URL, (spojfix::base("ok") + "/problems/classical/sort=0,start=0").c_str());
    curl_easy_setopt(plain, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(plain, CURLOPT_TIMEOUT_MS, 2000L);
    curl_easy_perform(plain);
    curl_easy_cleanup(plain);
    long via_env = spojfix::hits("none").sink_hits();

    FetchOptions o = options("ok");
    Fetcher fetcher(o);
    EXPECT_NO_THROW(fetch(fetcher, o));
    long after = spojfix::hits("none").sink_hits();
    for (const char* name : {"http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"}) unsetenv(name);
    EXPECT_EQ(via_env, 1);
    EXPECT_EQ(after, via_env);
    EXPECT_EQ(spojfix::hits("ok").requests(), 1);
}

// Cancel from another thread lands within 500 ms and closes the socket.
TEST_F(Fetch, CancelFromAnotherThreadDuringAStall) {
    std::atomic<bool> stop{false};
    FetchOptions o = options("stall_body");
    o.low_speed_time_s = 60;
    o.request_timeout_ms = 60000;
    o.should_cancel = [](void* arg) { return static_cast<std::atomic<bool>*>(arg)->load(); };
    o.cancel_arg = &stop;
    std::chrono::steady_clock::time_point cancelled_at;
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        cancelled_at = std::chrono::steady_clock::now();
        stop = true;
    });
    Fetcher fetcher(o);
    Error e = thrown([&] { fetch(fetcher, o); });
    auto landed = std::chrono::steady_clock::now();
    canceller.join();
    EXPECT_TRUE(is_error(e, ErrorKind::Cancelled, "cancelled"));
    EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(landed - cancelled_at).count(), 500);
    EXPECT_LT(spojfix::wait_connections_closed("stall_body", std::chrono::seconds(1)).count(), 1000);
}

TEST_F(Fetch, CancelDuringRetryBackoff) {
    std::atomic<bool> stop{false};
    FetchOptions o = options("status,code=500");
    o.should_cancel = [](void* arg) { return static_cast<std::atomic<bool>*>(arg)->load(); };
    o.cancel_arg = &stop;
    o.retries_per_page = 10;
    Fetcher fetcher(o);
    fetcher.request(1, spojscore::classical_page_url(o.base_url, 1));
    std::chrono::steady_clock::time_point cancelled_at;
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(900));  // inside a 750/1000 ms backoff
        cancelled_at = std::chrono::steady_clock::now();
        stop = true;
    });
    Error e = thrown([&] { fetcher.take(1); });
    auto landed = std::chrono::steady_clock::now();
    canceller.join();
    EXPECT_TRUE(is_error(e, ErrorKind::Cancelled, "cancelled"));
    EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(landed - cancelled_at).count(), 500);
}
