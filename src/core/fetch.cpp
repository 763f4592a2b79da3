#include "fetch.hpp"

#include <curl/header.h>

#include <algorithm>
#include <cctype>
#include <mutex>

#include "base_url.hpp"
#include "proxy.hpp"

#include "base_url.hpp"

namespace spojscore {
namespace {

using std::chrono::milliseconds;

constexpr long kPollSliceMs = 100;   // cancel and budget are checked at least this often
constexpr long kBackoffStepMs = 250;  // retry n waits n x this ...
constexpr long kBackoffMaxMs = 5000;  // ... but never longer than this

template <typename T>
void set_option(CURL* easy, CURLoption option, T value, const char* name) {
    if (curl_easy_setopt(easy, option, value) != CURLE_OK)
        throw Error(ErrorKind::Internal, std::string("libcurl refused option ") + name);
}
#define SET_OPTION(easy, option, value) set_option(easy, option, value, #option)

template <typename T>
void set_multi_option(CURLM* multi, CURLMoption option, T value, const char* name) {
    if (curl_multi_setopt(multi, option, value) != CURLM_OK)
        throw Error(ErrorKind::Internal, std::string("libcurl refused option ") + name);
}
#define SET_MULTI_OPTION(multi, option, value) set_multi_option(multi, option, value, #option)

std::string format_bytes(std::int64_t n) {
    if (n % (1024 * 1024) == 0) return std::to_string(n / (1024 * 1024)) + " MiB";
    if (n % 1024 == 0) return std::to_string(n / 1024) + " KiB";
    return std::to_string(n) + " bytes";
}

std::string format_ms(long ms) {
    if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
    return std::to_string(ms) + " ms";
}

// "text/html; charset=utf-8" -> "text/html"
std::string media_type(const char* content_type) {
    std::string type;
    for (const char* p = content_type; *p && *p != ';'; ++p)
        if (!std::isspace(static_cast<unsigned char>(*p)))
            type += static_cast<char>(std::tolower(static_cast<unsigned char>(*p)));
    return type;
}

// A URL as it may appear in a message: printable ASCII, at most 300 bytes.
std::string shown_url(std::string_view url) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : url.substr(0, 300)) {
        auto u = static_cast<unsigned char>(c);
        if (u > 0x20 && u < 0x7f) {
            out += c;
        } else {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 15];
        }
    }
    if (url.size() > 300) out += "...";
    return out;
}

bool is_redirect(long status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool is_retryable_transport(CURLcode code) {
    switch (code) {
        case CURLE_COULDNT_CONNECT:  // refused
        case CURLE_RECV_ERROR:       // reset
        case CURLE_SEND_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE:     // truncated body: retried, never parsed
            return true;
        default:
            return false;
    }
}

// Per site: when the last request started, and the Crawl-delay robots.txt asked for.
struct SitePace {
    std::chrono::steady_clock::time_point last_start{};
    long delay_ms = 0;
};
std::mutex pace_mutex;
std::map<std::string, SitePace, std::less<>> paces;

}  // namespace

void set_site_crawl_delay(std::string_view site, long delay_ms) {
    std::lock_guard<std::mutex> lock(pace_mutex);
    auto it = paces.find(site);
    if (it == paces.end()) it = paces.emplace(std::string(site), SitePace{}).first;
    it->second.delay_ms = delay_ms;
}

long site_crawl_delay(std::string_view site) {
    std::lock_guard<std::mutex> lock(pace_mutex);
    auto it = paces.find(site);
    return it == paces.end() ? 0 : it->second.delay_ms;
}

struct Fetcher::Slot {
    CurlEasy easy;
    char errbuf[CURL_ERROR_SIZE] = {};
    std::string body;
    std::int64_t cap = 0;
    bool over_cap = false;
    bool out_of_memory = false;
    int page = 0;      // 0: idle
    std::string url;   // the page's URL, where every attempt starts
    std::string at;    // the URL of the current request: `url` or an accepted redirect target
    long hops = 0;     // redirects followed in this attempt
    bool following = false;  // the next request continues a redirect (same attempt)
    bool robots_txt = false;  // this request is <site>/robots.txt
    int attempts = 0;  // retries already spent on this page
    bool active = false;  // added to the multi handle
    Clock::time_point ready_at{};

