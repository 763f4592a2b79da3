// The b1.5 field rules on their own (the list-page tests exercise them in context).
#include <gtest/gtest.h>

#include "core/row_fields.hpp"

namespace spojscore {
namespace {

TEST(RowFields, ColumnFromHeader) {
    EXPECT_EQ(column_from_header("ID"), Column::Id);
    EXPECT_EQ(column_from_header("name"), Column::Name);
    EXPECT_EQ(column_from_header("ACC %"), Column::AccRate);
    EXPECT_EQ(column_from_header("ACC%"), Column::AccRate);
    EXPECT_EQ(column_from_header("USERS"), Column::Users);
    EXPECT_EQ(column_from_header("QUALITY"), Column::Quality);
    EXPECT_EQ(column_from_header("CODE"), Column::Code);
    EXPECT_FALSE(column_from_header("SOLVED BY"));
    EXPECT_FALSE(column_from_header(""));
    EXPECT_STREQ(column_label(Column::Users), "USERS");
}

TEST(RowFields, LinkTarget) {
    EXPECT_EQ(link_target("https://www.spoj.com/problems/TEST", "problems"), "TEST");
    EXPECT_EQ(link_target("/problems/PRIME1/", "problems"), "PRIME1");
    EXPECT_EQ(link_target("//www.spoj.com/problems/X_1//?a=b#c", "problems"), "X_1");
    EXPECT_EQ(link_target("problems/ABC", "problems"), "ABC");
    EXPECT_EQ(link_target("/ranks/TEST", "ranks"), "TEST");
    EXPECT_FALSE(link_target("/ranks/TEST", "problems"));
    EXPECT_FALSE(link_target("/problems/", "problems"));
    EXPECT_FALSE(link_target("https://www.spoj.com", "problems"));
    EXPECT_FALSE(link_target("/problems/classical/sort=5", "problems"));
    EXPECT_FALSE(link_target("/submit/TEST", "problems"));
    EXPECT_FALSE(link_target("", "problems"));
}

TEST(RowFields, Code) {
    EXPECT_TRUE(valid_code("PRIME1"));
    EXPECT_TRUE(valid_code("LASER_BEAM"));
    EXPECT_TRUE(valid_code("ABCDEFGHIJKLMNOPQRST"));
    EXPECT_FALSE(valid_code("ABCDEFGHIJKLMNOPQRSTU"));
    EXPECT_FALSE(valid_code(""));
    EXPECT_FALSE(valid_code("prime1"));
    EXPECT_FALSE(valid_code("A'B"));
    EXPECT_FALSE(valid_code("A B"));
}

TEST(RowFields, Users) {
    EXPECT_EQ(parse_users("0"), 0);
    EXPECT_EQ(parse_users("221566"), 221566);
    EXPECT_EQ(parse_users("999999999"), 999999999);
    for (const char* bad : {"", "-5", "+7", "1,234", "1e3", "1 234", "abc", "1234567890", "12.0", " 12"})
        EXPECT_FALSE(parse_users(bad)) << bad;
}

TEST(RowFields, IdAccRateQuality) {
    EXPECT_EQ(parse_id("42546"), 42546);
    EXPECT_FALSE(parse_id("-1"));
    EXPECT_FALSE(parse_id("1234567890123456789"));
    // spoj_id is integer: the largest int4 is kept, anything above is invalid, never wrapped.
    EXPECT_EQ(parse_id("2147483647"), 2147483647);
    EXPECT_EQ(parse_id("0002147483647"), 2147483647);
    EXPECT_FALSE(parse_id("2147483648"));
    EXPECT_FALSE(parse_id("4294967296"));
    EXPECT_FALSE(parse_id("99999999999"));
    EXPECT_DOUBLE_EQ(*parse_acc_rate("33.15"), 33.15);
    EXPECT_DOUBLE_EQ(*parse_acc_rate("100"), 100.0);
    EXPECT_DOUBLE_EQ(*parse_acc_rate("0.5"), 0.5);
    for (const char* bad : {"", ".5", "5.", "100.01", "1000", "-1", "nan", "inf", "1e2", "33,15", "1.23456"})
        EXPECT_FALSE(parse_acc_rate(bad)) << bad;
    std::optional<std::int64_t> q = 5;
    EXPECT_TRUE(parse_quality("", q));
    EXPECT_FALSE(q);
    EXPECT_TRUE(parse_quality("-75", q));
    EXPECT_EQ(q, -75);
    EXPECT_FALSE(parse_quality("+3", q));
    EXPECT_FALSE(parse_quality("-", q));
    EXPECT_FALSE(parse_quality("1.5", q));
}

TEST(RowFields, Name) {
    EXPECT_TRUE(valid_name("A"));
    EXPECT_TRUE(valid_name(std::string(200, 'x')));
    EXPECT_FALSE(valid_name(std::string(201, 'x')));
    EXPECT_FALSE(valid_name(""));
}

TEST(RowFields, Contract) {
    ProblemRow row;
    row.code = "TEST";
    row.name = "Life";
    EXPECT_TRUE(meets_row_contract(row));
    row.name = " Life";
    EXPECT_FALSE(meets_row_contract(row));
    row.name = "L\xFF";
    EXPECT_FALSE(meets_row_contract(row));
    row.name = std::string("L\0x", 3);
    EXPECT_FALSE(meets_row_contract(row));
    row.name = "Life";
    row.users = -1;
    EXPECT_FALSE(meets_row_contract(row));
    row.users = 0;
    row.acc_rate = 100.5;
    EXPECT_FALSE(meets_row_contract(row));
    row.acc_rate = 0;
    row.spoj_id = kMaxSpojId;
    EXPECT_TRUE(meets_row_contract(row));
    row.spoj_id = kMaxSpojId + 1;
    EXPECT_FALSE(meets_row_contract(row));
}

}  // namespace
}  // namespace spojscore
