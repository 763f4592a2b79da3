// count_markup and the parsers' limits: the pre-scan reads at least the attributes
// libxml2 reads in a start tag, hostile pages are refused before libxml2 sees them, a
// tree that could outgrow its budget is refused before it is built, and a cancel is
// polled all through a parse.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <libxml/xmlversion.h>

#include "core/error.hpp"
#include "core/html_dom.hpp"
#include "core/html_limits.hpp"
#include "core/html_sax.hpp"
#include "core/list_page.hpp"
#include "core/profile_page.hpp"
#include "spojgen_fixture.hpp"

namespace spojscore::html {
namespace {

// Attributes libxml2 delivers with each start element.
class AttributeCounts : public SaxHandler {
public:
    std::vector<std::size_t> counts;
    void start_element(std::string_view, const xmlChar* const* attributes) override {
        std::size_t n = 0;
        for (; attributes != nullptr && attributes[n * 2] != nullptr; ++n) {}
        counts.push_back(n);
    }
    void end_element() override {}
    void text(std::string_view, bool) override {}
    void other_node() override {}
    void doctype() override {}
};

std::size_t most_attributes_libxml2_reads(const std::string& body) {
    AttributeCounts handler;
    parse_events(body, "text/html", handler);
    std::size_t most = 0;
    for (std::size_t n : handler.counts) most = std::max(most, n);
    return most;
}

std::string names(int n, const std::string& prefix = " a") {
    std::string out;
    for (int i = 0; i < n; ++i) out += prefix + std::to_string(i);
    return out;
}

// The model of the tokenizer of the libxml2 this test is built with: 2.14 replaced 2.9-2.13's
// start-tag tokenizer with an HTML5 one. count_markup takes the larger count of both.
MarkupCounts count_as_this_libxml2(const std::string& body) {
#if LIBXML_VERSION >= 21400
    return count_markup_html5(body);
#else
    return count_markup_legacy(body);
#endif
}

// Tags whose attribute names are all distinct: libxml2 delivers every name it reads.
TEST(HtmlLimits, CountsTheAttributesLibxml2Reads) {
    const std::string long_name = std::string(100, 'l') + std::string(100, 'm') + std::string(50, 'n');
    const std::vector<std::string> tags = {
        "<p>",
        "<p a b c>",
        "<p a=1 b='x>y' c=\"<q d e>\" f>",
        "<p a=\"1\"b=\"2\"c='3'd>",             // values followed by names without a blank
        "<p \"x y z\" w>",                      // a quote where a name should be: not a value
        "<p a \"=\" b c d \">",                  // (2.14+: a, '"' and a value)
        "<p a x=\"<\" b \"<\" c \"<<\" d>",       // (2.14+: '"<"' and '"<<"' are names)
        "<p a=b/c d/ e/>",
        "<p a=>b c>",
        "<p a = 'b' c\n=\td e>",
        "<p " + long_name + " z>",              // a name cut at 100 characters: three names (2.9-2.13)
        "<p" + long_name + " z>",               // the same for the tag name
        "<p a&b c;d e.f g:h i-j k_l>",
        "<p/a/b/c>",                             // '/' separates attributes in HTML5 (2.14+)
        "<p a=1/b=2 c='3'/d/>",
        "<p =a ==b <c 'd \"e f>",                 // any first byte but '/', '>' and a blank starts a name
        "<p a\fb\fc=\fd>",                        // '\f' is a blank to HTML5 only
        "<p a/=b c=/d/ e=\"/\">",
        "<p\"q a<b c'd>",
    };
    for (const std::string& tag : tags) {
        const std::string body = "<html><body>" + tag + "</p></body></html>";
        const std::size_t counted = count_as_this_libxml2(body).max_attributes;
        const std::size_t read = most_attributes_libxml2_reads(body);
        EXPECT_EQ(counted, read) << tag;  // the model is libxml2's own tokenizer
    }
    // A tag the end of the page cuts: 2.9-2.13 deliver its names, 2.14+ read them and drop
    // the tag; the count keeps them either way.
    const std::string cut = "<html><body><p a=\"unterminated b c d";
    EXPECT_EQ(count_as_this_libxml2(cut).max_attributes, 1u);
    EXPECT_EQ(most_attributes_libxml2_reads(cut), LIBXML_VERSION >= 21400 ? 0u : 1u);
}

// Random markup from the characters the tokenizers treat specially: libxml2 never reads
// more attributes in one tag than the count says (it may read fewer: repeated names).
TEST(HtmlLimits, NeverCountsFewerThanLibxml2Reads) {
    const std::vector<std::string> alphabets = {
        "abcAB1-._: =\"'<>/\t\n&;!",
        std::string("ab/Z=/\"'<>/ \f\r\v\x80\xc3\xa9&#x;?!-") + '\0',  // HTML5's separators, blanks, UTF-8
    };
    std::uint32_t state = 12345;
    auto next = [&state] { return state = state * 1103515245u + 12345u, (state >> 16) & 0x7fff; };
    for (const std::string& alphabet : alphabets) {
        for (int round = 0; round < 3000; ++round) {
            std::string body = "<html><body>";
            const int length = 1 + static_cast<int>(next() % 80);
            for (int i = 0; i < length; ++i) body += alphabet[next() % alphabet.size()];
            std::string storage;  // what the parsers count and parse: NULs dropped, bad UTF-8 replaced
            const std::string_view bytes = prepare_input(body, "text/html", storage).bytes;
            const std::size_t read = most_attributes_libxml2_reads(body);
            EXPECT_GE(count_as_this_libxml2(std::string(bytes)).max_attributes, read) << body;
            EXPECT_GE(count_markup(bytes).max_attributes, read) << body;
        }
    }
}

// Each of count_markup's counts is the larger of the two tokenizers'.
TEST(HtmlLimits, CountsWhatEitherTokenizerReads) {
    const std::string slashes = "<p" + names(300, "/a") + ">";  // 2.9-2.13 read none of them
    EXPECT_EQ(count_markup_legacy(slashes).max_attributes, 0u);
    EXPECT_EQ(count_markup_html5(slashes).max_attributes, 300u);
    EXPECT_EQ(count_markup(slashes).max_attributes, 300u);
    EXPECT_EQ(markup_refusal(count_markup(slashes)), "a start tag has 300 attributes (more than 256)");
    const std::string long_names = "<p " + std::string(30000, 'x') + ">";  // 2.14+ read one name
    EXPECT_EQ(count_markup_legacy(long_names).max_attributes, 300u);
    EXPECT_EQ(count_markup_html5(long_names).max_attributes, 1u);
    EXPECT_EQ(count_markup(long_names).max_attributes, 300u);
    // 2.14+ read an end tag's attributes (into the parser's dictionary): no node, no
    // duplicate check, but memory. "</_x>" is a comment there.
    const MarkupCounts end = count_markup("<p a></p b c/d></_x>");
    EXPECT_EQ(end.max_attributes, 1u);
    EXPECT_EQ(end.attributes, 4u);
    EXPECT_EQ(end.markup, 2u);
    EXPECT_EQ(count_markup_legacy("<p a></p b c/d></_x>").markup, 1u);
}

TEST(HtmlLimits, CountsEveryPlaceATagCouldStart) {
    // In a comment or a script libxml2 starts no tag; the count does not know that and
    // stays an upper bound however a page hides a tag from a scanner.
    EXPECT_EQ(count_markup("<!-- <p" + names(300) + "> -->").max_attributes, 300u);
    // 2.14+ also read "{}<" and (past the '/') "script" as names there, and a lone '"' as one.
    EXPECT_EQ(count_markup("<script>if (a<b" + names(300) + ") {}</script>").max_attributes, 302u);
    EXPECT_EQ(count_markup("<!-- <a x=\"  -->  <b" + names(300) + " \"").max_attributes, 301u);
    const MarkupCounts c = count_markup("<html><body><p a b>x</p><!-- c --><br/></body></html>");
    EXPECT_EQ(c.markup, 5u);  // end tags build no node
    EXPECT_EQ(c.attributes, 2u);
}

TEST(HtmlLimits, ListPageRefusesAStartTagWithTooManyAttributes) {
    const std::vector<std::vector<std::string>> bombs = {{"attribute_bomb=100000"},  // <tr a0 a1 ...>
                                                         {"attribute_bomb=100000", "attribute_bomb_slash"}};  // <tr/a0/a1...>
    for (const std::vector<std::string>& bomb : bombs) {
        const test::GeneratedPages gen = test::generate_pages(1, 130, "current", bomb);
        const ListPage page = parse_list_page(gen.pages[0], "text/html");
        EXPECT_EQ(page.kind, PageKind::Unrecognised) << bomb.size();
        EXPECT_EQ(page.detail, "a start tag has 100004 attributes (more than 256)") << bomb.size();  // and the row's own 4
    }

    // A data row's <tr> has 4 attributes of its own: 252 more make the most allowed.
    const test::GeneratedPages most = test::generate_pages(1, 130, "current", {"attribute_bomb=252", "attribute_bomb_rows=all"});
    EXPECT_EQ(parse_list_page(most.pages[0], "text/html").rows.size(), 50u);
    const test::GeneratedPages over = test::generate_pages(1, 130, "current", {"attribute_bomb=253"});
    EXPECT_EQ(parse_list_page(over.pages[0], "text/html").detail, "a start tag has 257 attributes (more than 256)");
}

TEST(HtmlLimits, ProfileRefusesTooManyAttributesAndTooBigATree) {
    for (const char* separator : {" a", "/a"}) {
        const ProfilePage page = parse_profile_page("<html><body><td" + names(257, separator) + "></body></html>");
        EXPECT_EQ(page.kind, ProfileKind::Unrecognised) << separator;
        EXPECT_EQ(page.detail, "a start tag has 257 attributes (more than 256)") << separator;
    }
    std::string tds;
    for (int i = 0; i < 1000000; ++i) tds += "<td>";
    try {
        parse_profile_page(tds);
        ADD_FAILURE() << "no SizeLimit";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::SizeLimit);
        EXPECT_NE(std::string(e.what()).find("1000000 tags"), std::string::npos) << e.what();
    }
    EXPECT_EQ(memory_budget(1), std::size_t{64} << 20);
    EXPECT_EQ(memory_budget(std::size_t{100} << 20), std::size_t{800} << 20);
}

// The list parser keeps no tree, but its scan keeps up to two 16-byte nodes per tag.
TEST(HtmlLimits, ListPageRefusesMoreTagsThanItsScanBudget) {
    std::string tds = "<table class=problems>";
    while (tds.size() < (std::size_t{8} << 20)) tds += "<td>";  // 2 M tags: 128 MB at most
    try {
        parse_list_page(tds);
        ADD_FAILURE() << "no SizeLimit";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::SizeLimit);
        EXPECT_EQ(std::string(e.what()).rfind("page has too much markup: 2097148 tags and 1 attributes", 0), 0u) << e.what();
    }
    tds.resize(std::size_t{3} << 20);  // 0.8 M tags: 48 MB
    EXPECT_EQ(parse_list_page(tds).detail, "column \"USERS\" not found");
}

