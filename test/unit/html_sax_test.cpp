// parse_events: the event stream libxml2's HTML parser gives without a tree, and what
// happens when a handler throws.
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include <libxml/globals.h>
#include <libxml/parserInternals.h>

#include "core/html_sax.hpp"

namespace spojscore::html {
namespace {

// Writes the events as text: <name id=...> </> "text" [raw text] #comment !doctype.
class Trace : public SaxHandler {
public:
    std::string out;
    int depth = 0, max_depth = 0, starts = 0, ends = 0;
    int throw_at_start = -1;  // throw on this start_element (0-based)

    void start_element(std::string_view name, const xmlChar* const* attributes) override {
        if (starts++ == throw_at_start) throw std::runtime_error("handler failed");
        out += "<" + std::string(name);
        for (; attributes != nullptr && attributes[0] != nullptr; attributes += 2) {
            out += " " + std::string(reinterpret_cast<const char*>(attributes[0]));
            if (attributes[1] != nullptr) out += "=" + std::string(reinterpret_cast<const char*>(attributes[1]));
        }
        out += ">";
        max_depth = std::max(max_depth, ++depth);
    }
    void end_element() override {
        ++ends;
        --depth;
        out += "</>";
    }
    void text(std::string_view text, bool raw) override {
        out += raw ? "[" + std::string(text) + "]" : "\"" + std::string(text) + "\"";
    }
    void other_node() override { out += "#"; }
    void doctype() override { out += "!"; }
};

TEST(HtmlSax, EventsIncludeImpliedAndClosedElements) {
    Trace trace;
    EXPECT_FALSE(parse_events("<!DOCTYPE html><!--c--><p class=x id=a>A &amp; B<script>1<2</script><td>cut",
                              "text/html", trace)
                     .repaired_utf8);
    // <td> closes the <p>; the end of input closes the rest.
    EXPECT_EQ(trace.out, "!#<html><body><p class=x id=a>\"A \"\"&\"\" B\"<script>[1<2]</></><td>\"cut\"</></></>");
    EXPECT_EQ(trace.starts, trace.ends);
}

TEST(HtmlSax, CharsetAndRepairAsForTheTree) {
    Trace latin2;
    parse_events("<p>\xb1</p>", "text/html; charset=iso-8859-2", latin2);
    EXPECT_NE(latin2.out.find("\"\xc4\x85\""), std::string::npos) << latin2.out;  // U+0105
    Trace repaired;
    EXPECT_TRUE(parse_events("<p>a\xff" "b</p>", "text/html", repaired).repaired_utf8);
    EXPECT_NE(repaired.out.find("a\xef\xbf\xbd" "b"), std::string::npos) << repaired.out;
    Trace only_nuls;
    EXPECT_FALSE(parse_events(std::string("\0\0", 2), "", only_nuls).repaired_utf8);
    EXPECT_EQ(only_nuls.out, "");
}

TEST(HtmlSax, DepthStopsWhereTheTreeBuilderStops) {
    std::string nest;
    for (int i = 0; i < 1000; ++i) nest += "<div>";
    Trace trace;
    parse_events(nest + "after", "", trace);
    EXPECT_EQ(trace.max_depth, static_cast<int>(xmlParserMaxDepth) + 1);
    EXPECT_EQ(trace.starts, trace.ends);
    EXPECT_EQ(trace.out.find("after"), std::string::npos);
}

TEST(HtmlSax, HandlerExceptionStopsTheParseAndIsRethrown) {
    const xmlGenericErrorFunc generic = xmlGenericError;
    const xmlStructuredErrorFunc structured = xmlStructuredError;
    Trace trace;
    trace.throw_at_start = 2;  // html, body, then the first <p>
    EXPECT_THROW(parse_events("<p>one</p><p>two</p><p>three</p>", "", trace), std::runtime_error);
    EXPECT_EQ(trace.out.find("one"), std::string::npos) << trace.out;
    EXPECT_EQ(trace.starts, 3);
    EXPECT_EQ(xmlGenericError, generic);
    EXPECT_EQ(xmlStructuredError, structured);
    Trace again;
    parse_events("<p>one</p>", "", again);
    EXPECT_NE(again.out.find("\"one\""), std::string::npos);
}

}  // namespace
}  // namespace spojscore::html
