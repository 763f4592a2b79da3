// Fetching through a proxy (test/fixture/proxy.py on loopback, counting what passes):
// plain forwarding, CONNECT, SOCKS5 with names resolved by the proxy, credentials, no_proxy,
// and that no error ever shows the credentials. Plus the proxy URL rules.
#include "core/proxy.hpp"

#include <gtest/gtest.h>

#include "core/crawl.hpp"
#include "fetch_test_util.hpp"

using spojscore::Error;
using spojscore::ErrorKind;
using spojscore::FetchOptions;
using namespace fetchtest;

namespace {

constexpr const char* kSecret = "Pr0xy-S3cret-42";  // proxy.py's default --auth spoj:<this>

class ProxyServer : public ::testing::Environment {
public:
    static ProxyServer& instance() {
        static ProxyServer* server = new ProxyServer;
        return *server;
    }
    // 0: open HTTP proxy, 1: HTTP proxy with Basic auth, 2: SOCKS5 with user/password.
    int port(int which) {
        if (process_.port() == 0) process_.start();
        return process_.ports().at(static_cast<size_t>(which));
    }
    void TearDown() override { process_.stop(); }

private:
    spojfix::Process process_{"proxy.py"};
};

::testing::Environment* const registered = ::testing::AddGlobalTestEnvironment(&ProxyServer::instance());

std::string proxy_root() { return "127.0.0.1:" + std::to_string(ProxyServer::instance().port(0)); }
std::string stats() { return spojfix::get("http://" + proxy_root() + "/__stats"); }
long stat(const std::string& key) {
    std::string json = stats();
    auto at = json.find("\"" + key + "\": ");
    return at == std::string::npos ? -1 : std::strtol(json.c_str() + at + key.size() + 4, nullptr, 10);
}
long occurrences(const std::string& text, const std::string& what) {
    long n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

class Proxy : public FixtureTest {
protected:
    void SetUp() override {
        FixtureTest::SetUp();
        spojfix::get("http://" + proxy_root() + "/__reset");
    }
    static std::string url(const std::string& scheme, int which, const std::string& credentials = "") {
        return scheme + "://" + credentials + "127.0.0.1:" + std::to_string(ProxyServer::instance().port(which));
    }
};

}  // namespace

// Plain forwarding (libcurl's way for an http target): the proxy sees every GET.
TEST_F(Proxy, PlainForwardingReachesTheSite) {
    FetchOptions o = options("ok,t=plain");
    o.proxy = url("http", 0);
    EXPECT_EQ(spojscore::crawl_classical(o).rows.size(), 130u);
    EXPECT_EQ(spojfix::hits("ok,t=plain").requests(), 3);
    EXPECT_EQ(occurrences(stats(), "plain http://127.0.0.1:" + std::to_string(spojfix::Server::instance().port()) +
                                       "/s/ok,t=plain/problems/classical/"),
              3);
    EXPECT_EQ(stat("connect"), 0);
}

// CONNECT (libcurl's way for https targets, forced here for the http fixture): the proxy
// sees only tunnels, never a request.
TEST_F(Proxy, ConnectTunnelReachesTheSite) {
    FetchOptions o = options("ok,t=connect");
    o.proxy = url("http", 0);
    o.proxy_tunnel = true;
    EXPECT_EQ(spojscore::crawl_classical(o).rows.size(), 130u);
    EXPECT_EQ(spojfix::hits("ok,t=connect").requests(), 3);
    EXPECT_GE(stat("connect"), 1);
    EXPECT_EQ(stat("plain"), 0);
}

TEST_F(Proxy, CredentialsAreSentAndAccepted) {
    for (bool tunnel : {false, true}) {
        FetchOptions o = options("ok,t=auth");
        o.proxy = url("http", 1, std::string("spoj:") + kSecret + "@");
        o.proxy_tunnel = tunnel;
        EXPECT_EQ(spojscore::crawl_classical(o).rows.size(), 130u) << "tunnel " << tunnel;
    }
    EXPECT_EQ(stat("denied"), 0);
    EXPECT_GE(stat("connect"), 1);
    EXPECT_GE(stat("plain"), 3);
}

// Wrong credentials: a clear error, and neither the password nor the user name in it.
TEST_F(Proxy, WrongCredentialsErrorShowsNoSecret) {
    const std::string wrong = "Wr0ng-Passw0rd-77";
    for (bool tunnel : {false, true}) {
        FetchOptions o = options("ok,t=wrong");
        o.proxy = url("http", 1, "spojuser:" + wrong + "@");
        o.proxy_tunnel = tunnel;
        Error e = thrown([&] { spojscore::crawl_classical(o); });
        std::string message = e.what();
        EXPECT_EQ(e.kind(), ErrorKind::Network) << message;
        EXPECT_NE(message.find("407"), std::string::npos) << message;
        EXPECT_NE(message.find("refused its credentials"), std::string::npos) << message;
        EXPECT_EQ(message.find("retries"), std::string::npos) << message;
        EXPECT_EQ(message.find(wrong), std::string::npos) << message;
        EXPECT_EQ(message.find("spojuser"), std::string::npos) << message;
    }
    EXPECT_GE(stat("denied"), 2);
    EXPECT_EQ(spojfix::hits("ok,t=wrong").requests(), 0);
}

// An unreachable proxy: the error names neither user nor password.
TEST_F(Proxy, UnreachableProxyErrorShowsNoSecret) {
    FetchOptions o = options("ok,t=down");
    o.proxy = "http://spojuser:" + std::string(kSecret) + "@127.0.0.1:" + std::to_string(spojfix::closed_port());
    o.retries_per_page = 0;
    Error e = thrown([&] { spojscore::crawl_classical(o); });
    std::string message = e.what();
    EXPECT_EQ(e.kind(), ErrorKind::Network) << message;
    EXPECT_EQ(message.find(kSecret), std::string::npos) << message;
    EXPECT_EQ(message.find("spojuser"), std::string::npos) << message;
    EXPECT_EQ(spojfix::hits("ok,t=down").requests(), 0);
}

// socks5h: the proxy gets the host name and connects itself; it requires user/password.
TEST_F(Proxy, Socks5hWithCredentials) {
    FetchOptions o = options("ok,t=socks");
    o.base_url = "http://localhost:" + std::to_string(spojfix::Server::instance().port()) + "/s/ok,t=socks";
    o.proxy = url("socks5h", 2, std::string("spoj:") + kSecret + "@");
    EXPECT_EQ(spojscore::crawl_classical(o).rows.size(), 130u);
    EXPECT_GE(stat("socks"), 1);
    EXPECT_NE(stats().find("socks localhost:"), std::string::npos) << stats();

    o.proxy = url("socks5h", 2, "spoj:nope-nope@");
    Error e = thrown([&] { spojscore::crawl_classical(o); });
    EXPECT_EQ(std::string(e.what()).find("nope-nope"), std::string::npos) << e.what();
}

// no_proxy: listed hosts are reached directly; the proxy (here a dead port) is never used.
TEST_F(Proxy, NoProxyHostsGoDirect) {
    FetchOptions o = options("ok,t=noproxy");
    o.proxy = "http://127.0.0.1:" + std::to_string(spojfix::closed_port());
    o.no_proxy = "localhost, 127.0.0.1";
    EXPECT_EQ(spojscore::crawl_classical(o).rows.size(), 130u);
    o.no_proxy = "example.com";
    o.retries_per_page = 0;
    EXPECT_EQ(thrown([&] { spojscore::crawl_classical(o); }).kind(), ErrorKind::Network);
}

TEST(ProxyUrl, Accepted) {
    auto p = spojscore::parse_proxy_url("http://proxy.example:3128");
    EXPECT_EQ(p.address, "http://proxy.example:3128");
    EXPECT_EQ(p.user, "");
    p = spojscore::parse_proxy_url("HTTPS://u%40corp:p%3Aw%2Fd@[::1]:8443/");
    EXPECT_EQ(p.address, "https://[::1]:8443");
    EXPECT_EQ(p.user, "u@corp");
    EXPECT_EQ(p.password, "p:w/d");
    p = spojscore::parse_proxy_url("socks5h://127.0.0.1:1080");
    EXPECT_EQ(p.address, "socks5h://127.0.0.1:1080");
    p = spojscore::parse_proxy_url("http://user@proxy");
    EXPECT_EQ(p.user, "user");
    EXPECT_EQ(p.password, "");
}

TEST(ProxyUrl, RejectedWithoutQuotingTheSecret) {
    for (const char* bad : {"", "ftp://secretpw@proxy:21", "socks5://secretpw@proxy:1080", "socks4://proxy",
                            "http://u:secretpw@proxy:3128/path", "http://u:secretpw@proxy:3128?x=1",
                            "http://u:secretpw@proxy#f", "http://u:secretpw@:3128", "http://u:secretpw@proxy:0",
                            "http://u:secretpw@proxy:65536", "http://u:secretpw@proxy:x", "http://u:secret pw@proxy",
                            "http://u:secretpw%0d%0a@proxy", "http://u:secretpw%zz@proxy", "http://:secretpw@proxy",
                            "http://u:secretpw@pro%78y", "http://u:secretpw@[::1"}) {
        Error e = thrown([&] { spojscore::parse_proxy_url(bad); });
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument) << bad;
        EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << e.what();
    }
    EXPECT_THROW(spojscore::parse_proxy_url("http://" + std::string(600, 'a')), Error);
}

TEST(ProxyUrl, NoProxyList) {
    spojscore::validate_no_proxy("");
    spojscore::validate_no_proxy("*");
    spojscore::validate_no_proxy("localhost, 127.0.0.1, .corp.example, [::1], 10.0.0.0/8");
    EXPECT_THROW(spojscore::validate_no_proxy("a;b"), Error);
    EXPECT_THROW(spojscore::validate_no_proxy("a\nb"), Error);
    EXPECT_THROW(spojscore::validate_no_proxy(std::string(1100, 'a')), Error);
}

TEST(ProxyUrl, RedactsLibcurlText) {
    const std::string proxy = std::string("http://spojuser:") + kSecret + "@127.0.0.1:1";
    EXPECT_EQ(spojscore::redact_proxy_secrets(std::string("auth for spojuser with ") + kSecret + " failed", proxy),
              "auth for *** with *** failed");
    EXPECT_EQ(spojscore::redact_proxy_secrets("nothing secret", proxy), "nothing secret");
}
