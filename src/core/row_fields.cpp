#include "row_fields.hpp"

#include <charconv>
#include <cmath>

#include "html_text.hpp"
#include "no_postgres.hpp"

namespace spojscore {
namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

std::optional<std::int64_t> digits(std::string_view text, std::size_t max_digits) noexcept {
    if (text.empty() || text.size() > max_digits) return std::nullopt;
    std::int64_t value = 0;
    for (char c : text) {
        if (!is_digit(c)) return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

}  // namespace

std::optional<Column> column_from_header(std::string_view text) {
    std::string key;
    for (char c : text)
        if (c != ' ') key += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    if (key == "ID") return Column::Id;
    if (key == "NAME") return Column::Name;
    if (key == "CODE") return Column::Code;
    if (key == "QUALITY") return Column::Quality;
    if (key == "USERS") return Column::Users;
    if (key == "ACC%") return Column::AccRate;
    return std::nullopt;
}

const char* column_label(Column column) noexcept {
    switch (column) {
        case Column::Id: return "ID";
        case Column::Name: return "NAME";
        case Column::Code: return "CODE";
        case Column::Quality: return "QUALITY";
        case Column::Users: return "USERS";
        case Column::AccRate: return "ACC %";
    }
    return "?";
}

std::optional<std::string> link_target(std::string_view href, std::string_view section) {
    std::string_view path = href.substr(0, href.find_first_of("?#"));
    const std::size_t scheme = path.find("://");
    if (scheme != std::string_view::npos) {
        path.remove_prefix(scheme + 3);
        const std::size_t slash = path.find('/');
        path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
    } else if (path.substr(0, 2) == "//") {
        path.remove_prefix(2);
        const std::size_t slash = path.find('/');
        path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
    }
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    const std::size_t last = path.rfind('/');
    if (last == std::string_view::npos) return std::nullopt;
    const std::string_view target = path.substr(last + 1);
    std::string_view before = path.substr(0, last);
    const std::size_t prev = before.rfind('/');
    before = prev == std::string_view::npos ? before : before.substr(prev + 1);
    if (target.empty() || before != section) return std::nullopt;
    return std::string(target);
}

bool valid_code(std::string_view code) noexcept {
    if (code.empty() || code.size() > 20) return false;
    for (char c : code)
        if (!((c >= 'A' && c <= 'Z') || is_digit(c) || c == '_')) return false;
    return true;
}

bool valid_name(std::string_view name) noexcept {
    const std::size_t n = utf8_length(name);
    return n >= 1 && n <= 200;
}

std::optional<std::int64_t> parse_users(std::string_view text) noexcept { return digits(text, 9); }

std::optional<std::int64_t> parse_id(std::string_view text) noexcept {
    const auto value = digits(text, 18);
    if (!value || *value > kMaxSpojId) return std::nullopt;
    return value;
}

std::optional<double> parse_acc_rate(std::string_view text) noexcept {
    const std::size_t dot = text.find('.');
    if (!digits(text.substr(0, dot), 3)) return std::nullopt;
    if (dot != std::string_view::npos && !digits(text.substr(dot + 1), 4)) return std::nullopt;
    double value = 0;
    // from_chars: locale-independent and correctly rounded, unlike strtod.
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (result.ec != std::errc{} || value > 100.0) return std::nullopt;
    return value;
}

bool parse_quality(std::string_view text, std::optional<std::int64_t>& quality) noexcept {
    if (text.empty()) {
        quality.reset();
        return true;
    }
    const bool negative = text.front() == '-';
    const auto value = digits(text.substr(negative ? 1 : 0), 9);
    if (!value) return false;
    quality = negative ? -*value : *value;
    return true;
}

bool meets_row_contract(const ProblemRow& row) {
    std::string name = row.name;
    return valid_code(row.code) && make_valid_utf8(name) == 0 && name.size() == row.name.size() &&
           normalize_space(row.name) == row.name && valid_name(row.name) && row.users >= 0 &&
           row.users <= 999999999 && row.spoj_id >= 0 && row.spoj_id <= kMaxSpojId &&
           (!row.quality || (*row.quality >= -999999999 && *row.quality <= 999999999)) && std::isfinite(row.acc_rate) && row.acc_rate >= 0 &&
           row.acc_rate <= 100;
}

}  // namespace spojscore