    // libcurl write callback: must not throw; returning less than given aborts the
    // transfer with CURLE_WRITE_ERROR. With gzip on, these are decoded bytes.
    static size_t on_body(char* data, size_t size, size_t count, void* arg) noexcept {
        auto* slot = static_cast<Slot*>(arg);
        size_t n = size * count;
        if (static_cast<std::int64_t>(slot->body.size() + n) > slot->cap) {
            slot->over_cap = true;
            return 0;
        }
        try {
            slot->body.append(data, n);
        } catch (...) {
            slot->out_of_memory = true;
            return 0;
        }
        return n;
    }
};

Fetcher::Fetcher(const FetchOptions& options) : options_(options), started_(Clock::now()) {
    validate_fetch_options(options_);
    site_ = std::string(site_root(options_.base_url));
    multi_ = make_curl_multi();
    long connections = options_.connections;
    SET_MULTI_OPTION(multi_.get(), CURLMOPT_MAX_TOTAL_CONNECTIONS, connections);
    SET_MULTI_OPTION(multi_.get(), CURLMOPT_MAX_HOST_CONNECTIONS, connections);
    SET_MULTI_OPTION(multi_.get(), CURLMOPT_MAXCONNECTS, connections);

    curl_slist* list = curl_slist_append(nullptr, "Accept: text/html");
    if (!list) throw Error(ErrorKind::Internal, "curl_slist_append failed");
    headers_.reset(list);

    for (int i = 0; i < options_.connections; ++i) {
        slots_.push_back(std::make_unique<Slot>());
        configure(*slots_.back());
    }
}

Fetcher::~Fetcher() { close(); }

void Fetcher::configure(Slot& slot) {
    slot.easy = make_curl_easy();
    slot.cap = options_.max_page_bytes;
    CURL* e = slot.easy.get();
    SET_OPTION(e, CURLOPT_NOSIGNAL, 1L);  // the backend owns SIGALRM
    SET_OPTION(e, CURLOPT_PROTOCOLS_STR, "http,https");
    // Redirects are followed by finish(), each target checked by redirect_refusal() first.
    SET_OPTION(e, CURLOPT_FOLLOWLOCATION, 0L);
    SET_OPTION(e, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
    SET_OPTION(e, CURLOPT_TIMEOUT_MS, options_.request_timeout_ms);
    SET_OPTION(e, CURLOPT_LOW_SPEED_LIMIT, options_.low_speed_bytes);
    SET_OPTION(e, CURLOPT_LOW_SPEED_TIME, options_.low_speed_time_s);
    // Early reject on Content-Length; the write callback enforces the cap otherwise.
    SET_OPTION(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_page_bytes));
    SET_OPTION(e, CURLOPT_WRITEFUNCTION, &Slot::on_body);
    SET_OPTION(e, CURLOPT_WRITEDATA, static_cast<void*>(&slot));
    SET_OPTION(e, CURLOPT_PRIVATE, static_cast<void*>(&slot));
    SET_OPTION(e, CURLOPT_ERRORBUFFER, slot.errbuf);
    SET_OPTION(e, CURLOPT_USERAGENT, options_.user_agent.c_str());
    SET_OPTION(e, CURLOPT_HTTPHEADER, headers_.get());
    SET_OPTION(e, CURLOPT_SSL_VERIFYPEER, 1L);
    SET_OPTION(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options_.ca_file.empty()) SET_OPTION(e, CURLOPT_CAINFO, options_.ca_file.c_str());
    configure_proxy(e);
    if (options_.accept_gzip) SET_OPTION(e, CURLOPT_ACCEPT_ENCODING, "gzip");
}

