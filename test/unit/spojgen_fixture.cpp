#include "spojgen_fixture.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

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

// Runs spojgen.py with `arguments` (already quoted) and --out DIR; returns DIR's
// profile.html and profile-expected.tsv (empty when not written).
std::pair<std::string, std::string> run_profile(const std::string& arguments) {
    std::string dir_template = (std::filesystem::temp_directory_path() / "spojgen-XXXXXX").string();
    if (mkdtemp(dir_template.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    const std::filesystem::path dir = dir_template;
    const std::string command = "/usr/bin/python3 " +
                                shell_quote(std::string(SPOJSCORE_SOURCE_DIR) + "/test/fixture/spojgen.py") + " " +
                                arguments + " --out " + shell_quote(dir.string());
    const int status = std::system(command.c_str());
    std::pair<std::string, std::string> out;
    if (status == 0) {
        out.first = read_file(dir / "profile.html");
        if (std::filesystem::exists(dir / "profile-expected.tsv")) out.second = read_file(dir / "profile-expected.tsv");
    }
    std::filesystem::remove_all(dir);
    if (status != 0 || out.first.empty()) throw std::runtime_error("spojgen.py failed: " + command);
    return out;
}

}  // namespace

GeneratedProfile generate_profile(const std::string& handle, int seed, int total, int solved, int todo,
                                  const std::vector<std::string>& variants) {
    std::string arguments = "--profile " + shell_quote(handle) + " --seed " + std::to_string(seed) + " --total " +
                            std::to_string(total) + " --solved " + std::to_string(solved) + " --todo " +
                            std::to_string(todo);
    for (const auto& v : variants) arguments += " --variant " + shell_quote(v);
    auto [html, tsv] = run_profile(arguments);
    GeneratedProfile out;
    out.html = std::move(html);
    std::istringstream lines(tsv);
    std::string line;
    while (std::getline(lines, line)) {
        const std::size_t tab = line.find('\t');
        if (tab != std::string::npos) out.expected[line.substr(0, tab)] = line.substr(tab + 1);
    }
    return out;
}

std::string generate_unknown_user(const std::string& handle) {
    return run_profile("--unknown-user " + shell_quote(handle)).first;
}

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
