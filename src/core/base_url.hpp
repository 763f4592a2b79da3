// Which site roots spojscore may fetch from. Shared by the crawler (checked before any
// request) and the PostgreSQL setting's check hook.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace spojscore {

inline constexpr std::size_t kMaxBaseUrlBytes = 512;
inline constexpr std::size_t kMaxRedirectUrlBytes = 2048;

// Accepts "https://host[:port][/path]", and "http://..." only when the host is loopback
// (127.0.0.0/8, localhost, [::1]). Rejects userinfo, query, fragment, control characters,
// spaces, an empty host and anything longer than kMaxBaseUrlBytes.
// Throws Error(InvalidArgument) saying what is wrong.
void validate_base_url(std::string_view url);

// Why a redirect (from a page under the valid `base_url`) to the absolute URL `target`
// must not be followed, or nothing when it may be. The rule: the target has the same
// origin as base_url: scheme (http/https), host (case-insensitive, as libcurl parses it)
// and port (80/443 when absent); no user information; printable ASCII, <= 2048 bytes.
// So https is never left for http, and plain http only ever goes to a loopback host.
std::optional<std::string> redirect_refusal(std::string_view base_url, std::string_view target);

// The site root without trailing slashes, ready for "/path" to be appended.
std::string_view site_root(std::string_view base_url) noexcept;

}  // namespace spojscore
