// Runs test/fixture/spojgen.py into a temporary directory and reads what it wrote,
// so list-page tests compare the parser against the generator's expected.tsv.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "core/list_page.hpp"

namespace spojscore::test {

struct GeneratedPages {
    std::vector<std::string> pages;  // page-000.html, page-001.html, ... as bytes
    std::string expected_tsv;        // the rows a correct parser returns, all pages
};

// `variants` are spojgen.py --variant arguments, e.g. "logged_in=true".
GeneratedPages generate_pages(int seed, int total, const std::string& layout,
                              const std::vector<std::string>& variants = {});

// A user profile from spojgen.py --profile: the page and profile-expected.tsv read into
// key -> value (handle, full_name, world_rank, points, problems_solved,
// solutions_submitted, solved: space-separated codes).
struct GeneratedProfile {
    std::string html;
    std::map<std::string, std::string> expected;
};

GeneratedProfile generate_profile(const std::string& handle, int seed = 1, int total = 130, int solved = 70,
                                  int todo = 0, const std::vector<std::string>& variants = {});

// spojgen.py --unknown-user: the page for a handle nobody has.
std::string generate_unknown_user(const std::string& handle);

// Rows in expected.tsv's format: id, code, name, users, acc_rate (%.2f), quality.
std::string rows_tsv(const std::vector<ProblemRow>& rows);

// Codes joined with single spaces, as profile-expected.tsv lists them.
inline std::string joined(const std::vector<std::string>& codes) {
    std::string out;
    for (const auto& c : codes) out += (out.empty() ? "" : " ") + c;
    return out;
}

}  // namespace spojscore::test
