// Byte- and text-level helpers for HTML pages: where the charset comes from, and
// turning extracted text into clean UTF-8. No libxml2 here.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace spojscore {

// The charset parameter of a Content-Type header value ("text/html; charset=UTF-8"
// gives "UTF-8"), or "" when there is none.
std::string charset_from_content_type(std::string_view content_type);

// The charset a <meta charset> or <meta http-equiv content="...; charset=..."> in the
// first 64 KiB declares, or "". Comments are skipped, as a browser's prescan does.
std::string charset_from_meta(std::string_view body);

// Length of the longest prefix of `text` that is well-formed UTF-8 without NUL, i.e.
// what make_valid_utf8 would leave untouched; text.size() when it changes nothing.
std::size_t clean_utf8_prefix(std::string_view text) noexcept;

// Replaces every byte that is not part of a well-formed UTF-8 sequence with U+FFFD
// and drops NUL. Returns how many bytes were replaced.
std::size_t make_valid_utf8(std::string& text);

// Whitespace (ASCII and U+00A0) collapsed to single spaces, trimmed; other control
// characters dropped. `text` must be valid UTF-8.
std::string normalize_space(std::string_view text);

// Extracted text as the parsers keep it: made valid UTF-8, then normalize_space.
std::string clean_text(std::string text);

// U+FFFD, what make_valid_utf8 puts in place of a bad byte.
constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";

// Code points in valid UTF-8.
std::size_t utf8_length(std::string_view text) noexcept;

// ASCII case-insensitive containment, for markers such as "Just a moment".
bool contains_nocase(std::string_view haystack, std::string_view needle) noexcept;

// ASCII case-insensitive equality.
bool equals_nocase(std::string_view a, std::string_view b) noexcept;

// ASCII letters of `text` lowered in place.
void ascii_lower(std::string& text) noexcept;

}  // namespace spojscore
