#include "page_check.hpp"

#include <string>

#include "error.hpp"

namespace spojscore {

void require_complete_page(const ListPage& page, int page_no) {
    const std::string where = page_no > 0 ? "page " + std::to_string(page_no) + ": " : "";
    switch (page.kind) {
        case PageKind::Blocked:
            throw Error(ErrorKind::Layout, where + "not a problem list: " + page.detail);
        case PageKind::Unrecognised:
            throw Error(ErrorKind::Layout, where + "layout not recognised: " + page.detail);
        case PageKind::Problems:
        case PageKind::EmptyTable:
            break;
    }
    if (!page.table_complete)
        throw Error(ErrorKind::Layout, where + "end-of-table marker missing (page truncated)");
}

}  // namespace spojscore

#include "no_postgres.hpp"
