// Redirects (issue 12 item 4): the rule alone (redirect_refusal), then the fetcher, the
// crawler and the profile fetcher against spojfix.py, with 127.0.0.2 as "another host".
#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "core/base_url.hpp"
#include "core/crawl.hpp"
#include "core/fetch.hpp"
#include "core/profile_page.hpp"
#include "fetch_test_util.hpp"

using spojscore::redirect_refusal;
using namespace fetchtest;

namespace {

::testing::AssertionResult refused(const std::string& base, const std::string& target, const std::string& why) {
    auto reason = redirect_refusal(base, target);
    if (reason && reason->find(why) != std::string::npos) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << target << " from " << base << ": got "
                                         << (reason ? "\"" + *reason + "\"" : "allowed") << ", want \"" << why
                                         << "\"";
}

::testing::AssertionResult allowed(const std::string& base, const std::string& target) {
    auto reason = redirect_refusal(base, target);
    if (!reason) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << target << " from " << base << ": refused: " << *reason;
}

TEST(RedirectRule, HttpsBaseStaysOnItsOriginAndNeverGoesToHttp) {
    const std::string base = "https://www.spoj.com";
    EXPECT_TRUE(allowed(base, "https://www.spoj.com/problems/classical/sort=0,start=50"));
    EXPECT_TRUE(allowed(base, "https://WWW.SPOJ.COM/x"));
    EXPECT_TRUE(allowed(base, "https://www.spoj.com:443/x"));
    EXPECT_TRUE(allowed(base, "https://www.spoj.com/login?next=%2Fproblems"));
    // https -> http is refused whatever the host, loopback included.
    EXPECT_TRUE(refused(base, "http://www.spoj.com/x", "https must not be left for plain http"));
    EXPECT_TRUE(refused(base, "http://127.0.0.1/x", "https must not be left for plain http"));
    EXPECT_TRUE(refused(base, "http://localhost:443/x", "https must not be left for plain http"));
    EXPECT_TRUE(refused(base, "https://spoj.com/x", "another host"));
    EXPECT_TRUE(refused(base, "https://www.spoj.com.example.net/x", "another host"));
    EXPECT_TRUE(refused(base, "https://127.0.0.1/x", "another host"));
    EXPECT_TRUE(refused(base, "https://www.spoj.com:8443/x", "another port"));
    EXPECT_TRUE(refused(base, "https://www.spoj.com@example.net/x", "user information"));
    EXPECT_TRUE(refused(base, "https://u:p@www.spoj.com/x", "user information"));
    EXPECT_TRUE(refused(base, "ftp://www.spoj.com/x", "scheme \"ftp\" is not http or https"));
    EXPECT_TRUE(refused(base, "file:///etc/passwd", "scheme \"file\""));
    EXPECT_TRUE(refused(base, "gopher://www.spoj.com/", "scheme \"gopher\""));
    EXPECT_TRUE(refused(base, "/problems", "not an absolute URL"));
    EXPECT_TRUE(refused(base, "https://www.spoj.com/a b", "space, control"));
    EXPECT_TRUE(refused(base, "https://www.spoj.com/\r\nX: y", "space, control"));
    EXPECT_TRUE(refused(base, "https://www.spoj.com/" + std::string(2100, 'a'), "longer than 2048 bytes"));
    EXPECT_TRUE(allowed(base, "https://www.spoj.com/" + std::string(2000, 'a')));
}

TEST(RedirectRule, LoopbackHttpBaseStaysOnItsSchemeHostAndPort) {
    const std::string base = "http://127.0.0.1:8080/s/ok";
    EXPECT_TRUE(allowed(base, "http://127.0.0.1:8080/elsewhere"));
    EXPECT_TRUE(refused(base, "http://127.0.0.2:8080/s/ok", "another host"));
    EXPECT_TRUE(refused(base, "http://localhost:8080/s/ok", "another host"));
    EXPECT_TRUE(refused(base, "http://127.0.0.1:8081/s/ok", "another port"));
    EXPECT_TRUE(refused(base, "http://127.0.0.1/s/ok", "another port"));  // 80
    EXPECT_TRUE(refused(base, "https://127.0.0.1:8080/s/ok", "another scheme"));
    EXPECT_TRUE(refused(base, "http://10.0.0.1:8080/", "plain http is allowed only for a loopback host"));
    EXPECT_TRUE(refused(base, "http://169.254.169.254/latest/meta-data/", "loopback"));
    EXPECT_TRUE(allowed("http://localhost:5000", "http://LOCALHOST:5000/x"));
    EXPECT_TRUE(allowed("http://127.0.0.1", "http://127.0.0.1:80/x"));
    EXPECT_TRUE(allowed("https://[::1]:8443/a", "https://[::1]:8443/b"));
    EXPECT_TRUE(refused("https://[::1]:8443/a", "https://[::2]:8443/b", "another host"));
}

// Percent-encodes everything but [A-Za-z0-9_.-] so a URL fits in one scenario parameter.
std::string param(const std::string& s) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '_' || c == '.' || c == '-') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string page1(const std::string& segment) { return spojfix::base(segment) + "/problems/classical/sort=0,start=0"; }

spojscore::FetchedPage fetch1(const std::string& segment) {
    spojscore::FetchOptions o = options(segment);
    spojscore::Fetcher fetcher(o);
    fetcher.request(1, page1(segment));
    return fetcher.take(1);
}

Error fetch1_error(const std::string& segment) {
    return thrown([&] { fetch1(segment); });
}

