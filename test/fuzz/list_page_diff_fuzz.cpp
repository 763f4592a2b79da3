// Differential libFuzzer target: the SAX list-page parser against the tree-walking
// reference it replaced (test/reference/list_page_dom.cpp). Input as list_page_fuzz
// takes it; any difference in the returned ListPage is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "core/list_page.hpp"
#include "reference/list_page_dom.hpp"
#include "fuzz_input.hpp"

namespace {

bool same_rows(const spojscore::ListPage& a, const spojscore::ListPage& b) {
    if (a.rows.size() != b.rows.size()) return false;
    for (std::size_t i = 0; i < a.rows.size(); ++i) {
        const auto& x = a.rows[i];
        const auto& y = b.rows[i];
        if (x.spoj_id != y.spoj_id || x.code != y.code || x.name != y.name || x.users != y.users ||
            x.acc_rate != y.acc_rate || x.quality != y.quality)
            return false;
    }
    return true;
}

void require(bool same, const char* field) {
    if (same) return;
    std::fprintf(stderr, "SAX and tree parsers differ in %s\n", field);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto [body, content_type] = spojscore::fuzz::split_input(data, size);
    const spojscore::ListPage sax = spojscore::parse_list_page(body, content_type);
    const spojscore::ListPage dom = spojscore::reference::parse_list_page_dom(body, content_type);
    require(sax.kind == dom.kind, "kind");
    require(sax.layout == dom.layout, "layout");
    require(sax.has_next == dom.has_next, "has_next");
    require(sax.table_complete == dom.table_complete, "table_complete");
    require(same_rows(sax, dom), "rows");
    require(sax.skipped == dom.skipped, "skipped");
    require(sax.invalid_utf8_names == dom.invalid_utf8_names, "invalid_utf8_names");
    require(sax.detail == dom.detail, "detail");
    return 0;
}
