#include "core/score.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/selftest.hpp"

using spojscore::Error;
using spojscore::ErrorKind;

TEST(Score, MatchesSpojFormula) {
    EXPECT_DOUBLE_EQ(spojscore::score(0), 2.0);
    EXPECT_DOUBLE_EQ(spojscore::score(40), 1.0);
    EXPECT_DOUBLE_EQ(spojscore::score(120), 0.5);
    EXPECT_DOUBLE_EQ(spojscore::score(2147483647), 80.0 / 2147483687.0);
}

TEST(Score, NewSolverValueIsUsersPlusOne) {
    // SPOJ's "Value X points" title is round(80/(41+n), 2): MMIND (162 users) shows 0.39.
    EXPECT_NEAR(spojscore::score(162 + 1), 0.39, 0.005);
    EXPECT_NEAR(spojscore::score(162), 0.40, 0.005);
}

TEST(Score, NegativeUsersIsInvalidArgumentNamingTheValue) {
    try {
        spojscore::score(-1);
        FAIL() << "no exception";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
        EXPECT_NE(std::string(e.what()).find("-1"), std::string::npos) << e.what();
    }
}

TEST(Selftest, ThrowsTheNamedKindAndUnwindsEveryGuard) {
    EXPECT_THROW(spojscore::selftest_throw("layout", 50), Error);
    EXPECT_EQ(spojscore::selftest_live_guards(), 0);
    EXPECT_THROW(spojscore::selftest_throw("bad_alloc", 10), std::bad_alloc);
    EXPECT_THROW(spojscore::selftest_throw("foreign", 10), int);
    EXPECT_EQ(spojscore::selftest_live_guards(), 0);
    EXPECT_NO_THROW(spojscore::selftest_throw("none", 10));
    EXPECT_EQ(spojscore::selftest_live_guards(), 0);
}

TEST(Selftest, RejectsBadDepthAndUnknownKind) {
    try {
        spojscore::selftest_throw("layout", 0);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    }
    try {
        spojscore::selftest_throw("nonsense", 3);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
    }
}
