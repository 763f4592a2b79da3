// One page of SPOJ's classical problem list, parsed. Pure data: no libxml2 types leak out.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cancel.hpp"

namespace spojscore {

struct ProblemRow {
    std::int64_t spoj_id = 0;            // SPOJ's numeric problem id (ID column)
    std::string code;                    // ^[A-Z0-9_]{1,20}$, last non-empty path segment
    std::string name;                    // valid UTF-8, entities decoded, trimmed, 1..200 chars
    std::int64_t users = 0;              // 0..999999999
    double acc_rate = 0;                 // ACC % column, e.g. 33.15
    std::optional<std::int64_t> quality; // current layout only, absent when nobody voted
};

enum class PageKind {
    Problems,      // a problems table with at least one data row
    EmptyTable,    // a problems table with zero data rows
    Blocked,       // bot challenge, maintenance, login wall or error page
    Unrecognised,  // HTML without a problems table we understand
};

enum class Layout { Unknown, Era2014, Current };

struct ListPage {
    PageKind kind = PageKind::Unrecognised;
    Layout layout = Layout::Unknown;
    bool has_next = false;          // a "Next" pager link is present
    bool table_complete = false;    // a pager or the site footer follows the table (not truncated)
    std::vector<ProblemRow> rows;   // valid rows, in page order
    std::map<std::string, int> skipped;  // invalid rows skipped, by reason
    int invalid_utf8_names = 0;     // names that needed U+FFFD replacement
    std::string detail;             // why a page is Blocked/Unrecognised (for messages)
};

// Parses one list page. `content_type` is the HTTP Content-Type header value (may be
// empty); the charset comes from it, else from <meta>, else UTF-8. Never throws for
// bad HTML: the result's kind says what the page was (a start tag with more than 256
// attributes makes it Unrecognised before libxml2 sees it: see html_limits.hpp). Throws
// Error(SizeLimit) before parsing when its scan could keep more than max(64 MB, 8 x the
// page), Error(Cancelled) when `cancel` says stop (polled every few KB of parsing).
ListPage parse_list_page(std::string_view body, std::string_view content_type = {}, const CancelCheck& cancel = {});

const char* page_kind_name(PageKind kind) noexcept;
const char* layout_name(Layout layout) noexcept;

}  // namespace spojscore
