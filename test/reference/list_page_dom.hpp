// The tree-walking list-page parser, the reference the SAX parser is tested against.
#pragma once
#include <string_view>

#include "core/list_page.hpp"

namespace spojscore::reference {

ListPage parse_list_page_dom(std::string_view body, std::string_view content_type = {});

}  // namespace spojscore::reference
