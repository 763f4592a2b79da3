#pragma once
#include "list_page.hpp"

namespace spojscore {

// Throws Error(Layout) unless `page` is a problems table (possibly empty) that arrived
// whole. `page_no` (1-based) names the page in the message; 0 means a caller-given page.
void require_complete_page(const ListPage& page, int page_no);

}  // namespace spojscore
