// robots.txt parsing and matching (RFC 9309, its examples where it has them).
#include "core/robots.hpp"

#include <gtest/gtest.h>

using spojscore::parse_robots;
using spojscore::robots_normalise;
using spojscore::robots_product_token;

TEST(Robots, ProductToken) {
    EXPECT_EQ(robots_product_token("spojscore/0.2.0 (PostgreSQL extension; SPOJ classical list refresh)"),
              "spojscore");
    EXPECT_EQ(robots_product_token("My-Bot_2/1.0"), "My-Bot_");
    EXPECT_EQ(robots_product_token("(compatible)"), "");
}

// RFC 9309 2.2.1: groups are chosen by product token, case-insensitively; else "*".
TEST(Robots, GroupSelection) {
    const char* txt =
        "user-agent: ExampleBot\n"
        "disallow: /foo\n"
        "disallow: /bar\n"
        "\n"
        "user-agent: *\n"
        "disallow: /baz\n";
    auto example = parse_robots(txt, "examplebot");
    EXPECT_TRUE(example.matched_token);
    EXPECT_FALSE(example.allowed("/foo/x"));
    EXPECT_FALSE(example.allowed("/bar"));
    EXPECT_TRUE(example.allowed("/baz"));
    auto other = parse_robots(txt, "spojscore");
    EXPECT_FALSE(other.matched_token);
    EXPECT_TRUE(other.allowed("/foo"));
    EXPECT_FALSE(other.allowed("/baz/1"));
}

// Several user-agent lines open one group; groups naming us twice are merged; rules
// before any user-agent line belong to nobody; a value like "spojscore/1.0" still names us.
TEST(Robots, GroupsMergeAndShareRules) {
    const char* txt =
        "disallow: /orphan\n"
        "User-Agent: other\n"
        "User-Agent: SPOJSCORE/1.0\n"
        "Disallow: /a\n"
        "sitemap: https://example.com/sitemap.xml\n"
        "Disallow: /b\n"
        "User-agent: x\n"
        "Disallow: /c\n"
        "User-agent: spojscore\n"
        "Disallow: /d\n";
    auto r = parse_robots(txt, "spojscore");
    EXPECT_FALSE(r.allowed("/a"));
    EXPECT_FALSE(r.allowed("/b"));
    EXPECT_TRUE(r.allowed("/c"));
    EXPECT_FALSE(r.allowed("/d"));
    EXPECT_TRUE(r.allowed("/orphan"));
}

// A group naming us with no rules allows everything, even when "*" forbids it all.
TEST(Robots, OurEmptyGroupWinsOverStar) {
    auto r = parse_robots("User-agent: *\nDisallow: /\n\nUser-agent: spojscore\nDisallow:\n", "spojscore");
    EXPECT_TRUE(r.allowed("/problems/classical/sort=0,start=0"));
    EXPECT_FALSE(parse_robots("User-agent: *\nDisallow: /\n", "spojscore").allowed("/problems/"));
    EXPECT_TRUE(parse_robots("", "spojscore").allowed("/anything"));
}

// 2.2.2: the longest match wins; Allow wins a tie; /robots.txt is always allowed.
TEST(Robots, LongestMatchAllowWinsTies) {
    auto r = parse_robots(
        "User-agent: *\n"
        "Allow: /example/page/\n"
        "Disallow: /example/page/disallowed.gif\n"
        "Disallow: /tie\n"
        "Allow: /tie\n"
        "Disallow: /\n",
        "spojscore");
    EXPECT_TRUE(r.allowed("/example/page/"));
    EXPECT_TRUE(r.allowed("/example/page/x.html"));
    EXPECT_FALSE(r.allowed("/example/page/disallowed.gif"));
    EXPECT_TRUE(r.allowed("/tie"));
    EXPECT_FALSE(r.allowed("/other"));
    EXPECT_TRUE(r.allowed("/robots.txt"));
}

// 2.2.3: "*" any run of characters, "$" the end of the path.
TEST(Robots, WildcardsAndEndAnchor) {
    auto r = parse_robots(
        "User-agent: *\n"
        "Disallow: *.gif$\n"
        "Disallow: /example/\n"
        "Allow: /publications/\n"
        "Disallow: /problems/*/sort=*,start=5000\n"
        "Disallow: /exact$\n",
        "spojscore");
    EXPECT_FALSE(r.allowed("/a/b.gif"));
    EXPECT_TRUE(r.allowed("/a/b.gif?x=1"));
    EXPECT_FALSE(r.allowed("/example/x"));
    EXPECT_FALSE(r.allowed("/problems/classical/sort=0,start=5000"));
    EXPECT_FALSE(r.allowed("/problems/classical/sort=0,start=50000"));
    EXPECT_TRUE(r.allowed("/problems/classical/sort=0,start=4950"));
    EXPECT_FALSE(r.allowed("/exact"));
    EXPECT_TRUE(r.allowed("/exact/more"));
    // Pathological patterns stay fast (one backtrack point).
    std::string pattern = "User-agent: *\nDisallow: /";
    for (int i = 0; i < 200; ++i) pattern += "*a";
    pattern += "b\n";
    EXPECT_TRUE(parse_robots(pattern, "x").allowed("/" + std::string(5000, 'a')));
}

// 2.2.2: percent-encoding compared after normalisation.
TEST(Robots, PercentEncoding) {
    EXPECT_EQ(robots_normalise("/%7euser/%2f%e2%82%ac"), "/~user/%2F%E2%82%AC");
    EXPECT_EQ(robots_normalise("/\xe2\x82\xac"), "/%E2%82%AC");
    auto r = parse_robots("User-agent: *\nDisallow: /foo/bar?baz=quz\nDisallow: /%E2%82%AC\nDisallow: /~joe\n",
                          "spojscore");
    EXPECT_FALSE(r.allowed("/foo/bar?baz=quz"));
    EXPECT_FALSE(r.allowed("/\xe2\x82\xac"));
    EXPECT_FALSE(r.allowed("/%e2%82%ac"));
    EXPECT_FALSE(r.allowed("/%7Ejoe/x"));
    EXPECT_TRUE(r.allowed("/foo/bar"));
}

TEST(Robots, CommentsCaseWhitespaceAndJunk) {
    auto r = parse_robots(
        "\xef\xbb\xbfUSER-AGENT: nobody\r\n"
        "# a comment\r\n"
        "USER-AGENT :  spojscore   # trailing\r\n"
        "  DISALLOW:/private   # x\r\n"
        "this line means nothing\r\n"
        "crawl-delay: 2.5\r\n"
        "Crawl-delay: 9\r\n",
        "SpojScore");
    EXPECT_FALSE(r.allowed("/private/1"));
    EXPECT_TRUE(r.allowed("/public"));
    ASSERT_TRUE(r.crawl_delay_s.has_value());
    EXPECT_DOUBLE_EQ(*r.crawl_delay_s, 2.5);
}

TEST(Robots, CrawlDelayOnlyFromOurGroup) {
    EXPECT_FALSE(parse_robots("User-agent: other\nCrawl-delay: 10\n", "spojscore").crawl_delay_s.has_value());
    EXPECT_DOUBLE_EQ(*parse_robots("User-agent: *\nCrawl-delay: 3\n", "spojscore").crawl_delay_s, 3);
    for (const char* bad : {"-1", "soon", "1e9", ""})
        EXPECT_FALSE(parse_robots(std::string("User-agent: *\nCrawl-delay: ") + bad + "\n", "spojscore")
                         .crawl_delay_s.has_value())
            << bad;
}