void Fetcher::configure_proxy(CURL* e) {
    // Always set: an empty string overrides http_proxy/ALL_PROXY from the environment.
    if (options_.proxy.empty()) {
        SET_OPTION(e, CURLOPT_PROXY, "");
        return;
    }
    // The credentials go in their own options, so that the URL libcurl may quote in an
    // error message never holds them.
    ProxyUrl proxy = parse_proxy_url(options_.proxy);
    SET_OPTION(e, CURLOPT_PROXY, proxy.address.c_str());
    if (!proxy.user.empty()) {
        SET_OPTION(e, CURLOPT_PROXYUSERNAME, proxy.user.c_str());
        SET_OPTION(e, CURLOPT_PROXYPASSWORD, proxy.password.c_str());
    }
    SET_OPTION(e, CURLOPT_NOPROXY, options_.no_proxy.c_str());
    SET_OPTION(e, CURLOPT_HTTPPROXYTUNNEL, options_.proxy_tunnel ? 1L : 0L);
    SET_OPTION(e, CURLOPT_PROXY_SSL_VERIFYPEER, 1L);
    SET_OPTION(e, CURLOPT_PROXY_SSL_VERIFYHOST, 2L);
    if (!options_.ca_file.empty()) SET_OPTION(e, CURLOPT_PROXY_CAINFO, options_.ca_file.c_str());
}

void Fetcher::request(int page, std::string url, bool robots_txt) {
    if (!multi_) throw Error(ErrorKind::Internal, "fetcher used after close");
    if (page <= last_requested_) throw Error(ErrorKind::Internal, "pages must be requested in order");
    last_requested_ = page;
    queue_.push_back({page, std::move(url), robots_txt});
}

void Fetcher::close() noexcept {
    if (!multi_) return;
    for (auto& slot : slots_)
        if (slot->active) curl_multi_remove_handle(multi_.get(), slot->easy.get());
    multi_.reset();  // closes the cached connections
    slots_.clear();
    queue_.clear();
}

void Fetcher::fail(const Error& error) {
    Error copy = error;
    close();
    throw copy;
}

bool Fetcher::queue_startable() const {
    // A page after one that failed for good is never requested.
    return !queue_.empty() && (failed_.empty() || queue_.front().page < failed_.begin()->first);
}

void Fetcher::start_ready(Clock::time_point now) {
    for (auto& slot : slots_) {
        if (slot->active || slot->ready_at > now) continue;
        if (slot->page == 0 && !queue_startable()) continue;
        if (!may_start_now(now)) break;
        if (slot->page == 0) {
            slot->page = queue_.front().page;
            slot->url = std::move(queue_.front().url);
            slot->robots_txt = queue_.front().robots_txt;
            slot->attempts = 0;
            queue_.pop_front();
        }
        if (!slot->following) {
            slot->at = slot->url;
            slot->hops = 0;
        }
        slot->following = false;
        slot->body.clear();
        slot->over_cap = slot->out_of_memory = false;
        slot->errbuf[0] = '\0';
        SET_OPTION(slot->easy.get(), CURLOPT_URL, slot->at.c_str());
        if (curl_multi_add_handle(multi_.get(), slot->easy.get()) != CURLM_OK)
            throw Error(ErrorKind::Internal, "curl_multi_add_handle failed");
        slot->active = true;
        ++counters_.requests;
    }
}

bool Fetcher::drain_messages() {
    bool finished = false;
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_.get(), &left)) {
        if (msg->msg != CURLMSG_DONE) continue;
        CURL* easy = msg->easy_handle;
        CURLcode code = msg->data.result;
        void* slot = nullptr;
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, &slot);
        curl_multi_remove_handle(multi_.get(), easy);
        static_cast<Slot*>(slot)->active = false;
        finish(*static_cast<Slot*>(slot), code);
        finished = true;
    }
    return finished;
}

bool Fetcher::may_start_now(Clock::time_point now) {
    Clock::time_point next;
    long delay = 0;
    {
        std::lock_guard<std::mutex> lock(pace_mutex);
        SitePace& pace = paces[site_];
        delay = pace.delay_ms;
        next = pace.last_start + milliseconds(delay);
        if (delay == 0 || now >= next) {
            pace.last_start = now;
            return true;
        }
    }
    // Waiting past the run budget would only end in a timeout: say why now.
    if (next - started_ >= milliseconds(options_.run_budget_ms))
        fail(Error(ErrorKind::Network, "the next request (after page " + std::to_string(last_taken_) +
                                           ") cannot start within the run's " + format_ms(options_.run_budget_ms) +
                                           " budget at the Crawl-delay of " + format_ms(delay) +
                                           " that robots.txt asks for"));
    paced_until_ = next;
    return false;
}

