// The parsers on the worst inputs they still accept, at 1 and 4 MB: CPU per MB must not
// grow with the size (linear), and stay small. Plus what a refused page costs (the pre-scan
// alone) and the pre-scan's own speed. bench/RESULTS.md has the figures.
#include <benchmark/benchmark.h>

#include <string>

#include "core/error.hpp"
#include "core/html_limits.hpp"
#include "core/list_page.hpp"
#include "core/profile_page.hpp"

namespace {

std::string attributes(int n, const char* separator = " ") {
    std::string out;
    for (int i = 0; i < n; ++i) out += separator + ("a" + std::to_string(i));
    return out;
}

// `unit` repeated to `mb` MB inside a page.
std::string page_of(const std::string& unit, std::int64_t mb) {
    std::string body = "<html><body>";
    while (body.size() < static_cast<std::size_t>(mb) << 20) body += unit;
    return body + "</body></html>";
}

const std::string& tag_256() {
    static const std::string tag = "<br" + attributes(256) + ">";  // the most attributes allowed
    return tag;
}

void report(benchmark::State& state, const std::string& body) {
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(body.size()));
    state.counters["MB"] = static_cast<double>(body.size()) / (1 << 20);
}

template <typename Parse>
void run(benchmark::State& state, const std::string& body, Parse parse) {
    for (auto _ : state) {
        try {
            parse(body);
        } catch (const spojscore::Error&) {  // a refusal is a result here
        }
    }
    report(state, body);
}

void list(const std::string& body) { benchmark::DoNotOptimize(spojscore::parse_list_page(body, "text/html").kind); }
void profile(const std::string& body) {
    benchmark::DoNotOptimize(spojscore::parse_profile_page(body, "text/html").kind);
}

// The worst list page: start tags of 256 attributes (libxml2's quadratic check at its cap).
void BM_ListTags256(benchmark::State& state) { run(state, page_of(tag_256(), state.range(0)), list); }
BENCHMARK(BM_ListTags256)->Arg(1)->Arg(4)->Arg(16)->Unit(benchmark::kMillisecond);

// Elements only (<td> closes <td>): the most events per byte.
void BM_ListTds(benchmark::State& state) { run(state, page_of("<td>", state.range(0)), list); }
BENCHMARK(BM_ListTds)->Arg(1)->Arg(4)->Arg(16)->Unit(benchmark::kMillisecond);

// One start tag holding the whole page (a 256-attribute tag whose last value is huge).
void BM_ListOneTag(benchmark::State& state) {
    const std::string value(static_cast<std::size_t>(state.range(0)) << 20, 'x');
    run(state, "<html><body><br" + attributes(255) + " z=\"" + value + "\">", list);
}
BENCHMARK(BM_ListOneTag)->Arg(1)->Arg(4)->Arg(16)->Unit(benchmark::kMillisecond);

// A dense profile tree still under the budget (an element and a text node per 29 bytes:
// ~50 MB of tree at 4 MB; "<span>a</span>" at 4 MB would be refused).
void BM_ProfileSpans(benchmark::State& state) {
    run(state, page_of("<span>" + std::string(16, 'a') + "</span>", state.range(0)), profile);
}
BENCHMARK(BM_ProfileSpans)->Arg(1)->Arg(4)->Unit(benchmark::kMillisecond);

// Refused before parsing: the 100,000-attribute row (22000) and <td>s (54000).
void BM_RefusedAttributeBomb(benchmark::State& state) {
    run(state, page_of("<tr" + attributes(100000) + ">", state.range(0)), list);
}
BENCHMARK(BM_RefusedAttributeBomb)->Arg(1)->Arg(4)->Unit(benchmark::kMillisecond);

// The same separated by '/', as libxml2 2.14+ (HTML5) read them: <tr/a0/a1...>.
void BM_RefusedSlashAttributeBomb(benchmark::State& state) {
    run(state, page_of("<tr" + attributes(100000, "/") + ">", state.range(0)), list);
}
BENCHMARK(BM_RefusedSlashAttributeBomb)->Arg(1)->Arg(4)->Unit(benchmark::kMillisecond);

void BM_RefusedProfileTds(benchmark::State& state) { run(state, page_of("<td>", state.range(0)), profile); }
BENCHMARK(BM_RefusedProfileTds)->Arg(4)->Arg(16)->Unit(benchmark::kMillisecond);

// The pre-scan alone, on the 256-attribute page.
void BM_CountMarkup(benchmark::State& state) {
    const std::string body = page_of(tag_256(), state.range(0));
    for (auto _ : state) benchmark::DoNotOptimize(spojscore::html::count_markup(body).attributes);
    report(state, body);
}
BENCHMARK(BM_CountMarkup)->Arg(1)->Arg(4)->Unit(benchmark::kMillisecond);

}  // namespace
