#pragma once
#include <cstdint>

namespace spojscore {

// SPOJ's value of a classical problem solved by `users` people: 80 / (40 + users).
// Throws Error(InvalidArgument) for users < 0.
double score(std::int64_t users);

}  // namespace spojscore
