// SQL entry points for scoring and the boundary self-test.
#include "pg/boundary.hpp"

#include <string>

extern "C" {
#include "utils/builtins.h"
}

#include "core/score.hpp"
#include "core/selftest.hpp"

// spoj_score(users integer) -> double precision
SPOJ_FUNCTION(spoj_score) {
    const int32 users = PG_GETARG_INT32(0);
    double value = 0;
    SPOJ_CORE(value = spojscore::score(users));
    PG_RETURN_FLOAT8(value);
}

// spoj_selftest(kind text, depth integer) -> bigint: throws `kind` from `depth` frames
// deep in core; returns the number of core guards left undestroyed (always 0).
SPOJ_FUNCTION(spoj_selftest) {
    char* kind = text_to_cstring(PG_GETARG_TEXT_PP(0));
    const int32 depth = PG_GETARG_INT32(1);
    long live = 0;
    SPOJ_CORE(spojscore::selftest_throw(kind, depth); live = spojscore::selftest_live_guards());
    pfree(kind);
    PG_RETURN_INT64(live);
}
