// parse_list_page on generated 50-row pages of both layouts (spojgen.py, run once at
// startup). Target: <= 1 ms CPU per ~45 KB current-layout page.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "core/list_page.hpp"

namespace {

// Page 1 of a 130-problem list in `layout`, as the generator renders it.
std::string generated_page(const std::string& layout) {
    std::string dir = (std::filesystem::temp_directory_path() / "spojbench-XXXXXX").string();
    if (mkdtemp(dir.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    const std::string command = "/usr/bin/python3 '" SPOJSCORE_SOURCE_DIR "/test/fixture/spojgen.py' --seed 7 "
                                "--total 130 --layout " + layout + " --out '" + dir + "'";
    const int status = std::system(command.c_str());
    std::ifstream in(std::filesystem::path(dir) / "page-000.html", std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    std::filesystem::remove_all(dir);
    if (status != 0 || body.str().empty()) throw std::runtime_error("spojgen.py failed: " + command);
    return body.str();
}

void parse_page(benchmark::State& state, const std::string& body) {
    std::size_t rows = 0;
    for (auto _ : state) {
        const spojscore::ListPage page = spojscore::parse_list_page(body, "text/html");
        rows = page.rows.size();
        benchmark::DoNotOptimize(page.rows.data());
    }
    if (rows != 50) state.SkipWithError("expected 50 rows");
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(body.size()));
    state.counters["page_bytes"] = static_cast<double>(body.size());
}

void BM_ParseCurrentLayoutPage(benchmark::State& state) {
    static const std::string body = generated_page("current");
    parse_page(state, body);
}
BENCHMARK(BM_ParseCurrentLayoutPage)->Unit(benchmark::kMicrosecond);

void BM_Parse2014LayoutPage(benchmark::State& state) {
    static const std::string body = generated_page("2014");
    parse_page(state, body);
}
BENCHMARK(BM_Parse2014LayoutPage)->Unit(benchmark::kMicrosecond);

}  // namespace
