// robots.txt (RFC 9309) for one crawler: the rules of the groups that match its product
// token (else the "*" groups), longest match wins, Allow wins a tie, "*" and "$" patterns,
// and the Crawl-delay extension of those groups. Pure parsing: no network here.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spojscore {

struct RobotsRule {
    bool allow = false;
    std::string pattern;  // normalised (see robots_normalise), "*" and a final "$" kept
};

struct RobotsRules {
    std::vector<RobotsRule> rules;       // of the matching groups, in file order
    std::optional<double> crawl_delay_s;  // first valid Crawl-delay of those groups
    bool matched_token = false;           // a group named our token (not just "*")

    // Whether `path` (path and query, starting with "/") may be fetched.
    bool allowed(std::string_view path) const;
};

// The product token of a User-Agent header: its leading run of letters, "_" and "-"
// ("spojscore/0.2.0 (...)" gives "spojscore"); empty when there is none.
std::string robots_product_token(std::string_view user_agent);

// Parses a robots.txt body for `token` (matched case-insensitively). Never throws for bad
// content: lines it does not understand are skipped, as the RFC asks.
RobotsRules parse_robots(std::string_view body, std::string_view token);

// Percent-encoding made comparable: %XX of unreserved characters decoded, other escapes
// upper-cased, octets outside printable ASCII encoded.
std::string robots_normalise(std::string_view path);

}  // namespace spojscore
