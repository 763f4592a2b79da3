// The parser and field rules against real SPOJ material in ../shared (reference only,
// never copied into the project): skipped when that directory is absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/list_page.hpp"
#include "core/profile_page.hpp"
#include "core/row_fields.hpp"
#include "core/score.hpp"

namespace spojscore {
namespace {

std::string shared_file(const std::string& relative) {
    const std::filesystem::path path = std::filesystem::path(SPOJSCORE_SHARED_DIR) / relative;
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(Conformance, ClassicalList2014Page1) {
    const std::string body = shared_file("spoj/pages/2014-04_classical-list_page1.html");
    if (body.empty()) GTEST_SKIP() << "no shared SPOJ pages";
    // SPOJ sent text/html without a charset: the meta (iso-8859-2) must be used.
    const ListPage page = parse_list_page(body, "text/html");
    EXPECT_EQ(page.kind, PageKind::Problems);
    EXPECT_EQ(page.layout, Layout::Era2014);
    EXPECT_TRUE(page.has_next);
    EXPECT_TRUE(page.table_complete);
    EXPECT_TRUE(page.skipped.empty());
    ASSERT_EQ(page.rows.size(), 50u);

    std::string codes;
    std::int64_t users = 0, ids = 0;
    for (const auto& r : page.rows) {
        codes += (codes.empty() ? "" : " ") + r.code;
        users += r.users;
        ids += r.spoj_id;
        EXPECT_FALSE(r.quality);
    }
    EXPECT_EQ(codes,
              "TEST PRIME1 SBSTR1 ONP PALIN ARITH BULK CMPLS DIRVS CMEXPR FCTRL MMIND HOTLINE IKEYB SHPATH "
              "TETRA CRYPTO1 CRYPTO2 CRYPTO3 CRYPTO4 TRICENTR PIR FCTRL2 POUR1 BSHEEP SBANK HMRO HASHIT BLINNET "
              "MUL NHAY TRIP RUNAWAY EQBOX CODE1 PROPKEY LABYR1 PIGBANK STONE WORDS1 ADDREV BOOKS1 SCYPHER "
              "COMMEDIA SCRAPER BEADS HAREFOX INCARDS TOUR JULKA");
    EXPECT_EQ(users, 178830);
    EXPECT_EQ(ids, 1313);

    const ProblemRow& test = page.rows[0];
    EXPECT_EQ(test.spoj_id, 1);
    EXPECT_EQ(test.name, "Life, the Universe, and Everything");
    EXPECT_EQ(test.users, 52250);
    EXPECT_DOUBLE_EQ(test.acc_rate, 34.50);
    const ProblemRow& prime = page.rows[1];
    EXPECT_EQ(prime.spoj_id, 2);
    EXPECT_EQ(prime.code, "PRIME1");
    EXPECT_EQ(prime.name, "Prime Generator");
    EXPECT_EQ(prime.users, 13077);
    EXPECT_DOUBLE_EQ(prime.acc_rate, 12.17);
    EXPECT_EQ(page.rows[2].name, "Substring Check (Bug Funny)");
    EXPECT_EQ(page.rows[11].code, "MMIND");
    EXPECT_EQ(page.rows[11].users, 162);
    const ProblemRow& julka = page.rows[49];
    EXPECT_EQ(julka.spoj_id, 54);
    EXPECT_EQ(julka.code, "JULKA");
    EXPECT_EQ(julka.name, "Julka");
    EXPECT_EQ(julka.users, 7508);
    EXPECT_DOUBLE_EQ(julka.acc_rate, 28.81);
}

// The 2019 profile of kosaksi (captured while another user was logged in): exactly its
// 70 solved codes, and the figures the page shows.
TEST(Conformance, UserProfile2019) {
    const std::string body = shared_file("spoj/pages/2019-02_user-profile_kosaksi.html");
    if (body.empty()) GTEST_SKIP() << "no shared SPOJ pages";
    for (const char* content_type : {"", "text/html", "text/html; charset=UTF-8"}) {
        SCOPED_TRACE(content_type);
        const ProfilePage page = parse_profile_page(body, content_type);
        ASSERT_EQ(page.kind, ProfileKind::Profile) << page.detail;
        EXPECT_EQ(page.handle, "kosaksi");
        EXPECT_EQ(page.full_name, "Kousshik Raj");
        EXPECT_EQ(page.world_rank, 28304);
        EXPECT_EQ(page.points, 0.6);
        EXPECT_EQ(page.problems_solved, 70);
        EXPECT_EQ(page.solutions_submitted, 105);
        EXPECT_EQ(page.skipped_cells, 0);
        std::string codes;
        for (const auto& c : page.solved) codes += (codes.empty() ? "" : " ") + c;
        EXPECT_EQ(page.solved.size(), 70u);
        EXPECT_EQ(codes,
                  "ABSYS ACODE ACPC10A ADDREV AE00 AGGRCOW AIBOHP AMR10G ANARC09A AP2 ARITH2 ARMY ARRAYSUB "
                  "BEENUMS BISHOPS BITMAP BUGLIFE BYTESM2 CANDY CANDY3 CANTON COINS CRDS EASYPROB EDIST EIGHTS "
                  "ETF FARIDA FASHION FCTRL FCTRL2 FENCE1 GIRLSNBS GSS1 GSS3 HANGOVER HORRIBLE HOTELS HPYNOS "
                  "HUBULLU INVCNT JULKA LASTDIG LASTDIG2 MARBLES MAXLN MIXTURES NGM NHAY NSTEPS NY10A OFFSIDE "
                  "OLOLO ONP PALIN PARTY PERMUT2 PIGBANK PRIME1 PT07Y PT07Z SAMER08F SBANK STAMPS STPAR TEST "
                  "TOANDFRO TRICOUNT TRT WILLITST");
    }
    // Cut inside the solved table, it is not a profile with fewer codes.
    const std::size_t table = body.find("List of solved classical problems");
    ASSERT_NE(table, std::string::npos);
    EXPECT_EQ(parse_profile_page(body.substr(0, table + 2000)).kind, ProfileKind::Unrecognised);
}

// The value of a JSON string field on a `"key": "value",` line, or nothing (null).
std::optional<std::string> json_field(const std::string& line, const std::string& key) {
    const std::string prefix = "\"" + key + "\": ";
    const std::size_t at = line.find(prefix);
    if (at == std::string::npos) return std::nullopt;
    const std::size_t open = line.find('"', at + prefix.size());
    if (open == std::string::npos) return std::nullopt;
    return line.substr(open + 1, line.rfind('"') - open - 1);
}

TEST(Conformance, Classical2025ValuesPassFieldRules) {
    const std::string json = shared_file("spoj/data/classical-2025-05.json");
    if (json.empty()) GTEST_SKIP() << "no shared SPOJ data";
    std::istringstream lines(json);
    std::string line;
    int problems = 0, qualities = 0;
    std::int64_t users_total = 0;
    while (std::getline(lines, line)) {
        if (line.find("\"url\": ") != std::string::npos) {
            const auto code = link_target(json_field(line, "url").value_or(""), "problems");
            ASSERT_TRUE(code && valid_code(*code)) << line;
            ++problems;
        } else if (line.find("\"user_count\": ") != std::string::npos) {
            const auto users = parse_users(json_field(line, "user_count").value_or("x"));
            ASSERT_TRUE(users) << line;
            users_total += *users;
            const double value = score(*users);
            EXPECT_GT(value, 0.0);
            EXPECT_LE(value, 2.0);
            EXPECT_DOUBLE_EQ(value, 80.0 / (40.0 + static_cast<double>(*users)));
        } else if (line.find("\"acceptance_rate\": ") != std::string::npos) {
            EXPECT_TRUE(parse_acc_rate(json_field(line, "acceptance_rate").value_or("x"))) << line;
        } else if (line.find("\"quality\": ") != std::string::npos) {
            std::optional<std::int64_t> quality;
            const auto text = json_field(line, "quality");
            EXPECT_TRUE(parse_quality(text.value_or(""), quality)) << line;
            qualities += quality ? 1 : 0;
        }
    }
    EXPECT_EQ(problems, 3971);
    EXPECT_EQ(qualities, 3971 - 965);  // 965 problems nobody voted on
    EXPECT_EQ(users_total, 3442031);
}

}  // namespace
}  // namespace spojscore
