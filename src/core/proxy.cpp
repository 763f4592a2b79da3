#include "proxy.hpp"

#include <cctype>

#include "error.hpp"

namespace spojscore {
namespace {

[[noreturn]] void reject(const char* why) {
    throw Error(ErrorKind::InvalidArgument, std::string("invalid proxy URL: ") + why);
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
    return true;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        if (i + 2 >= s.size()) reject("a % in the credentials is not followed by two hex digits");
        int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
        if (hi < 0 || lo < 0) reject("a % in the credentials is not followed by two hex digits");
        char c = static_cast<char>(hi * 16 + lo);
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) reject("the credentials decode to a control character");
        out += c;
        i += 2;
    }
    return out;
}

bool host_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
}

void check_port(std::string_view port) {
    if (port.empty() || port.size() > 5) reject("the port must be a number from 1 to 65535");
    long value = 0;
    for (char c : port) {
        if (!std::isdigit(static_cast<unsigned char>(c))) reject("the port must be a number from 1 to 65535");
        value = value * 10 + (c - '0');
    }
    if (value < 1 || value > 65535) reject("the port must be a number from 1 to 65535");
}

}  // namespace

ProxyUrl parse_proxy_url(std::string_view url) {
    if (url.empty()) reject("empty");
    if (url.size() > kMaxProxyUrlBytes) reject("longer than 512 bytes");
    for (char c : url) {
        auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f) reject("contains a space, control or non-ASCII character");
    }
    std::string_view scheme;
    for (std::string_view s : {"http://", "https://", "socks5h://"})
        if (starts_with_nocase(url, s)) scheme = s;
    if (scheme.empty()) reject("the scheme must be http://, https:// or socks5h://");
    std::string_view rest = url.substr(scheme.size());
    if (rest.find_first_of("?#") != std::string_view::npos)
        reject("a query or fragment is not allowed (percent-encode such characters in the credentials)");
    std::size_t slash = rest.find('/');
    if (slash != std::string_view::npos && slash + 1 != rest.size())
        reject("a path is not allowed (percent-encode / in the credentials)");
    std::string_view authority = rest.substr(0, slash);

    ProxyUrl out;
    if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
        std::string_view userinfo = authority.substr(0, at);
        authority = authority.substr(at + 1);
        std::size_t colon = userinfo.find(':');
        out.user = percent_decode(userinfo.substr(0, colon));
        if (colon != std::string_view::npos) out.password = percent_decode(userinfo.substr(colon + 1));
        if (out.user.empty()) reject("the user name before @ is empty");
    }
    std::string_view host = authority;
    std::string_view port;
    if (!authority.empty() && authority.front() == '[') {
        std::size_t close = authority.find(']');
        if (close == std::string_view::npos) reject("unterminated IPv6 address");
        host = authority.substr(0, close + 1);
        for (char c : host.substr(1, host.size() - 2))
            if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') reject("bad IPv6 address");
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') reject("junk after the IPv6 address");
            port = after.substr(1);
            check_port(port);
        }
    } else {
        if (std::size_t colon = authority.find(':'); colon != std::string_view::npos) {
            host = authority.substr(0, colon);
            port = authority.substr(colon + 1);
            check_port(port);
        }
        for (char c : host)
            if (!host_char(c)) reject("the host may hold only letters, digits, '.', '-' and '_'");
    }
    if (host.empty() || host == "[]") reject("the host is empty");
    std::string lower_scheme;
    for (char c : scheme) lower_scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.address = lower_scheme + std::string(host) + (port.empty() ? "" : ":" + std::string(port));
    return out;
}

void validate_no_proxy(std::string_view list) {
    if (list.size() > kMaxNoProxyBytes)
        throw Error(ErrorKind::InvalidArgument, "no_proxy is longer than 1024 bytes");
    for (char c : list)
        if (!host_char(c) && c != ',' && c != ' ' && c != ':' && c != '[' && c != ']' && c != '*' && c != '/')
            throw Error(ErrorKind::InvalidArgument,
                        "no_proxy must be a comma-separated list of host names, addresses or \"*\"");
}

std::string redact_proxy_secrets(std::string text, std::string_view proxy_url) {
    if (proxy_url.empty()) return text;
    ProxyUrl proxy;
    try {
        proxy = parse_proxy_url(proxy_url);
    } catch (const Error&) {
        return text;  // never used for a transfer: validate_fetch_options refused it
    }
    std::string_view authority = proxy_url.substr(proxy_url.find("//") + 2);
    authority = authority.substr(0, authority.find('/'));
    std::size_t at = authority.rfind('@');
    std::string raw_userinfo(at == std::string_view::npos ? std::string_view() : authority.substr(0, at));
    // A user name shorter than 3 characters is left alone: it would mangle every word.
    if (proxy.user.size() < 3) proxy.user.clear();
    for (const std::string& secret : {raw_userinfo, proxy.password, proxy.user}) {
        if (secret.empty()) continue;
        for (std::size_t pos; (pos = text.find(secret)) != std::string::npos;) text.replace(pos, secret.size(), "***");
    }
    return text;
}

}  // namespace spojscore

#include "no_postgres.hpp"