class Redirect : public FixtureTest {};

// The 127.0.0.2 listener answers (so its zero hits below mean something).
TEST_F(Redirect, TheOtherHostServesPages) {
    const std::string other = "http://127.0.0.2:" + std::to_string(spojfix::host2_port()) + "/s/ok";
    spojscore::FetchOptions o = options("ok");
    o.base_url = other;
    spojscore::Fetcher fetcher(o);
    fetcher.request(1, other + "/problems/classical/sort=0,start=0");
    EXPECT_NE(fetcher.take(1).body.find("</html>"), std::string::npos);
    EXPECT_EQ(spojfix::hits("none").host2_hits(), 1);
}

TEST_F(Redirect, ToAnotherHostIsRefusedBeforeAnyRequest) {
    const std::string segment = "redirect,to=other";
    Error e = fetch1_error(segment);
    EXPECT_TRUE(is_error(e, ErrorKind::Network,
                         "page 1: redirect to http://127.0.0.2:" + std::to_string(spojfix::host2_port()) +
                             "/s/ok,total=130,seed=1/problems/classical/sort=0,start=0 refused (another host than "
                             "base_url's) from " + page1(segment)));
    EXPECT_EQ(spojfix::hits(segment).host2_hits(), 0);
    EXPECT_EQ(spojfix::hits(segment).requests(), 1);
}

TEST_F(Redirect, ToAnotherSchemeOrPortIsRefused) {
    EXPECT_TRUE(is_error(fetch1_error("redirect,to=https"), ErrorKind::Network,
                         "refused (another scheme than base_url's) from " + page1("redirect,to=https")));
    EXPECT_TRUE(is_error(fetch1_error("redirect,to=sinkport"), ErrorKind::Network,
                         "refused (another port than base_url's) from " + page1("redirect,to=sinkport")));
    EXPECT_EQ(spojfix::hits("none").sink_hits(), 0);
}

TEST_F(Redirect, ToPlainHttpElsewhereIsRefused) {
    const std::string segment = "redirect,to=location,location=" + param("http://10.0.0.1/x");
    EXPECT_TRUE(is_error(fetch1_error(segment), ErrorKind::Network,
                         "page 1: redirect to http://10.0.0.1/x refused (plain http is allowed only for a "
                         "loopback host) from " + page1(segment)));
}

// A followed redirect's final reply is judged as usual, and the error names the URL
// that answered, not the page's own.
TEST_F(Redirect, ErrorsNameTheUrlThatAnswered) {
    const std::string target = "/s/status,code=404/problems/classical/sort=0,start=0";  // relative
    const std::string segment = "redirect,to=location,location=" + param(target);
    Error e = fetch1_error(segment);
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "page 1: HTTP 404 from " + spojfix::root() + target));
    EXPECT_EQ(std::string(e.what()).find("redirect,"), std::string::npos) << e.what();
}

TEST_F(Redirect, AFetchedPageCarriesTheUrlThatAnswered) {
    spojscore::FetchedPage page = fetch1("redirect,to=ok");
    EXPECT_EQ(page.url, page1("ok,total=130,seed=1"));
    EXPECT_NE(page.body.find("</html>"), std::string::npos);
}

TEST_F(Redirect, TwoHopsOnTheSameOriginAreFollowed) {
    const std::string hop = "/s/redirect,to=ok/problems/classical/sort=0,start=0";
    spojscore::FetchedPage page = fetch1("redirect,to=location,location=" + param(hop));
    EXPECT_EQ(page.url, page1("ok,total=130,seed=1"));
}

// A retry starts again at the page's own URL, not at the redirect's target.
TEST_F(Redirect, ARetryStartsAtThePageUrl) {
    const std::string target = "/s/status,code=500/problems/classical/sort=0,start=0";
    const std::string segment = "redirect,to=location,location=" + param(target);
    EXPECT_TRUE(is_error(fetch1_error(segment), ErrorKind::Network,
                         "page 1: HTTP 500 from " + spojfix::root() + target + " (after 2 retries)"));
    EXPECT_EQ(spojfix::hits(segment).requests(), 3);
    EXPECT_EQ(spojfix::hits("status,code=500").requests(), 3);
}

TEST_F(Redirect, CrawlLayoutErrorNamesTheUrlThatAnswered) {
    const std::string target = "/s/ok,v_blocked=challenge/problems/classical/sort=0,start=0";
    const std::string segment = "redirect,to=location,location=" + param(target);
    Error e = thrown([&] { spojscore::crawl_classical(options(segment)); });
    EXPECT_TRUE(is_error(e, ErrorKind::Layout, "page 1: not a problem list"));
    EXPECT_TRUE(is_error(e, ErrorKind::Layout, "(answered by " + spojfix::root() + target + ")"));
}

TEST_F(Redirect, CrawlRefusesAnotherHost) {
    Error e = thrown([&] { spojscore::crawl_classical(options("redirect,to=other")); });
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "refused (another host than base_url's)"));
    EXPECT_EQ(spojfix::hits("none").host2_hits(), 0);
}

TEST_F(Redirect, ProfileFetchRefusesAnotherHost) {
    Error e = thrown([&] { spojscore::fetch_profile(options("redirect,to=other"), "alice"); });
    EXPECT_TRUE(is_error(e, ErrorKind::Network, "/users/alice/ refused (another host than base_url's)"));
    EXPECT_EQ(spojfix::hits("none").host2_hits(), 0);
}

}  // namespace