// Headings and labels nested 256 deep around a page's text are each read only so far.
TEST(HtmlLimits, LabelTextReadsABoundedPrefix) {
    std::string bold;
    for (int i = 0; i < 5000; ++i) bold += "<b>x</b>";
    const Document doc = read_document("<html><body><h1>" + std::string(100000, 'y') + "</h1><h2>" + bold +
                                       "</h2></body></html>", "text/html");
    const xmlNode* body = xmlDocGetRootElement(doc.doc.get())->children;
    const xmlNode* h1 = body->children;
    const xmlNode* h2 = h1->next;
    EXPECT_EQ(label_text(h1), std::string(kMaxLabelBytes, 'y'));
    EXPECT_EQ(cell_text(h1).size(), 100000u);
    EXPECT_EQ(label_text(h2), std::string(kMaxLabelNodes / 2 - 1, 'x'));  // h2, then <b> and its text
    EXPECT_EQ(cell_text(h2).size(), 5000u);
}

struct Polls {
    int calls = 0;
    int cancel_at = -1;  // the call from which on the answer is yes
    static bool poll(void* arg) noexcept {
        auto* self = static_cast<Polls*>(arg);
        return ++self->calls > self->cancel_at && self->cancel_at >= 0;
    }
};

// Inside one giant token (a comment, an attribute value, a script, a text) libxml2 calls
// back nowhere: the input reader polls every 16 KB it hands over.
TEST(HtmlLimits, CancelIsPolledThroughoutAParse) {
    const std::size_t size = 4 << 20;
    const std::string big(size, 'x');
    const std::vector<std::string> pages = {
        "<html><body><!--" + big + "-->", "<html><body><p a=\"" + big + "\">",
        "<html><body><script>" + big + "</script>", "<html><body><p>" + big};
    for (const std::string& body : pages) {
        Polls counter;
        parse_list_page(body, "text/html", CancelCheck{Polls::poll, &counter});
        EXPECT_GE(counter.calls, static_cast<int>(size / (16 * 1024))) << body.substr(0, 20);
        Polls stop{0, counter.calls / 2};
        try {
            parse_list_page(body, "text/html", CancelCheck{Polls::poll, &stop});
            ADD_FAILURE() << "not cancelled: " << body.substr(0, 20);
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::Cancelled);
        }
        EXPECT_EQ(stop.calls, counter.calls / 2 + 1) << "the parse went on after the cancel";
        Polls tree{0, counter.calls / 2};
        try {
            parse_profile_page(body, "text/html", CancelCheck{Polls::poll, &tree});
            ADD_FAILURE() << "profile not cancelled: " << body.substr(0, 20);
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::Cancelled);
        }
    }
}

}  // namespace
}  // namespace spojscore::html
