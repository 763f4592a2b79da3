#include "base_url.hpp"

#include <curl/curl.h>

#include <cctype>
#include <memory>
#include <new>
#include <string>

#include "error.hpp"

namespace spojscore {
namespace {

[[noreturn]] void reject(std::string_view url, const char* why) {
    std::string shown(url.substr(0, 80));
    if (url.size() > 80) shown += "...";
    throw Error(ErrorKind::InvalidArgument, "invalid base URL \"" + shown + "\": " + why);
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
    return true;
}

bool is_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

// 127.a.b.c with every part a decimal 0..255: the whole 127.0.0.0/8 block is loopback.
bool is_ipv4_loopback(std::string_view host) {
    int parts = 0;
    std::size_t pos = 0;
    while (pos <= host.size()) {
        std::size_t dot = host.find('.', pos);
        if (dot == std::string_view::npos) dot = host.size();
        std::string_view part = host.substr(pos, dot - pos);
        if (!is_digits(part) || part.size() > 3 || std::stoi(std::string(part)) > 255) return false;
        if (parts == 0 && part != "127") return false;
        ++parts;
        pos = dot + 1;
    }
    return parts == 4;
}

bool is_loopback(std::string_view host) {
    bool localhost = host.size() == 9 && starts_with_nocase(host, "localhost");
    return localhost || host == "[::1]" || is_ipv4_loopback(host);
}

struct UrlDeleter {
    void operator()(CURLU* url) const noexcept { curl_url_cleanup(url); }
};

// The parts of an absolute URL that decide where a request goes, as libcurl itself reads
// them (so the check and the connection cannot disagree); nothing when it does not parse.
struct Origin {
    std::string scheme, host, port;
    bool userinfo = false;
};

std::optional<Origin> origin_of(std::string_view url) {
    std::unique_ptr<CURLU, UrlDeleter> handle(curl_url());
    if (!handle) throw std::bad_alloc();
    const std::string copy(url);
    if (curl_url_set(handle.get(), CURLUPART_URL, copy.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
        return std::nullopt;
    Origin origin;
    auto part = [&](CURLUPart which, std::string& out, unsigned flags) {
        char* value = nullptr;
        CURLUcode code = curl_url_get(handle.get(), which, &value, flags);
        if (code == CURLUE_OK) out = value;
        curl_free(value);
        return code == CURLUE_OK;
    };
    if (!part(CURLUPART_SCHEME, origin.scheme, 0)) return std::nullopt;
    part(CURLUPART_HOST, origin.host, 0);  // file:/// has none
    for (char& c : origin.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (char& c : origin.host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    part(CURLUPART_PORT, origin.port, CURLU_DEFAULT_PORT);
    std::string ignored;
    origin.userinfo = part(CURLUPART_USER, ignored, 0) || part(CURLUPART_PASSWORD, ignored, 0);
    return origin;
}

}  // namespace

std::optional<std::string> redirect_refusal(std::string_view base_url, std::string_view target) {
    if (target.size() > kMaxRedirectUrlBytes) return "longer than 2048 bytes";
    for (char c : target) {
        auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f) return "contains a space, control or non-ASCII character";
    }
    const std::optional<Origin> to = origin_of(target);
    if (!to) return "not an absolute URL";
    if (to->scheme != "http" && to->scheme != "https") return "scheme \"" + to->scheme + "\" is not http or https";
    if (to->userinfo) return "user information is not allowed";
    if (to->host.empty()) return "no host";
    const std::optional<Origin> base = origin_of(base_url);
    if (!base) return "base_url does not parse";
    if (base->scheme == "https" && to->scheme == "http") return "https must not be left for plain http";
    if (to->scheme == "http" && !is_loopback(to->host)) return "plain http is allowed only for a loopback host";
    if (to->host != base->host) return "another host than base_url's";
    if (to->scheme != base->scheme) return "another scheme than base_url's";
    if (to->port != base->port) return "another port than base_url's";
    return std::nullopt;
}

void validate_base_url(std::string_view url) {
    if (url.empty()) reject(url, "empty");
    if (url.size() > kMaxBaseUrlBytes) reject(url, "longer than 512 bytes");
    for (char c : url) {
        auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f) reject(url, "contains a space, control or non-ASCII character");
    }
    if (url.find('#') != std::string_view::npos) reject(url, "a fragment is not allowed");
    if (url.find('?') != std::string_view::npos) reject(url, "a query string is not allowed");

    bool https = starts_with_nocase(url, "https://");
    bool http = !https && starts_with_nocase(url, "http://");
    if (!https && !http) reject(url, "scheme must be https (or http for a loopback host)");

    std::string_view rest = url.substr(https ? 8 : 7);
    std::string_view authority = rest.substr(0, rest.find('/'));
    if (authority.find('@') != std::string_view::npos) reject(url, "user information is not allowed");

    std::string_view host = authority;
    std::string_view port;
    if (!authority.empty() && authority.front() == '[') {
        std::size_t close = authority.find(']');
        if (close == std::string_view::npos) reject(url, "unterminated IPv6 address");
        host = authority.substr(0, close + 1);
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') reject(url, "junk after the IPv6 address");
            port = after.substr(1);
            if (!is_digits(port)) reject(url, "port must be a number");
        }
    } else if (std::size_t colon = authority.find(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
        if (!is_digits(port)) reject(url, "port must be a number");
    }
    if (!port.empty() && (port.size() > 5 || std::stol(std::string(port)) > 65535 ||
                          std::stol(std::string(port)) == 0))
        reject(url, "port out of range");
    if (host.empty() || host == "[]") reject(url, "host is empty");
    if (http && !is_loopback(host)) reject(url, "plain http is allowed only for a loopback host");
}

std::string_view site_root(std::string_view base_url) noexcept {
    while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
    return base_url;
}

}  // namespace spojscore

#include "no_postgres.hpp"
