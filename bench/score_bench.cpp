#include <benchmark/benchmark.h>

#include "core/score.hpp"

static void BM_Score(benchmark::State& state) {
    std::int64_t users = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(spojscore::score(users));
        users = (users + 7) & 0xFFFF;
    }
}
BENCHMARK(BM_Score);

