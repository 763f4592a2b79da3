// The SAX list-page parser against the tree-walking one it replaced
// (test/reference/list_page_dom.cpp): the same ListPage, field by field, for generated
// pages of every variant, for every prefix of them (truncation), and for hand-made
// pages that test where the two could part (text split into pieces, comments, script,
// content after the root, nested tables).
#include <gtest/gtest.h>
#include <libxml/xmlversion.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/list_page.hpp"
#include "reference/list_page_dom.hpp"
#include "spojgen_fixture.hpp"

namespace spojscore {
namespace {

using test::generate_pages;
using test::rows_tsv;

std::string skipped_text(const ListPage& page) {
    std::string text;
    for (const auto& [reason, n] : page.skipped) text += reason + "=" + std::to_string(n) + " ";
    return text;
}

void expect_same(const std::string& body, const std::string& content_type = "text/html") {
    const ListPage sax = parse_list_page(body, content_type);
    const ListPage dom = reference::parse_list_page_dom(body, content_type);
    SCOPED_TRACE("body of " + std::to_string(body.size()) + " bytes: " + body.substr(0, 200));
    EXPECT_EQ(page_kind_name(sax.kind), std::string(page_kind_name(dom.kind)));
    EXPECT_EQ(layout_name(sax.layout), std::string(layout_name(dom.layout)));
    EXPECT_EQ(sax.has_next, dom.has_next);
    EXPECT_EQ(sax.table_complete, dom.table_complete);
    EXPECT_EQ(rows_tsv(sax.rows), rows_tsv(dom.rows));
    EXPECT_EQ(skipped_text(sax), skipped_text(dom));
    EXPECT_EQ(sax.invalid_utf8_names, dom.invalid_utf8_names);
    EXPECT_EQ(sax.detail, dom.detail);
}

struct Case {
    const char* layout;
    std::vector<std::string> variants;
};

const std::vector<Case> kCases = {
    {"current", {}},
    {"2014", {}},
    {"current", {"logged_in=true"}},
    {"current", {"logged_in=true", "reorder_columns=true"}},
    {"2014", {"reorder_columns=true"}},
    {"current", {"entity_names=true"}},
    {"2014", {"entity_names=true"}},
    {"current", {"trailing_slash_links=true"}},
    {"2014", {"no_trailing_slash=true"}},
    {"current", {"http_equiv=true", "charset=iso-8859-2"}},
    {"current", {"rename_users_header=true"}},
    {"current", {"empty_table=true"}},
    {"2014", {"empty_table=true"}},
    {"current", {"blocked=challenge"}},
    {"current", {"blocked=maintenance"}},
    {"current", {"blocked=login"}},
    {"current", {"blocked=error"}},
    {"current", {R"(bad_rows={"3": {"users": "-5"}, "7": {"code": "/problems/bad code/"}, "9": {"name": ""}})"}},
};

TEST(ListPageDiff, GeneratedPagesOfEveryVariant) {
    for (const Case& c : kCases) {
        for (int seed : {7, 8}) {
            const auto gen = generate_pages(seed, 75, c.layout, c.variants);
            for (const std::string& page : gen.pages) expect_same(page);
        }
    }
}

// Every cut of a page exercises the truncation rule (table end against the last pager
// or footer) and libxml2's closing of what the cut left open.
TEST(ListPageDiff, EveryPrefixOfAPage) {
    for (const char* layout : {"current", "2014"}) {
        const auto gen = generate_pages(7, 60, layout, {"logged_in=true"});
        const std::string& page = gen.pages.front();
        for (std::size_t cut = 1; cut < page.size(); cut += page.size() / 400 + 1) expect_same(page.substr(0, cut));
        // The last few hundred bytes hold the footer: cut there byte by byte.
        for (std::size_t cut = page.size() > 600 ? page.size() - 600 : 1; cut <= page.size(); ++cut)
            expect_same(page.substr(0, cut));
    }
}

// The real pages saved in ../shared (reference material, never copied here), whole and
// cut at 200 places each; skipped when that directory is absent.
TEST(ListPageDiff, RealSavedPages) {
    const std::filesystem::path dir = std::filesystem::path(SPOJSCORE_SHARED_DIR) / "spoj" / "pages";
    if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << "no shared SPOJ pages";
    int pages = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".html") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        const std::string page = bytes.str();
        SCOPED_TRACE(entry.path().filename().string());
        ++pages;
        expect_same(page);
        for (std::size_t cut = 1; cut < page.size(); cut += page.size() / 200 + 1) expect_same(page.substr(0, cut));
    }
    EXPECT_GT(pages, 0);
}

