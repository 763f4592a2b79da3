#include "html_text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "no_postgres.hpp"

namespace spojscore {
namespace {

char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// The value after "charset" in a parameter list or a meta content attribute:
// optional spaces, '=', optional quotes; ends at a quote, ';' or space.
std::string charset_value(std::string_view s) {
    for (std::size_t at = 0; at + 7 <= s.size(); ++at) {
        if (!equals_nocase(s.substr(at, 7), "charset")) continue;
        std::string_view rest = trim(s.substr(at + 7));
        if (rest.empty() || rest.front() != '=') continue;
        rest = trim(rest.substr(1));
        if (!rest.empty() && (rest.front() == '"' || rest.front() == '\'')) {
            const char quote = rest.front();
            rest.remove_prefix(1);
            std::size_t end = rest.find(quote);
            return std::string(rest.substr(0, end));
        }
        std::size_t end = 0;
        while (end < rest.size() && rest[end] != ';' && !is_space(rest[end])) ++end;
        return std::string(rest.substr(0, end));
    }
    return {};
}

struct Attribute {
    std::string_view name, value;
};

// Reads one attribute of a tag at `pos`; false at the tag's end.
bool next_attribute(std::string_view s, std::size_t& pos, Attribute& attr) {
    while (pos < s.size() && (is_space(s[pos]) || s[pos] == '/')) ++pos;
    if (pos >= s.size() || s[pos] == '>') return false;
    std::size_t start = pos;
    while (pos < s.size() && !is_space(s[pos]) && s[pos] != '=' && s[pos] != '>' && s[pos] != '/') ++pos;
    attr.name = s.substr(start, pos - start);
    attr.value = {};
    while (pos < s.size() && is_space(s[pos])) ++pos;
    if (pos >= s.size() || s[pos] != '=') return true;
    ++pos;
    while (pos < s.size() && is_space(s[pos])) ++pos;
    if (pos < s.size() && (s[pos] == '"' || s[pos] == '\'')) {
        const char quote = s[pos++];
        start = pos;
        while (pos < s.size() && s[pos] != quote) ++pos;
        attr.value = s.substr(start, pos - start);
        if (pos < s.size()) ++pos;
    } else {
        start = pos;
        while (pos < s.size() && !is_space(s[pos]) && s[pos] != '>') ++pos;
        attr.value = s.substr(start, pos - start);
    }
    return true;
}

// Length of the UTF-8 sequence starting at s[i], or 0 if it is not well formed
// (overlong forms, surrogates and values above U+10FFFF included).
std::size_t utf8_sequence(std::string_view s, std::size_t i) noexcept {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    const unsigned char c = b(0);
    if (c < 0x80) return 1;
    std::size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    if (b(1) < lo || b(1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (b(k) < 0x80 || b(k) > 0xBF) return 0;
    return n;
}

}  // namespace

std::string charset_from_content_type(std::string_view content_type) {
    const std::size_t semicolon = content_type.find(';');
    if (semicolon == std::string_view::npos) return {};
    return charset_value(content_type.substr(semicolon + 1));
}

std::string charset_from_meta(std::string_view body) {
    const std::string_view s = body.substr(0, 64 * 1024);
    std::size_t pos = 0;
    while ((pos = s.find('<', pos)) != std::string_view::npos) {
        if (s.substr(pos, 4) == "<!--") {
            const std::size_t end = s.find("-->", pos + 4);
            if (end == std::string_view::npos) return {};
            pos = end + 3;
            continue;
        }
        ++pos;
        if (pos + 5 > s.size() || !equals_nocase(s.substr(pos, 4), "meta") ||
            !(is_space(s[pos + 4]) || s[pos + 4] == '/')) {
            continue;
        }
        pos += 4;
        Attribute attr;
        bool content_type = false;
        std::string from_content;
        while (next_attribute(s, pos, attr)) {
            if (equals_nocase(attr.name, "charset")) return std::string(trim(attr.value));
            if (equals_nocase(attr.name, "http-equiv")) content_type = equals_nocase(trim(attr.value), "content-type");
            if (equals_nocase(attr.name, "content")) from_content = charset_value(attr.value);
        }
        if (content_type && !from_content.empty()) return from_content;
    }
    return {};
}

std::size_t clean_utf8_prefix(std::string_view text) noexcept {
    constexpr std::uint64_t kOnes = 0x0101010101010101, kHighs = 0x8080808080808080;
    std::size_t i = 0;
    while (i < text.size()) {
        // Most of a page is ASCII: skip eight bytes at a time while all are in 1..127
        // (a 0 byte borrows into its high bit, a non-ASCII byte has it set already).
        if (i + 8 <= text.size()) {
            std::uint64_t word;
            std::memcpy(&word, text.data() + i, 8);
            if (((word | (word - kOnes)) & kHighs) == 0) {
                i += 8;
                continue;
            }
        }
        const std::size_t n = text[i] == '\0' ? 0 : utf8_sequence(text, i);
        if (n == 0) break;
        i += n;
    }
    return i;
}

std::size_t make_valid_utf8(std::string& text) {
    std::size_t i = clean_utf8_prefix(text);
    if (i == text.size()) return 0;
    std::string out(text, 0, i);
    std::size_t replaced = 0;
    while (i < text.size()) {
        const std::size_t n = utf8_sequence(text, i);
        if (n == 0) {
            out += kReplacementChar;
            ++replaced;
            ++i;
        } else {
            if (text[i] != '\0') out.append(text, i, n);
            i += n;
        }
    }
    text.swap(out);
    return replaced;
}

std::string normalize_space(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool pending_space = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        const bool nbsp = c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0;
        if (is_space(static_cast<char>(c)) || nbsp) {
            pending_space = !out.empty();
            i += nbsp ? 1 : 0;
            continue;
        }
        if (c < 0x20 || c == 0x7F) continue;
        if (pending_space) out += ' ';
        pending_space = false;
        out += static_cast<char>(c);
    }
    return out;
}

std::size_t utf8_length(std::string_view text) noexcept {
    return static_cast<std::size_t>(std::count_if(
        text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool contains_nocase(std::string_view haystack, std::string_view needle) noexcept {
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                       [](char x, char y) { return lower(x) == lower(y); }) != haystack.end();
}

bool equals_nocase(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

void ascii_lower(std::string& text) noexcept {
    for (char& c : text) c = lower(c);
}

std::string clean_text(std::string text) {
    make_valid_utf8(text);
    return normalize_space(text);
}

}  // namespace spojscore
