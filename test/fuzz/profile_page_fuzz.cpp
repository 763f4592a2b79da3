// libFuzzer target for parse_profile_page: any bytes, as body and, from the first line
// when it starts with "ct:", as Content-Type. Beyond crashes, leaks, UB and timeouts, a
// result that breaks the ProfilePage contract is a finding: a Profile has a valid handle
// and sorted, unique, valid codes and clean UTF-8 text; any other kind has no codes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/html_text.hpp"
#include "core/profile_page.hpp"
#include "core/row_fields.hpp"
#include "fuzz_input.hpp"

namespace {

bool clean_text(const std::string& text) {
    std::string copy = text;
    return spojscore::make_valid_utf8(copy) == 0 && copy.size() == text.size() &&
           spojscore::normalize_space(text) == text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto [body, content_type] = spojscore::fuzz::split_input(data, size);
    const spojscore::ProfilePage page = spojscore::parse_profile_page(body, content_type);
    if (page.kind != spojscore::ProfileKind::Profile) {
        if (!page.solved.empty() || page.detail.empty()) std::abort();
        return 0;
    }
    if (!spojscore::valid_handle(page.handle) || !clean_text(page.full_name) || !page.detail.empty()) std::abort();
    if (!std::all_of(page.solved.begin(), page.solved.end(), [](const std::string& c) { return spojscore::valid_code(c); }))
        std::abort();
    if (std::adjacent_find(page.solved.begin(), page.solved.end(),
                           [](const std::string& a, const std::string& b) { return !(a < b); }) != page.solved.end())
        std::abort();
    if (page.skipped_cells < 0 || (page.world_rank && *page.world_rank < 0) || (page.points && !(*page.points >= 0)))
        std::abort();
    return 0;
}