void Fetcher::finish(Slot& slot, CURLcode code) {
    enum class Verdict { Done, Retry, Fail, Fatal } verdict = Verdict::Fail;
    ErrorKind kind = ErrorKind::Network;
    std::string what;  // why the attempt failed, without page and URL
    CURL* e = slot.easy.get();
    counters_.bytes += static_cast<std::int64_t>(slot.body.size());
    std::string detail = redact_proxy_secrets(slot.errbuf[0] ? slot.errbuf : curl_easy_strerror(code), options_.proxy);

    const char* content_type = nullptr;
    long status = 0;
    if (code == CURLE_OK) {
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &content_type);
        what = "HTTP " + std::to_string(status);
        if (slot.robots_txt && status >= 400 && status < 500 && status != 429 && status != 407) {
            verdict = Verdict::Done;  // RFC 9309: "unavailable", no rules (407 is the proxy's, 429 "back off")
            slot.body.clear();
        } else if (status == 200) {
            std::string type = content_type ? media_type(content_type) : "";
            if (type == "text/html" || slot.robots_txt) {
                verdict = Verdict::Done;
            } else {
                kind = ErrorKind::Layout;
                what = "unexpected content type \"" + (content_type ? std::string(content_type) : "") + "\"";
            }
        } else if (status == 429 || status == 503) {
            // The site asked us to back off: stop the whole run, no retry.
            verdict = Verdict::Fatal;
            curl_header* header = nullptr;
            if (curl_easy_header(e, "Retry-After", 0, CURLH_HEADER, -1, &header) == CURLHE_OK)
                what += " (Retry-After: " + std::string(header->value) + ")";
        } else if (status == 500 || status == 502 || status == 504) {
            verdict = Verdict::Retry;
        } else if (status == 407) {
            what += " (the proxy refused its credentials)";
        } else if (status >= 300 && status < 400) {
            char* location = nullptr;
            if (is_redirect(status) && options_.max_redirects > 0)
                curl_easy_getinfo(e, CURLINFO_REDIRECT_URL, &location);
            std::optional<std::string> refusal;
            if (location == nullptr) {
                what += " redirect not followed";
            } else if (slot.hops >= options_.max_redirects) {
                what = "more than " + std::to_string(options_.max_redirects) + " redirects";
            } else if ((refusal = redirect_refusal(options_.base_url, location))) {
                what = "redirect to " + shown_url(location) + " refused (" + *refusal + ")";
            } else {
                // The same attempt goes on at the target, at once, on this connection slot.
                slot.at = location;
                ++slot.hops;
                slot.following = true;
                slot.ready_at = Clock::now();
                return;
            }
        }
    } else if (code == CURLE_FILESIZE_EXCEEDED || (code == CURLE_WRITE_ERROR && slot.over_cap)) {
        kind = ErrorKind::SizeLimit;
        what = "response body exceeds " + format_bytes(options_.max_page_bytes);
    } else if (code == CURLE_WRITE_ERROR && slot.out_of_memory) {
        kind = ErrorKind::Internal;
        what = "out of memory while receiving the body";
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
        if (detail.rfind("Operation too slow", 0) == 0)
            what = "slower than " + std::to_string(options_.low_speed_bytes) + " bytes/s for " +
                   std::to_string(options_.low_speed_time_s) + " s";
        else if (detail.rfind("Connection timed out", 0) == 0 || detail.rfind("Connection timeout", 0) == 0)
            what = "connect timed out after " + std::to_string(options_.connect_timeout_ms) + " ms";
        else
            what = "timed out after " + std::to_string(options_.request_timeout_ms) + " ms";
    } else if (code == CURLE_PARTIAL_FILE) {
        verdict = Verdict::Retry;
        what = "transfer incomplete (" + detail + ")";
    } else if (code == CURLE_UNSUPPORTED_PROTOCOL) {
        what = "refused: " + detail;
    } else if (long connect = 0; curl_easy_getinfo(e, CURLINFO_HTTP_CONNECTCODE, &connect) == CURLE_OK &&
                                     connect >= 300) {
        // The proxy said no to the tunnel: asking again gets the same answer.
        what = "the proxy answered CONNECT with HTTP " + std::to_string(connect) +
               (connect == 407 ? " (it refused its credentials)" : "");
    } else {
        verdict = is_retryable_transport(code) ? Verdict::Retry : Verdict::Fail;
        what = detail;
    }

    auto now = Clock::now();
    if (verdict == Verdict::Retry && slot.attempts < options_.retries_per_page &&
        counters_.retries < options_.retries_per_run) {
        ++slot.attempts;
        ++counters_.retries;
        long backoff = std::min(kBackoffStepMs * slot.attempts, kBackoffMaxMs);
        slot.ready_at = now + milliseconds(std::max(backoff, options_.page_delay_ms));
        return;  // the slot keeps its page
    }
    if (verdict == Verdict::Done) {
        done_.emplace(slot.page, FetchedPage{slot.page, slot.at, std::move(slot.body),
                                             content_type ? content_type : "", status});
    } else {
        std::string message = "page " + std::to_string(slot.page) + ": " + what + " from " + slot.at;
        if (slot.attempts > 0) message += " (after " + std::to_string(slot.attempts) + " retries)";
        if (verdict == Verdict::Fatal)
            fatal_.emplace(kind, message);
        else
            failed_.emplace(slot.page, Error(kind, message));
    }
    slot.page = 0;
    slot.body = std::string();  // give the capacity back between pages
    slot.ready_at = now + milliseconds(options_.page_delay_ms);
}

