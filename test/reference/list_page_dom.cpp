// The list-page parser as it was before it moved to SAX events (src/core/list_page.cpp):
// libxml2's tree and one walk over it. Kept, unchanged in behaviour, as the oracle the
// SAX parser is compared with (list_page_diff_test, list_page_diff_fuzz): both must
// return the same ListPage for any input.
#include "reference/list_page_dom.hpp"

#include <algorithm>
#include <array>
#include <climits>

#include "core/html_dom.hpp"
#include "core/html_text.hpp"
#include "core/row_fields.hpp"

namespace spojscore::reference {
namespace {

using namespace html;

constexpr const char* kReplacementChar = "\xEF\xBF\xBD";

// What one walk over the whole document notices.
struct PageScan {
    struct Table {
        const xmlNode* node;
        long end = -1;  // walk position after the table's last descendant
    };
    std::vector<Table> tables;       // every table.problems, in document order
    long last_marker = -1;           // walk position of the last pager/footer marker
    bool has_next = false;
    BlockSignals signals;
};

PageScan scan_page(const xmlNode* root) {
    PageScan scan;
    std::vector<std::size_t> open_tables;
    long position = 0;
    const xmlNode* node = root;
    while (node != nullptr) {
        ++position;
        bool descend = node->type == XML_ELEMENT_NODE;
        if (is_site_footer(node, {})) {
            scan.last_marker = position;
        } else if (node->type == XML_ELEMENT_NODE) {
            std::string id_storage, class_storage;
            const std::string_view id = attribute_view(node, "id", id_storage);
            const std::string_view classes = attribute_view(node, "class", class_storage);
            if (is_site_footer(node, id) || has_token(classes, "navigation") ||
                has_token(classes, "pagination"))
                scan.last_marker = position;
            if (is_element(node, "table") && has_token(classes, "problems")) {
                open_tables.push_back(scan.tables.size());
                scan.tables.push_back({node});
            } else if (is_element(node, "a") && has_token(classes, "pager_link")) {
                scan.last_marker = position;
                if (cell_text(node) == "Next") scan.has_next = true;
            }
            descend = note_block_signals(node, scan.signals);
        }
        // Leaving nodes: close every table.problems whose subtree is done.
        const xmlNode* next = next_in_walk(node, root, descend);
        const xmlNode* leaving = (descend && node->children != nullptr) ? nullptr : node;
        while (leaving != nullptr) {
            if (!open_tables.empty() && scan.tables[open_tables.back()].node == leaving) {
                scan.tables[open_tables.back()].end = position;
                open_tables.pop_back();
            }
            if (leaving == root || leaving->next != nullptr) break;
            leaving = leaving->parent;
        }
        node = next;
    }
    for (std::size_t index : open_tables) scan.tables[index].end = position;
    return scan;
}

std::vector<const xmlNode*> cells_of(const xmlNode* tr) {
    std::vector<const xmlNode*> cells;
    for (const xmlNode* c = tr->children; c != nullptr; c = c->next)
        if (is_element(c, "td") || is_element(c, "th")) cells.push_back(c);
    return cells;
}

bool has_header_cell(const xmlNode* tr) {
    for (const xmlNode* c = tr->children; c != nullptr; c = c->next)
        if (is_element(c, "th")) return true;
    return false;
}

struct TableShape {
    const xmlNode* header = nullptr;      // the header row
    std::vector<const xmlNode*> rows;     // data rows (not in <thead>, not the header)
    std::array<int, kColumnCount> column; // header cell index per Column, -1 if absent
    bool has_thead = false;
};

int& column_at(std::array<int, kColumnCount>& columns, Column c) { return columns[static_cast<std::size_t>(c)]; }
int column_at(const std::array<int, kColumnCount>& columns, Column c) { return columns[static_cast<std::size_t>(c)]; }

// Rows are the table's own <tr>s, directly or in thead/tbody/tfoot (never those of a
// nested table). The header row is the first in <thead>, of class headerrow, or with <th>.
TableShape shape_of(const xmlNode* table) {
    TableShape shape;
    shape.column.fill(-1);
    auto take = [&](const xmlNode* tr, bool in_thead) {
        if (shape.header == nullptr && (in_thead || has_class(tr, "headerrow") || has_header_cell(tr))) {
            shape.header = tr;
        } else if (!in_thead) {
            shape.rows.push_back(tr);
        }
    };
    for (const xmlNode* child = table->children; child != nullptr; child = child->next) {
        if (is_element(child, "tr")) {
            take(child, false);
        } else if (is_element(child, "thead") || is_element(child, "tbody") || is_element(child, "tfoot")) {
            const bool in_thead = is_element(child, "thead");
            shape.has_thead = shape.has_thead || in_thead;
            for (const xmlNode* tr = child->children; tr != nullptr; tr = tr->next)
                if (is_element(tr, "tr")) take(tr, in_thead);
        }
    }
    if (shape.header != nullptr) {
        const auto cells = cells_of(shape.header);
        for (std::size_t i = 0; i < cells.size(); ++i) {
            const auto column = column_from_header(cell_text(cells[i]));
            if (column && column_at(shape.column, *column) < 0) column_at(shape.column, *column) = static_cast<int>(i);
        }
    }
    return shape;
}

struct RowResult {
    const char* skip_reason = nullptr;  // null: `row` is valid
    bool replaced_utf8 = false;         // the name holds U+FFFD from a repaired byte
};

// One data row. Leading cells the header does not announce (a logged-in user's status
// icons) shift every column; the offset between the NAME header and the cell holding
// the problem link measures that shift.
RowResult read_row(const std::vector<const xmlNode*>& cells, const TableShape& shape, bool page_had_bad_utf8,
                   ProblemRow& row) {
    RowResult result;
    const xmlNode* name_link = nullptr;
    int name_cell = -1, users_cell = -1;
    std::string code;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        for (const xmlNode* n = cells[i]; n != nullptr; n = next_in_walk(n, cells[i], true)) {
            if (!is_element(n, "a")) continue;
            const std::string href = attribute(n, "href");
            if (name_link == nullptr) {
                if (auto target = link_target(href, "problems")) {
                    name_link = n;
                    name_cell = static_cast<int>(i);
                    code = std::move(*target);
                    continue;
                }
            }
            if (users_cell < 0 && link_target(href, "ranks")) users_cell = static_cast<int>(i);
        }
    }
    auto skip = [&](const char* reason) {
        result.skip_reason = reason;
        return result;
    };
    if (name_link == nullptr) return skip("no problem link");
    if (!valid_code(code)) return skip("bad code");
    const int offset = name_cell - column_at(shape.column, Column::Name);
    // The cell for a column, or null when the header lacks it; `missing` is set when
    // the header has it but the row is too short.
    bool missing = false;
    auto cell_for = [&](Column c) -> const xmlNode* {
        if (column_at(shape.column, c) < 0) return nullptr;
        const int index = column_at(shape.column, c) + offset;
        if (index < 0 || index >= static_cast<int>(cells.size())) {
            missing = true;
            return nullptr;
        }
        return cells[static_cast<std::size_t>(index)];
    };

