// The outbound proxy setting: which URLs are accepted, and how they reach libcurl. The
// credentials are secrets: no message built here or from libcurl text may show them.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace spojscore {

inline constexpr std::size_t kMaxProxyUrlBytes = 512;
inline constexpr std::size_t kMaxNoProxyBytes = 1024;

struct ProxyUrl {
    std::string address;   // "scheme://host[:port]", never with credentials: CURLOPT_PROXY
    std::string user;      // percent-decoded: CURLOPT_PROXYUSERNAME (empty: none)
    std::string password;  // percent-decoded: CURLOPT_PROXYPASSWORD
};

// Accepts "http://", "https://" or "socks5h://" (the proxy resolves names), optional
// "user[:password]@" (percent-encoded), a host, an optional port and at most a "/".
// Nothing else: no path, query or fragment. Throws Error(InvalidArgument) saying what is
// wrong without ever quoting the URL (it may carry a password).
ProxyUrl parse_proxy_url(std::string_view url);

// A comma-separated host list for CURLOPT_NOPROXY ("*" means every host). Throws
// Error(InvalidArgument).
void validate_no_proxy(std::string_view list);

// `text` with every occurrence of the proxy's user name and password (decoded and as
// written in the URL) replaced by "***". For libcurl's error text, which may name the proxy.
std::string redact_proxy_secrets(std::string text, std::string_view proxy_url);

}  // namespace spojscore
