// The per-field rules of a list-page row (RELIABILITY b1.5), kept apart from the
// parsers so that tests and fuzzers can hit them directly. Inputs are cell texts
// already passed through normalize_space().
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "list_page.hpp"

namespace spojscore {

enum class Column { Id, Name, Code, Quality, Users, AccRate };
constexpr int kColumnCount = 6;
constexpr std::int64_t kMaxSpojId = 2147483647;  // spoj_problems.spoj_id is integer

// The column a header cell's text names ("ACC %", "ACC&nbsp;%" and "ACC%" alike).
std::optional<Column> column_from_header(std::string_view text);
const char* column_label(Column column) noexcept;

// For an href whose path ends in /<section>/<X> (slash after X optional; absolute,
// protocol-relative or relative), X; otherwise nothing. Query and fragment ignored.
std::optional<std::string> link_target(std::string_view href, std::string_view section);

bool valid_code(std::string_view code) noexcept;                  // ^[A-Z0-9_]{1,20}$
bool valid_name(std::string_view name) noexcept;                  // 1..200 code points
std::optional<std::int64_t> parse_users(std::string_view text) noexcept;  // ^[0-9]{1,9}$
// ^[0-9]{1,18}$ and at most kMaxSpojId (the column is integer: never wrapped).
std::optional<std::int64_t> parse_id(std::string_view text) noexcept;
// ^[0-9]{1,3}(\.[0-9]{1,4})?$ and at most 100.
std::optional<double> parse_acc_rate(std::string_view text) noexcept;
// Empty means "nobody voted" (sets `quality` to nothing); else ^-?[0-9]{1,9}$.
bool parse_quality(std::string_view text, std::optional<std::int64_t>& quality) noexcept;

// Whether a parsed row keeps the b1.5 contract (the fuzzer aborts when one does not).
bool meets_row_contract(const ProblemRow& row);

}  // namespace spojscore
