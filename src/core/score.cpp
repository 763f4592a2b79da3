#include "score.hpp"

#include <string>

#include "error.hpp"

namespace spojscore {

double score(std::int64_t users) {
    if (users < 0)
        throw Error(ErrorKind::InvalidArgument,
                    "users must be >= 0, got " + std::to_string(users));
    return 80.0 / (40.0 + static_cast<double>(users));
}

}  // namespace spojscore

#include "no_postgres.hpp"
