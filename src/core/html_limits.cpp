#include "html_limits.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "error.hpp"
#include "no_postgres.hpp"

namespace spojscore::html {
namespace {

// htmlParseHTMLName reads at most this many characters of a name; the rest of a longer
// run starts another name.
constexpr std::size_t kNameBuffer = 100;
constexpr std::size_t kCancelEvery = 64 * 1024;
// Overlapping pseudo-tags (`<a<a<a ... b c d`) can add up past any real count: the sum
// stops here, far above any budget and far below overflow in tree_bytes_bound.
constexpr std::size_t kSaturated = std::size_t{1} << 40;

enum Class : unsigned char { kOther = 0, kBlank = 1, kNameStart = 2, kNameChar = 4 };

constexpr std::array<unsigned char, 256> make_classes() {
    std::array<unsigned char, 256> c{};
    c[' '] = c['\t'] = c['\n'] = c['\r'] = kBlank;  // IS_BLANK_CH
    for (int ch = 'a'; ch <= 'z'; ++ch) c[ch] = c[ch - 'a' + 'A'] = kNameStart | kNameChar;
    for (int ch = '0'; ch <= '9'; ++ch) c[ch] = kNameChar;
    c['_'] = c[':'] = c['.'] = kNameStart | kNameChar;
    c['-'] = kNameChar;
    return c;
}
constexpr std::array<unsigned char, 256> kClasses = make_classes();

}  // namespace

// A right-to-left pass of libxml2's start-tag tokenizer (htmlParseStartTag and the
// functions it calls, 2.9.14 to 2.13): for each position and tokenizer state, how many
// attribute names are read from there to the end of the tag. Each state's count at i
// depends on counts at i+1, at the end of the name run at i, and at i+100 or i+101 (a
// name or tag name cut at kNameBuffer): constant work and memory per byte.
MarkupCounts count_markup(std::string_view s, const CancelCheck& cancel) {
    MarkupCounts out;
    const std::size_t n = s.size();
    std::array<std::size_t, 128> ahead{};  // A at the last 128 positions (0 past the end)
    // The states at i+1: A attribute loop head, B bogus attribute skipped to a blank,
    // AN after a name, V value after '=', U unquoted value, Q1/Q2 in '...' / "...".
    std::size_t a1 = 0, b1 = 0, an1 = 0, v1 = 0, u1 = 0, q1 = 0, q2 = 0;
    std::size_t run1 = 0;       // name characters from i+1 on
    std::size_t an_after = 0;   // AN just past the name run that holds i
    for (std::size_t i = n; i-- > 0;) {
        if ((i & (kCancelEvery - 1)) == 0 && cancel.requested())
            throw Error(ErrorKind::Cancelled, "cancelled while checking the page");
        const unsigned char c = static_cast<unsigned char>(s[i]);
        const unsigned char cls = kClasses[c];
        const bool closes = c == '>' || (c == '/' && i + 1 < n && s[i + 1] == '>');
        const std::size_t run = (cls & kNameChar) ? run1 + 1 : 0;
        if ((cls & kNameChar) && run1 == 0) an_after = an1;

        std::size_t a;
        if (cls & kBlank) a = a1;
        else if (closes) a = 0;
        else if (cls & kNameStart) a = 1 + (run > kNameBuffer ? ahead[(i + kNameBuffer) & 127] : an_after);
        else a = b1;
        const std::size_t b = (cls & kBlank) ? a : closes ? 0 : b1;
        const std::size_t an = (cls & kBlank) ? an1 : c == '=' ? v1 : a;
        const std::size_t u = ((cls & kBlank) || c == '>') ? a : u1;
        const std::size_t v = (cls & kBlank) ? v1 : c == '"' ? q2 : c == '\'' ? q1 : u;
        q2 = c == '"' ? a1 : q2;
        q1 = c == '\'' ? a1 : q1;

        if (c == '<') {
            const unsigned char next = i + 1 < n ? kClasses[static_cast<unsigned char>(s[i + 1])] : 0;
            const bool end_tag = i + 2 < n && s[i + 1] == '/' && (kClasses[static_cast<unsigned char>(s[i + 2])] & kNameStart);
            if (!end_tag) ++out.markup;
            if (next & kNameStart) {
                // The tag name is cut at kNameBuffer too; attributes follow it.
                const std::size_t names = ahead[(i + 1 + std::min(run1, kNameBuffer)) & 127];
                out.attributes = std::min(out.attributes + names, kSaturated);
                out.max_attributes = std::max(out.max_attributes, names);
            }
        }
        ahead[i & 127] = a;
        a1 = a, b1 = b, an1 = an, v1 = v, u1 = u, run1 = run;
    }
    return out;
}

std::string markup_refusal(const MarkupCounts& counts) {
    if (counts.max_attributes <= kMaxTagAttributes) return {};
    return "a start tag has " + std::to_string(counts.max_attributes) + " attributes (more than " +
           std::to_string(kMaxTagAttributes) + ")";
}

std::size_t tree_bytes_bound(const MarkupCounts& counts) noexcept {
    // An element and the text node after it: 330 bytes; an attribute with its value: 320.
    constexpr std::size_t kPerMarkup = 340, kPerAttribute = 330;
    return counts.markup * kPerMarkup + counts.attributes * kPerAttribute;
}

std::size_t tree_budget(std::size_t input_bytes) noexcept {
    constexpr std::size_t kFloor = std::size_t{64} << 20;
    return std::max(kFloor, input_bytes * 8);
}

void require_tree_budget(const MarkupCounts& counts, std::size_t input_bytes, const char* what) {
    const std::size_t bound = tree_bytes_bound(counts);
    const std::size_t budget = tree_budget(input_bytes);
    if (bound <= budget) return;
    throw Error(ErrorKind::SizeLimit,
                std::string(what) + " has too much markup: " + std::to_string(counts.markup) + " tags and " +
                    std::to_string(counts.attributes) + " attributes in " + std::to_string(input_bytes) +
                    " bytes could take " + std::to_string(bound >> 20) + " MB to parse (the limit is " +
                    std::to_string(budget >> 20) + " MB: 64 MB or 8 times the page)");
}

}  // namespace spojscore::html
