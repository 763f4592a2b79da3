// count_markup's model of libxml2 2.14+'s HTML5 (WHATWG) start-tag tokenizer:
// htmlParseStartTag, htmlParseHTMLName, htmlParseAttribute and htmlParseAttValue, the same
// from v2.14.0 to v2.15.3 and on master (2026-07). Unlike 2.9-2.13 it cuts no name (a long name is truncated, not
// split), reads '/' as a separator between attributes, takes any byte but a blank, '/' and
// '>' as a name's first (so `="x`, `<a` and `'b` are names) and reads the attributes of
// end tags too (into its dictionary, then drops them).
#include <algorithm>
#include <array>

#include "error.hpp"
#include "html_limits.hpp"
#include "html_limits_pass.hpp"
#include "no_postgres.hpp"

namespace spojscore::html {
namespace {


// What a byte is to the tokenizer (IS_WS_HTML has '\f' where IS_BLANK_CH has not).
enum Code : unsigned char { kOther, kBlank, kGt, kSlash, kEquals, kDquote, kSquote, kLt, kLetter };

constexpr std::array<unsigned char, 256> make_codes() {
    std::array<unsigned char, 256> c{};
    c[' '] = c['\t'] = c['\n'] = c['\f'] = c['\r'] = kBlank;
    for (int ch = 'a'; ch <= 'z'; ++ch) c[ch] = c[ch - 'a' + 'A'] = kLetter;  // IS_ASCII_LETTER
    c['>'] = kGt, c['/'] = kSlash, c['='] = kEquals, c['"'] = kDquote, c['\''] = kSquote, c['<'] = kLt;
    return c;
}
constexpr std::array<unsigned char, 256> kCodes = make_codes();

}  // namespace

// Right to left: for each position and tokenizer state, how many attribute names are read
// from there to the end of the tag. The states at i+1, in WHATWG's names: ba before
// attribute name (the loop head of htmlParseStartTag), nm attribute name (past its first
// byte), an after attribute name, vb before attribute value, uq / dq / sq unquoted /
// double- / single-quoted value, tn tag name (past its first letter). Every state at i
// depends only on states at i and i+1. Past the end every count is 0; libxml2 drops a
// tag the end cuts, but its names are read all the same, and counting them keeps a bound.
MarkupCounts count_markup_html5(std::string_view s, const CancelCheck& cancel) {
    MarkupCounts out;
    std::size_t ba = 0, nm = 0, an = 0, vb = 0, uq = 0, dq = 0, sq = 0, tn = 0;
    std::size_t tn2 = 0;  // tn at i+2
    unsigned char next = kOther, next2 = kOther;
    pass::right_to_left(s, cancel, [&](std::size_t i) {
        const unsigned char code = kCodes[static_cast<unsigned char>(s[i])];
        const std::size_t ba_next = ba, tn_next = tn;
        switch (code) {
            case kBlank:  // blanks are skipped in ba, an, vb; they end a name, a tag name, a bare value
                nm = an;
                uq = tn = ba;
                break;
            case kGt:
                ba = an = nm = vb = uq = tn = 0;
                break;
            case kSlash:  // "/>" ends the tag; a '/' alone is skipped
                ba = next == kGt ? 0 : ba_next;
                an = nm = tn = ba;
                vb = uq;
                break;
            case kEquals:  // the first byte of a name, or the '=' after one
                ba = 1 + nm;
                nm = an = vb;
                vb = uq;
                break;
            case kDquote:
                ba = an = 1 + nm;
                vb = dq;
                dq = ba_next;
                break;
            case kSquote:
                ba = an = 1 + nm;
                vb = sq;
                sq = ba_next;
                break;
            case kLt:
                ++out.markup;
                if (next == kLetter) {
                    pass::add_tag(out, tn_next, true);
                } else if (next == kSlash && next2 == kLetter) {
                    --out.markup;  // an end tag builds no node, but its attributes are read
                    pass::add_tag(out, tn2, false);
                }
                [[fallthrough]];
            default:
                ba = an = 1 + nm;
                vb = uq;
                break;
        }
        tn2 = tn_next;
        next2 = next;
        next = code;
    });
    return out;
}

}  // namespace spojscore::html