    std::string name = raw_text(name_link);
    result.replaced_utf8 = make_valid_utf8(name) > 0 ||
                           (page_had_bad_utf8 && name.find(kReplacementChar) != std::string::npos);
    name = normalize_space(name);
    if (!valid_name(name)) return skip("bad name");

    const xmlNode* id_cell = cell_for(Column::Id);
    if (missing) return skip("missing cell");
    std::optional<std::int64_t> spoj_id = 0;
    if (id_cell != nullptr && !(spoj_id = parse_id(cell_text(id_cell)))) return skip("bad id");

    const xmlNode* users = users_cell >= 0 ? cells[static_cast<std::size_t>(users_cell)] : cell_for(Column::Users);
    if (users == nullptr) return skip("missing cell");
    const auto user_count = parse_users(cell_text(users));
    if (!user_count) return skip("bad users");

    const xmlNode* acc_cell = cell_for(Column::AccRate);
    if (missing) return skip("missing cell");
    std::optional<double> acc_rate = 0.0;
    if (acc_cell != nullptr && !(acc_rate = parse_acc_rate(cell_text(acc_cell)))) return skip("bad acc_rate");

    const xmlNode* quality_cell = cell_for(Column::Quality);
    if (missing) return skip("missing cell");
    std::optional<std::int64_t> quality;
    if (quality_cell != nullptr && !parse_quality(cell_text(quality_cell), quality)) return skip("bad quality");

