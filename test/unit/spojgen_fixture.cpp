#include "spojgen_fixture.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace spojscore::test {
namespace {

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

GeneratedPages generate_pages(int seed, int total, const std::string& layout,
                              const std::vector<std::string>& variants) {
    std::string dir_template = (std::filesystem::temp_directory_path() / "spojgen-XXXXXX").string();
    if (mkdtemp(dir_template.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    const std::filesystem::path dir = dir_template;
    std::string command = "/usr/bin/python3 " + shell_quote(std::string(SPOJSCORE_SOURCE_DIR) +
                                                            "/test/fixture/spojgen.py") +
                          " --seed " + std::to_string(seed) + " --total " + std::to_string(total) +
                          " --layout " + layout + " --out " + shell_quote(dir.string());
    for (const auto& v : variants) command += " --variant " + shell_quote(v);
    const int status = std::system(command.c_str());
    GeneratedPages out;
    if (status == 0) {
        for (int page = 0;; ++page) {
            char name[32];
            std::snprintf(name, sizeof name, "page-%03d.html", page);
            if (!std::filesystem::exists(dir / name)) break;
            out.pages.push_back(read_file(dir / name));
        }
        out.expected_tsv = read_file(dir / "expected.tsv");
    }
    std::filesystem::remove_all(dir);
    if (status != 0 || out.pages.empty()) throw std::runtime_error("spojgen.py failed: " + command);
    return out;
}

std::string rows_tsv(const std::vector<ProblemRow>& rows) {
    std::string out;
    char acc[32];
    for (const auto& r : rows) {
        std::snprintf(acc, sizeof acc, "%.2f", r.acc_rate);
        out += std::to_string(r.spoj_id) + '\t' + r.code + '\t' + r.name + '\t' + std::to_string(r.users) + '\t' +
               acc + '\t' + (r.quality ? std::to_string(*r.quality) : std::string()) + '\n';
    }
    return out;
}

}  // namespace spojscore::test
