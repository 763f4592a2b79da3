// Runs test/fixture/spojgen.py into a temporary directory and reads what it wrote,
// so list-page tests compare the parser against the generator's expected.tsv.
#pragma once
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

// Rows in expected.tsv's format: id, code, name, users, acc_rate (%.2f), quality.
std::string rows_tsv(const std::vector<ProblemRow>& rows);

}  // namespace spojscore::test