long Fetcher::poll_timeout_ms(Clock::time_point now) const {
    long wait = kPollSliceMs;
    bool work_left = queue_startable();
    for (const auto& slot : slots_) {
        if (slot->active || (slot->page == 0 && !work_left)) continue;
        auto until = std::chrono::duration_cast<milliseconds>(std::max(slot->ready_at, paced_until_) - now).count();
        wait = std::min<long>(wait, std::max<long>(until, 0));
    }
    return wait;
}

FetchedPage Fetcher::take(int page) {
    if (!multi_) throw Error(ErrorKind::Internal, "fetcher used after close");
    if (page <= last_taken_ || page > last_requested_)
        throw Error(ErrorKind::Internal, "page " + std::to_string(page) + " taken out of order or never requested");
    for (;;) {
        if (fatal_) fail(*fatal_);
        if (auto it = done_.find(page); it != done_.end()) {
            FetchedPage result = std::move(it->second);
            done_.erase(done_.begin(), std::next(it));
            last_taken_ = page;
            return result;
        }
        if (!failed_.empty() && failed_.begin()->first <= page) fail(failed_.begin()->second);
        if (options_.should_cancel && options_.should_cancel(options_.cancel_arg))
            fail(Error(ErrorKind::Cancelled, "cancelled while fetching page " + std::to_string(page)));
        auto now = Clock::now();
        if (now - started_ >= milliseconds(options_.run_budget_ms))
            fail(Error(ErrorKind::Network, "run exceeded its " + format_ms(options_.run_budget_ms) +
                                               " budget after page " + std::to_string(last_taken_)));

        start_ready(now);
        int running = 0;
        if (curl_multi_perform(multi_.get(), &running) != CURLM_OK)
            fail(Error(ErrorKind::Internal, "curl_multi_perform failed"));
        if (drain_messages()) continue;
        if (curl_multi_poll(multi_.get(), nullptr, 0, static_cast<int>(poll_timeout_ms(Clock::now())),
                            nullptr) != CURLM_OK)
            fail(Error(ErrorKind::Internal, "curl_multi_poll failed"));
    }
}

}  // namespace spojscore

#include "no_postgres.hpp"
