// Which site roots spojscore may fetch from. Shared by the crawler (checked before any
// request) and the PostgreSQL setting's check hook.
#pragma once
#include <cstddef>
#include <string_view>

namespace spojscore {

inline constexpr std::size_t kMaxBaseUrlBytes = 512;

// Accepts "https://host[:port][/path]", and "http://..." only when the host is loopback
// (127.0.0.0/8, localhost, [::1]). Rejects userinfo, query, fragment, control characters,
// spaces, an empty host and anything longer than kMaxBaseUrlBytes.
// Throws Error(InvalidArgument) saying what is wrong.
void validate_base_url(std::string_view url);

// The site root without trailing slashes, ready for "/path" to be appended.
std::string_view site_root(std::string_view base_url) noexcept;

}  // namespace spojscore