    row.spoj_id = *spoj_id;
    row.code = std::move(code);
    row.name = std::move(name);
    row.users = *user_count;
    row.acc_rate = *acc_rate;
    row.quality = quality;
    return result;
}

ListPage unrecognised(std::string detail) {
    ListPage page;
    page.detail = std::move(detail);
    return page;
}

}  // namespace

ListPage parse_list_page_dom(std::string_view body, std::string_view content_type) {
    if (body.empty()) return unrecognised("empty page");
    if (body.size() > static_cast<std::size_t>(INT_MAX)) return unrecognised("page too large");

    const Document document = read_document(body, content_type);
    if (!document.refused.empty()) return unrecognised(document.refused);  // as the SAX parser refuses it
    const bool bad_utf8 = document.repaired_utf8;
    const XmlDocPtr& doc = document.doc;
    const xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
    if (root == nullptr) return unrecognised("no HTML document");

    const PageScan scan = scan_page(root);
    ListPage page;
    page.has_next = scan.has_next;
    const PageScan::Table* chosen = nullptr;
    TableShape shape;
    for (const auto& table : scan.tables) {
        shape = shape_of(table.node);
        if (column_at(shape.column, Column::Users) >= 0 && column_at(shape.column, Column::Name) >= 0) {
            chosen = &table;
            break;
        }
    }
    if (chosen == nullptr) {
        if (!scan.tables.empty()) {
            const TableShape first = shape_of(scan.tables.front().node);
            const Column lacking = column_at(first.column, Column::Users) < 0 ? Column::Users : Column::Name;
            page.detail = std::string("column \"") + column_label(lacking) + "\" not found";
        } else if (std::string reason = blocked_reason(scan.signals); !reason.empty()) {
            page.kind = PageKind::Blocked;
            page.detail = std::move(reason);
        } else {
            page.detail = "no table.problems found";
        }
        return page;
    }

    page.layout = shape.has_thead ? Layout::Current : Layout::Era2014;
    // Truncation rule: libxml2 closes open elements at end of input without a word, so
    // a body cut inside the table still yields a tidy table. The table counts as complete
    // only if a pager (a.pager_link, .navigation, .pagination) or the site footer
    // (#footer, #footer-srl, "All Rights Reserved") starts after its end. Era A puts the
    // pager above the table, so there the footer is what proves the end was reached.
    page.table_complete = scan.last_marker > chosen->end;

    int data_rows = 0;
    for (const xmlNode* tr : shape.rows) {
        const auto cells = cells_of(tr);
        if (cells.size() < 2) continue;  // spacer or message rows ("no problems")
        ++data_rows;
        ProblemRow row;
        const RowResult result = read_row(cells, shape, bad_utf8, row);
        if (result.skip_reason != nullptr) {
            ++page.skipped[result.skip_reason];
            continue;
        }
        if (result.replaced_utf8) ++page.invalid_utf8_names;
        page.rows.push_back(std::move(row));
    }
    page.kind = data_rows > 0 ? PageKind::Problems : PageKind::EmptyTable;
    return page;
}

}  // namespace spojscore::reference
