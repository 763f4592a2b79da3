// Charset discovery and text clean-up used by the list-page parser.
#include <gtest/gtest.h>

#include "core/html_text.hpp"

namespace spojscore {
namespace {

using namespace std::string_literals;

TEST(HtmlText, CharsetFromContentType) {
    EXPECT_EQ(charset_from_content_type("text/html"), "");
    EXPECT_EQ(charset_from_content_type("text/html; charset=UTF-8"), "UTF-8");
    EXPECT_EQ(charset_from_content_type("text/html;CHARSET = \"iso-8859-2\" ; x=y"), "iso-8859-2");
    EXPECT_EQ(charset_from_content_type("text/html; boundary=charset; charset='latin1'"), "latin1");
    EXPECT_EQ(charset_from_content_type("text/html; charset"), "");
}

TEST(HtmlText, CharsetFromMeta) {
    EXPECT_EQ(charset_from_meta("<html><head><meta charset=\"utf-8\">"), "utf-8");
    EXPECT_EQ(charset_from_meta("<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=iso-8859-2\" id=m>"),
              "iso-8859-2");
    EXPECT_EQ(charset_from_meta("<meta content='text/html; charset=windows-1250' http-equiv=content-type>"),
              "windows-1250");
    EXPECT_EQ(charset_from_meta("<meta charset=latin2/>"), "latin2/");
    EXPECT_EQ(charset_from_meta("<!-- <meta charset=\"koi8-r\"> --><meta charset=utf-8>"), "utf-8");
    EXPECT_EQ(charset_from_meta("<meta name=keywords content=\"charset=x\"><metax charset=y>"), "");
    EXPECT_EQ(charset_from_meta("<meta http-equiv=refresh content=\"0; charset=x\">"), "");
    EXPECT_EQ(charset_from_meta("<!-- unterminated <meta charset=x>"), "");
    EXPECT_EQ(charset_from_meta(std::string(70000, ' ') + "<meta charset=x>"), "");
}

TEST(HtmlText, MakeValidUtf8) {
    std::string s = "ok \xC3\xA9 \xE6\x95\xB0 \xF0\x9F\x98\x80";
    EXPECT_EQ(make_valid_utf8(s), 0u);
    EXPECT_EQ(s, "ok \xC3\xA9 \xE6\x95\xB0 \xF0\x9F\x98\x80");
    const std::string fffd = "\xEF\xBF\xBD";
    struct Case {
        std::string in, out;
        std::size_t replaced;
    } cases[] = {
        {"a\xE9z", "a" + fffd + "z", 1},
        {"\xC0\xAF", fffd + fffd, 2},                // overlong '/'
        {"\xED\xA0\x80", fffd + fffd + fffd, 3},     // surrogate
        {"\xF4\x90\x80\x80", fffd + fffd + fffd + fffd, 4},  // above U+10FFFF
        {"\xE6\x95", fffd + fffd, 2},                // truncated at the end
        {"a\0b\0"s, "ab", 0},                        // NULs dropped, not replaced
        {"\xFF\0"s, fffd, 1},
    };
    for (auto& c : cases) {
        std::string text = c.in;
        EXPECT_EQ(make_valid_utf8(text), c.replaced);
        EXPECT_EQ(text, c.out);
    }
}

TEST(HtmlText, CleanUtf8Prefix) {
    // The eight-byte ASCII skip must stop at a NUL or a non-ASCII byte in any lane.
    const std::string ascii(37, 'a');
    EXPECT_EQ(clean_utf8_prefix(""), 0u);
    EXPECT_EQ(clean_utf8_prefix(ascii), ascii.size());
    EXPECT_EQ(clean_utf8_prefix(ascii + "\xC3\xA9" + ascii), 2 * ascii.size() + 2);
    for (std::size_t at = 0; at < 20; ++at) {
        for (const std::string& bad : {"\0"s, "\xE9"s, "\x80"s, "\xC3"s}) {
            std::string text = ascii;
            text.replace(at, 1, bad);
            EXPECT_EQ(clean_utf8_prefix(text), at) << at;
        }
    }
}

TEST(HtmlText, NormalizeSpace) {
    EXPECT_EQ(normalize_space("  \xC2\xA0Prime  \n\tGenerator\xC2\xA0 "), "Prime Generator");
    EXPECT_EQ(normalize_space("a\x01\x1F\x7F" "b"), "ab");
    EXPECT_EQ(normalize_space(" \xC2\xA0 "), "");
    EXPECT_EQ(normalize_space("\xC3\xA9t\xC3\xA9"), "\xC3\xA9t\xC3\xA9");
}

TEST(HtmlText, Utf8LengthAndSearch) {
    EXPECT_EQ(utf8_length("\xC3\xA9\xE6\x95\xB0" "a\xF0\x9F\x98\x80"), 4u);
    EXPECT_TRUE(contains_nocase("<title>JUST A Moment...</title>", "just a moment"));
    EXPECT_FALSE(contains_nocase("Just a mo", "just a moment"));
}

}  // namespace
}  // namespace spojscore
