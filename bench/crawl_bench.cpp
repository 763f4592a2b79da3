// Crawl wall time for 80 list pages served by spojfix.py, next to the network floor
// (pages x latency / connections) the crawler can at best reach.
#include <benchmark/benchmark.h>

#include <chrono>
#include <string>

#include "../test/unit/spojfix_process.hpp"
#include "core/crawl.hpp"

namespace {

constexpr int kPages = 80;

int server_port() {
    static spojfix::Process server;  // stopped at exit
    if (server.port() == 0) server.start();
    return server.port();
}

void BM_Crawl80Pages(benchmark::State& state) {
    const long latency_ms = state.range(0);
    const int connections = static_cast<int>(state.range(1));
    spojscore::FetchOptions o;
    o.base_url = "http://127.0.0.1:" + std::to_string(server_port()) + "/s/ok,total=" +
                 std::to_string(kPages * spojscore::kRowsPerListPage) + ",latency=" + std::to_string(latency_ms);
    o.connections = connections;
    double total_ms = 0;
    for (auto _ : state) {
        auto start = std::chrono::steady_clock::now();
        spojscore::CrawlResult r = spojscore::crawl_classical(o);
        std::chrono::duration<double> spent = std::chrono::steady_clock::now() - start;
        if (r.stats.pages != kPages) state.SkipWithError("wrong page count");
        state.SetIterationTime(spent.count());
        total_ms += spent.count() * 1000;
    }
    double wall_ms = total_ms / static_cast<double>(state.iterations());
    double floor_ms = static_cast<double>(kPages * latency_ms) / connections;
    state.counters["wall_ms"] = wall_ms;
    state.counters["floor_ms"] = floor_ms;
    if (floor_ms > 0) state.counters["x_floor"] = wall_ms / floor_ms;
}

}  // namespace

BENCHMARK(BM_Crawl80Pages)
    ->ArgNames({"latency_ms", "connections"})
    ->ArgsProduct({{0, 100}, {1, 2, 4}})
    ->UseManualTime()
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);
