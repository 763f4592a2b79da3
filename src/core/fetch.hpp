// Fetches numbered pages over one libcurl multi handle: a few keep-alive connections,
// bounded retries, per-request and whole-run time limits, a body cap, and a cancel
// callback polled every <= 100 ms. Results are handed out in the caller's order.
#pragma once
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "curl_handle.hpp"
#include "error.hpp"
#include "fetch_options.hpp"

namespace spojscore {

struct FetchedPage {
    int page = 0;              // 1-based, as requested
    std::string url;           // the URL that answered (a redirect's target, if any)
    std::string body;          // complete, decoded, <= max_page_bytes
    std::string content_type;  // the Content-Type header value (text/html...)
    long status = 200;         // 200, or the 4xx a robots.txt request got
};

struct FetchCounters {
    int requests = 0;          // transfers started, retries included
    int retries = 0;
    std::int64_t bytes = 0;    // body bytes received, retries included
};

// Crawl-delay (robots.txt): at least `delay_ms` between the starts of any two requests
// this process sends to `site` (a site_root), over every Fetcher and connection. Kept for
// the life of the process, so that one backend's successive calls keep the pace too.
void set_site_crawl_delay(std::string_view site, long delay_ms);
long site_crawl_delay(std::string_view site);

class Fetcher {
public:
    // Validates `options` (Error(InvalidArgument)); starts the run-budget clock.
    explicit Fetcher(const FetchOptions& options);
    ~Fetcher();
    Fetcher(const Fetcher&) = delete;
    Fetcher& operator=(const Fetcher&) = delete;

    // Queues `url` as page `page`; pages must be requested in increasing order. The
    // transfer starts when a connection is free (and its politeness delay and the site's
    // Crawl-delay have passed). `robots_txt`: any content type is accepted, and a 4xx
    // other than 429 is a result (status set, body empty), not an error.
    void request(int page, std::string url, bool robots_txt = false);

    // Waits for page `page` and returns it, following up to max_redirects redirects
    // that redirect_refusal() allows. Throws Error for that page's failure (Network,
    // a refused redirect included, naming its target; Layout for a wrong content type;
    // SizeLimit), each naming the URL that answered, for a 429/503 on any page,
    // for the run budget and for a cancel (Cancelled). Every connection is closed
    // before anything is thrown.
    FetchedPage take(int page);

    // Aborts all transfers and closes every connection. Idempotent.
    void close() noexcept;

    const FetchCounters& counters() const noexcept { return counters_; }

private:
    using Clock = std::chrono::steady_clock;
    struct Slot;
    struct Pending {
        int page;
        std::string url;
        bool robots_txt;
    };

    bool queue_startable() const;
    void start_ready(Clock::time_point now);
    bool may_start_now(Clock::time_point now);  // the site's Crawl-delay; records the start
    bool drain_messages();  // true when a transfer finished
    void finish(Slot& slot, CURLcode code);
    void configure(Slot& slot);
    void configure_proxy(CURL* easy);
    [[noreturn]] void fail(const Error& error);
    long poll_timeout_ms(Clock::time_point now) const;

    FetchOptions options_;
    Clock::time_point started_;
    CurlSlist headers_;
    CurlMulti multi_;
    std::vector<std::unique_ptr<Slot>> slots_;
    std::deque<Pending> queue_;
    std::map<int, FetchedPage> done_;
    std::map<int, Error> failed_;
    std::optional<Error> fatal_;    // 429/503: ends the run whatever page is awaited
    std::string site_;              // site_root(base_url): the key of the Crawl-delay pacing
    Clock::time_point paced_until_{};  // when a transfer waiting for the Crawl-delay may start
    int last_requested_ = 0;
    int last_taken_ = 0;
    FetchCounters counters_;
};

}  // namespace spojscore