const std::string kTable =
    "<table class=\"problems\"><thead><tr><th>ID</th><th>NAME</th><th>USERS</th><th>ACC %</th></tr></thead>"
    "<tbody><tr><td>1</td><td><a href=\"/problems/TEST/\">Life, the Universe</a></td>"
    "<td><a href=\"/ranks/TEST/\">123</a></td><td>33.15</td></tr></tbody></table>";

TEST(ListPageDiff, FooterTextInPieces) {
    for (const std::string& footer : std::vector<std::string>{"All Rights Reserved", "All Rights&#32;Reserved", "All&nbsp;Rights Reserved", "All Rights <!-- x -->Reserved",
          "All Rights <b>Reserved</b>", "<script>All Rights Reserved</script>", "<style>All Rights Reserved</style>",
          "<!-- All Rights Reserved -->", "<title>All Rights Reserved</title>", "All Rights Res&#101;rved",
          std::string(2000, 'x') + "All Rights Reserved", std::string(999, 'y') + "All Rights Reserved",
          "<textarea>All Rights Reserved</textarea>", "<?pi All Rights Reserved?>"}) {
        expect_same("<html><body>" + kTable + "<p>" + footer + "</p></body></html>");
        expect_same("<html><body>" + kTable + footer);
    }
}

TEST(ListPageDiff, MarkersBeforeAfterAndInsideTheTable) {
    for (const std::string& marker : std::vector<std::string>{"<div id=\"footer\"></div>", "<ul class=\"pagination\"></ul>", "<div class=\"x navigation\">n</div>",
          "<a class=\"pager_link\" href=\"?start=50\">Next</a>", "<a class=\"pager_link\">N&#101;xt</a>",
          "<a class=\"pager_link\"> Next <b></b></a>", "<a class=\"pager_link\"><a class=\"pager_link\">Next</a></a>",
          "<a class=\"pager_link\">Next<script>x</script></a>"}) {
        expect_same("<html><body>" + marker + kTable + "</body></html>");
        expect_same("<html><body>" + kTable + marker + "</body></html>");
        std::string inside = kTable;
        inside.insert(inside.find("</td></tr></tbody>"), marker);
        expect_same("<html><body>" + inside + "</body></html>");
    }
}

// libxml2 2.14 rewrote its HTML tree builder: content after </html> and nesting past 256
// land elsewhere in its tree than in 2.9-2.13's, which the SAX list parser follows, so the
// tree-walking reference answers differently on exactly these inputs (README, "Supported
// platforms"). Both parsers stay bounded there; only the oracle is missing.
#if LIBXML_VERSION >= 21400
#define SKIP_WHERE_THE_TREE_CHANGED() \
    GTEST_SKIP() << "libxml2 " LIBXML_DOTTED_VERSION " builds another tree here than the 2.9 tree the SAX parser follows"
#else
#define SKIP_WHERE_THE_TREE_CHANGED() (void)0
#endif

