// Test-side handle on test/fixture/spojfix.py: started on first use (once per test
// process; gtest_discover_tests runs each test in its own process), stopped by a
// ::testing::Environment at exit, and the server also exits by itself when idle.
#pragma once
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>

#include "spojfix_process.hpp"

namespace spojfix {

class Server : public ::testing::Environment {
public:
    static Server& instance() {
        static Server* server = new Server;  // owned by gtest once registered
        return *server;
    }

    int port() {
        if (process_.port() == 0) process_.start();
        return process_.port();
    }

    void TearDown() override { process_.stop(); }

private:
    Process process_;
};

inline ::testing::Environment* const registered = ::testing::AddGlobalTestEnvironment(&Server::instance());

inline std::string root() { return "http://127.0.0.1:" + std::to_string(Server::instance().port()); }

// base_url for a scenario segment such as "status,code=500".
inline std::string base(const std::string& segment) { return root() + "/s/" + segment; }

inline size_t append_body(char* data, size_t size, size_t count, void* out) noexcept {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

// A plain GET for control endpoints (never through a proxy).
inline std::string get(const std::string& url) {
    std::string body;
    CURL* easy = curl_easy_init();
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_PROXY, "");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &append_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
    CURLcode code = curl_easy_perform(easy);
    curl_easy_cleanup(easy);
    if (code != CURLE_OK) throw std::runtime_error("GET " + url + ": " + curl_easy_strerror(code));
    return body;
}

inline void reset() { get(root() + "/__reset"); }

// The flat summary /__hits/<segment> returns; numbers read by key.
struct Hits {
    std::string json;
    double number(const std::string& key) const {
        auto at = json.find("\"" + key + "\": ");
        if (at == std::string::npos) throw std::runtime_error("no " + key + " in " + json);
        return std::strtod(json.c_str() + at + key.size() + 4, nullptr);
    }
    long requests() const { return static_cast<long>(number("requests")); }
    long connections() const { return static_cast<long>(number("connections")); }
    long open_connections() const { return static_cast<long>(number("open_connections")); }
    long max_start() const { return static_cast<long>(number("max_start")); }
    long sink_hits() const { return static_cast<long>(number("sink_hits")); }
    long host2_hits() const { return static_cast<long>(number("host2_hits")); }  // on 127.0.0.2
};

inline Hits hits(const std::string& segment) { return Hits{get(root() + "/__hits/" + segment)}; }

// Polls until the server has seen every connection of `segment` closed; returns how
// long that took (or `limit` when it did not happen).
inline std::chrono::milliseconds wait_connections_closed(const std::string& segment,
                                                         std::chrono::milliseconds limit) {
    auto start = std::chrono::steady_clock::now();
    for (;;) {
        auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
        if (hits(segment).open_connections() == 0 || spent >= limit) return spent;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

// The sink listener (must never be contacted) and a port that refuses connections.
inline long sink_port() { return static_cast<long>(hits("none").number("sink_port")); }
inline long closed_port() { return static_cast<long>(hits("none").number("closed_port")); }
// The same server on 127.0.0.2 ("another host"), for redirect tests.
inline long host2_port() { return static_cast<long>(hits("none").number("host2_port")); }

}  // namespace spojfix
