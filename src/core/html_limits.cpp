#include "html_limits.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "error.hpp"
#include "html_limits_pass.hpp"
#include "no_postgres.hpp"

namespace spojscore::html {
namespace {

// htmlParseHTMLName reads at most this many characters of a name; the rest of a longer
// run starts another name.
constexpr std::size_t kNameBuffer = 100;

// What a byte is to the tokenizer.
enum Code : unsigned char { kOther, kBlank, kGt, kSlash, kNameStart, kNameOnly, kEquals, kDquote, kSquote, kLt };

constexpr std::array<unsigned char, 256> make_codes() {
    std::array<unsigned char, 256> c{};
    c[' '] = c['\t'] = c['\n'] = c['\r'] = kBlank;  // IS_BLANK_CH
    for (int ch = 'a'; ch <= 'z'; ++ch) c[ch] = c[ch - 'a' + 'A'] = kNameStart;
    for (int ch = '0'; ch <= '9'; ++ch) c[ch] = kNameOnly;
    c['_'] = c[':'] = c['.'] = kNameStart;
    c['-'] = kNameOnly;
    c['>'] = kGt, c['/'] = kSlash, c['='] = kEquals, c['"'] = kDquote, c['\''] = kSquote, c['<'] = kLt;
    return c;
}
constexpr std::array<unsigned char, 256> kCodes = make_codes();

}  // namespace

// A right-to-left pass of libxml2's start-tag tokenizer (htmlParseStartTag and the
// functions it calls, 2.9.14 to 2.13; 2.14's HTML5 one is in html_limits_html5.cpp): for
// each position and tokenizer state, how many attribute names are read from there to the
// end of the tag. Each state's count at i depends on counts at i+1, at the end of the
// name run at i, and at i+100 or i+101 (a name or tag name cut at kNameBuffer): constant
// work and memory per byte.
MarkupCounts count_markup_legacy(std::string_view s, const CancelCheck& cancel) {
    MarkupCounts out;
    const std::size_t n = s.size();
    std::array<std::size_t, 128> ahead{};  // A at the last 128 positions (0 past the end)
    // The states at i+1: A attribute loop head (blanks skipped first), B bogus attribute
    // skipped to a blank, AN after a name, V value after '=', U unquoted value, Q1/Q2 in
    // '...' / "...". The state names follow htmlParseStartTag's loop.
    std::size_t a = 0, b = 0, an = 0, v = 0, u = 0, q1 = 0, q2 = 0;
    std::size_t run = 0;       // name characters from i+1 on
    std::size_t an_after = 0;  // AN just past the name run that holds i
    bool gt_next = false;      // s[i+1] == '>'
    std::size_t next_code = kOther;
    pass::right_to_left(s, cancel, [&](std::size_t i) {
        const unsigned char code = kCodes[static_cast<unsigned char>(s[i])];
        const std::size_t a_next = a;  // A at i+1
        switch (code) {
            case kBlank:  // a, an, v stay; B and U end here: they go on as A
                b = u = a;
                run = 0;
                break;
            case kGt:
                a = b = an = 0;
                v = u = 0;
                run = 0;
                break;
            case kSlash:
                a = b = an = gt_next ? 0 : b;  // "/>" ends the tag
                v = u;
                run = 0;
                break;
            case kNameStart:
            case kNameOnly:
                if (run == 0) an_after = an;
                ++run;
                a = code == kNameOnly ? b : 1 + (run > kNameBuffer ? ahead[(i + kNameBuffer) & 127] : an_after);
                an = a;
                v = u;
                break;
            case kEquals:
                a = b;
                an = v;
                v = u;
                run = 0;
                break;
            case kDquote:
                a = an = b;
                v = q2;
                q2 = a_next;
                run = 0;
                break;
            case kSquote:
                a = an = b;
                v = q1;
                q1 = a_next;
                run = 0;
                break;
            case kLt:
                ++out.markup;
                if (next_code == kNameStart) {
                    // The tag name is cut at kNameBuffer too; attributes follow it.
                    const std::size_t names = ahead[(i + 1 + std::min(run, kNameBuffer)) & 127];
                    pass::add_tag(out, names, true);
                } else if (next_code == kSlash && i + 2 < n && kCodes[static_cast<unsigned char>(s[i + 2])] == kNameStart) {
                    --out.markup;  // an end tag builds no node
                }
                [[fallthrough]];
            default:
                a = an = b;
                v = u;
                run = 0;
                break;
        }
        ahead[i & 127] = a;
        gt_next = code == kGt;
        next_code = code;
    });
    return out;
}

// The larger of each count: libxml2's version at run time may differ from its headers'.
MarkupCounts count_markup(std::string_view bytes, const CancelCheck& cancel) {
    const MarkupCounts legacy = count_markup_legacy(bytes, cancel);
    const MarkupCounts html5 = count_markup_html5(bytes, cancel);
    return {std::max(legacy.markup, html5.markup), std::max(legacy.attributes, html5.attributes),
            std::max(legacy.max_attributes, html5.max_attributes)};
}

std::string markup_refusal(const MarkupCounts& counts) {
    if (counts.max_attributes <= kMaxTagAttributes) return {};
    return "a start tag has " + std::to_string(counts.max_attributes) + " attributes (more than " +
           std::to_string(kMaxTagAttributes) + ")";
}

std::size_t memory_bound(const MarkupCounts& counts, MemoryCost cost) noexcept {
    return counts.markup * cost.per_markup + counts.attributes * cost.per_attribute;
}

std::size_t memory_budget(std::size_t input_bytes) noexcept {
    constexpr std::size_t kFloor = std::size_t{64} << 20;
    return std::max(kFloor, input_bytes * 8);
}

void require_memory_budget(const MarkupCounts& counts, MemoryCost cost, std::size_t input_bytes, const char* what) {
    const std::size_t bound = memory_bound(counts, cost);
    const std::size_t budget = memory_budget(input_bytes);
    if (bound <= budget) return;
    throw Error(ErrorKind::SizeLimit,
                std::string(what) + " has too much markup: " + std::to_string(counts.markup) + " tags and " +
                    std::to_string(counts.attributes) + " attributes in " + std::to_string(input_bytes) +
                    " bytes could take " + std::to_string(bound >> 20) + " MB to parse (the limit is " +
                    std::to_string(budget >> 20) + " MB: 64 MB or 8 times the page)");
}

}  // namespace spojscore::html
