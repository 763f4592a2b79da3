#include "robots.hpp"

#include <cctype>
#include <cstdlib>

namespace spojscore {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

bool equal_nocase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

bool token_char(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool unreserved(unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// `path` matches `pattern` from its start; "*" is any run, a final "$" anchors the end.
// Iterative with one backtrack point: O(|pattern| x |path|) at worst.
bool matches(std::string_view pattern, std::string_view path) {
    bool anchored = !pattern.empty() && pattern.back() == '$';
    if (anchored) pattern.remove_suffix(1);
    std::size_t p = 0, s = 0, star = std::string_view::npos, resume = 0;
    for (;;) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = ++p;
            resume = s;
            continue;
        }
        if (p == pattern.size() && (!anchored || s == path.size())) return true;
        if (p < pattern.size() && s < path.size() && pattern[p] == path[s]) {
            ++p;
            ++s;
            continue;
        }
        if (star == std::string_view::npos || resume >= path.size()) return false;
        p = star;
        s = ++resume;
    }
}

}  // namespace

std::string robots_normalise(std::string_view path) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (std::size_t i = 0; i < path.size(); ++i) {
        auto c = static_cast<unsigned char>(path[i]);
        if (c == '%' && i + 2 < path.size() && hex_value(path[i + 1]) >= 0 && hex_value(path[i + 2]) >= 0) {
            auto decoded = static_cast<unsigned char>(hex_value(path[i + 1]) * 16 + hex_value(path[i + 2]));
            if (unreserved(decoded)) {
                out += static_cast<char>(decoded);
            } else {
                out += '%';
                out += hex[decoded >> 4];
                out += hex[decoded & 15];
            }
            i += 2;
        } else if (c <= 0x20 || c >= 0x7f) {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::string robots_product_token(std::string_view user_agent) {
    std::size_t n = 0;
    while (n < user_agent.size() && token_char(user_agent[n])) ++n;
    return std::string(user_agent.substr(0, n));
}

RobotsRules parse_robots(std::string_view body, std::string_view token) {
    RobotsRules ours, star;
    bool in_agents = false;   // reading the user-agent lines that open a group
    bool group_ours = false, group_star = false;
    std::size_t pos = body.rfind("\xef\xbb\xbf", 0) == 0 ? 3 : 0;  // a UTF-8 BOM
    while (pos < body.size()) {
        std::size_t end = body.find_first_of("\r\n", pos);
        if (end == std::string_view::npos) end = body.size();
        std::string_view line = body.substr(pos, end - pos);
        pos = end + 1;
        line = trim(line.substr(0, line.find('#')));
        std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        std::string_view key = trim(line.substr(0, colon));
        std::string_view value = trim(line.substr(colon + 1));
        if (equal_nocase(key, "user-agent")) {
            if (!in_agents) group_ours = group_star = false;  // a new group starts
            in_agents = true;
            std::size_t n = 0;
            while (n < value.size() && token_char(value[n])) ++n;
            if (value == "*") group_star = true;
            else if (n > 0 && equal_nocase(value.substr(0, n), token)) group_ours = ours.matched_token = true;
            continue;
        }
        bool allow = equal_nocase(key, "allow");
        bool disallow = equal_nocase(key, "disallow");
        bool delay = equal_nocase(key, "crawl-delay");
        if (!allow && !disallow && !delay) continue;  // sitemap and others: not group members
        in_agents = false;
        for (RobotsRules* target : {group_ours ? &ours : nullptr, group_star ? &star : nullptr}) {
            if (!target) continue;
            if (delay) {
                char* stop = nullptr;
                std::string text(value);
                double seconds = std::strtod(text.c_str(), &stop);
                if (!target->crawl_delay_s && !text.empty() && stop && *stop == '\0' && seconds >= 0 &&
                    seconds <= 86400)
                    target->crawl_delay_s = seconds;
            } else if (!value.empty()) {  // an empty Disallow allows everything: no rule
                target->rules.push_back({allow, robots_normalise(value)});
            }
        }
    }
    // A group that names us wins even when it holds no rule at all (then all is allowed).
    return ours.matched_token ? ours : star;
}

bool RobotsRules::allowed(std::string_view path) const {
    const std::string normal = robots_normalise(path);
    if (normal == "/robots.txt") return true;
    const RobotsRule* best = nullptr;
    for (const RobotsRule& rule : rules) {
        if (!matches(rule.pattern, normal)) continue;
        if (!best || rule.pattern.size() > best->pattern.size() ||
            (rule.pattern.size() == best->pattern.size() && rule.allow && !best->allow))
            best = &rule;
    }
    return !best || best->allow;
}

}  // namespace spojscore

#include "no_postgres.hpp"