TEST(ListPageDiff, ContentOutsideTheRootElement) {
    SKIP_WHERE_THE_TREE_CHANGED();
    expect_same("<!-- All Rights Reserved --><html><body>" + kTable + "</body></html><p>All Rights Reserved</p>");
    expect_same("<html><body>" + kTable + "</body></html><div id=\"footer\"></div>");
    // A DOCTYPE or comment ahead of the root sends later elements outside it.
    expect_same("<!DOCTYPE html><html><body>" + kTable + "</body></html><div id=\"footer\"></div>");
    expect_same("<!-- c --><html><body>" + kTable + "</body></html><div id=\"footer\"></div>");
    expect_same("<html><body>" + kTable + "</body></html><!DOCTYPE html><div id=\"footer\"></div>");
    expect_same("<html><body>" + kTable + "</body></html>" + kTable + "<div id=\"footer\"></div>");
    expect_same("<html><body>" + kTable + "</html></html></body><p>All Rights Reserved");
    expect_same("<?xml version=\"1.0\"?><html><body>" + kTable + "All Rights Reserved");
    expect_same("<!DOCTYPE html><!-- c -->");
    expect_same("<!-- only a comment -->");
    expect_same("   \n\t ");
    expect_same("just text All Rights Reserved");
}

TEST(ListPageDiff, NestedAndRepeatedTables) {
    std::string nested = kTable;
    nested.insert(nested.find("</td></tr></tbody>"), kTable);
    expect_same("<html><body>" + nested + "All Rights Reserved</body></html>");
    expect_same("<html><body><table class=\"problems\"><tr><td>" + kTable + "</td></tr></table>All Rights Reserved");
    expect_same("<html><body><table class=\"problems\"><tr><th>CODE</th></tr></table>" + kTable + "<div id=footer>");
    expect_same("<html><body><table class=\"problems\"></table>" + kTable);
    expect_same("<table class=problems><tr><td>x</td><tr><th>NAME<th>USERS<tr><td><a href=/problems/A>a</a>"
                "<td><a href=/ranks/A>5</a><table class=problems><tr><td>9</table><p>All Rights Reserved");
    std::string scripted = kTable;
    scripted.insert(scripted.find("33.15"), "<script>7</script>");
    expect_same("<html><body>" + scripted + "All Rights Reserved");
}

// libxml2's tree builder halts the parser past depth 256: content deeper than that, and
// everything after it, is not seen.
TEST(ListPageDiff, DepthAroundTheLimit) {
    SKIP_WHERE_THE_TREE_CHANGED();
    for (int depth : {250, 254, 255, 256, 257, 300}) {
        std::string open, close;
        for (int i = 0; i < depth; ++i) {
            open += "<div>";
            close += "</div>";
        }
        expect_same("<html><body>" + open + kTable + close + "<div id=footer></div></body></html>");
        expect_same("<html><body>" + kTable + open + "All Rights Reserved" + close + "</body></html>");
    }
}

TEST(ListPageDiff, SignalsOfBlockedPages) {
    expect_same("<html><head><title></title><title>Just a moment...</title></head><body></body></html>");
    expect_same("<html><head><title> </title></head><body><h1></h1><h1>Scheduled maintenance</h1></body></html>");
    expect_same("<html><title>502 <!-- x --> Bad <b>Gateway</b></title></html>");
    expect_same("<h1>Not <h1>Found</h1></h1>");
    expect_same("<div id=cf-wrapper>x</div>");
    expect_same("<script id=challenge-form></script><p>x");
    expect_same("<script src=\"/cdn-cgi/challenge-platform/x\"></script>");
    expect_same("<form><input type=PassWord></form>");
    expect_same("<title>Error<script>ignored?</script></title>");
}

TEST(ListPageDiff, CharsetsAndBadBytes) {
    const std::string latin2 = "<html><head><meta charset=\"iso-8859-2\"></head><body>" + kTable + "\xb1\xe6</body></html>";
    expect_same(latin2);
    expect_same(latin2, "text/html; charset=utf-8");
    std::string bad = kTable;
    bad.insert(bad.find("Life"), "\xff\xfe\x00\xc3", 4);
    expect_same("<html><body>" + bad + "All Rights Reserved</body></html>");
    expect_same("\xef\xbb\xbf<html><body>" + kTable + "</body></html>");
    expect_same(std::string("\xff\xfe<\0h\0t\0m\0l\0>\0", 12) + kTable);
    expect_same(std::string("\0\0\0", 3));
    expect_same(std::string("\0\0\0", 3), "text/html; charset=iso-8859-2");
}

}  // namespace
}  // namespace spojscore
