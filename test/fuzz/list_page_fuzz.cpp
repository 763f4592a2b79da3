// libFuzzer target for parse_list_page (RELIABILITY F1): any bytes, as body and, from
// the first line when it starts with "ct:", as Content-Type. Beyond crashes, leaks, UB
// and timeouts, a returned row that breaks the b1.5 contract is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/list_page.hpp"
#include "core/row_fields.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto [body, content_type] = spojscore::fuzz::split_input(data, size);
    const spojscore::ListPage page = spojscore::parse_list_page(body, content_type);
    for (const auto& row : page.rows)
        if (!spojscore::meets_row_contract(row)) std::abort();
    if (!page.rows.empty() && page.kind != spojscore::PageKind::Problems) std::abort();
    return 0;
}
