// Reads one classical-list page with libxml2's HTML parser in SAX mode (html_sax.hpp):
// one pass notes the page-wide facts (pager, footer, block signals) and keeps only the
// subtrees of table.problems, in a compact tree of its own. Cells are found by what
// they are: the problem link /problems/CODE, the /ranks/CODE link, and the header text
// for every other column.
#include "list_page.hpp"

#include <array>
#include <climits>
#include <cstdint>

#include "html_dom.hpp"
#include "html_sax.hpp"
#include "html_text.hpp"
#include "row_fields.hpp"
#include "no_postgres.hpp"

namespace spojscore {
namespace {

using namespace html;

// A recorded node. Nodes are kept in document order, so a node's descendants are the
// nodes after it up to its `end`.
struct Node {
    enum class Tag : std::uint8_t { Text, Table, Thead, Tbody, Tfoot, Tr, Td, Th, A, Other };
    Tag tag = Tag::Other;
    bool header_row = false;             // a tr of class headerrow
    std::uint32_t end = 0;               // index after the last descendant
    std::uint32_t offset = 0, size = 0;  // Text: its content, A: its href; in Tables::chars
};
using Tag = Node::Tag;

// The subtrees of every table.problems (nested ones included) and the bytes they hold.
struct Tables {
    std::vector<Node> nodes;
    std::string chars;

    std::string_view chars_of(const Node& node) const { return std::string_view(chars).substr(node.offset, node.size); }

    // Concatenated text under nodes[index], as libxml2 gave it.
    std::string raw_text(std::uint32_t index) const {
        std::string text;
        for (std::uint32_t i = index; i < nodes[index].end; ++i)
            if (nodes[i].tag == Tag::Text) text += chars_of(nodes[i]);
        return text;
    }

    std::string cell_text(std::uint32_t index) const { return clean_text(raw_text(index)); }

    template <typename F>
    void for_each_child(std::uint32_t index, F&& f) const {
        for (std::uint32_t i = index + 1; i < nodes[index].end; i = nodes[i].end) f(i);
    }
};

Tag tag_of(std::string_view name) noexcept {
    static constexpr std::pair<std::string_view, Tag> kTags[] = {
        {"table", Tag::Table}, {"thead", Tag::Thead}, {"tbody", Tag::Tbody}, {"tfoot", Tag::Tfoot},
        {"tr", Tag::Tr},       {"td", Tag::Td},       {"th", Tag::Th},       {"a", Tag::A}};
    for (const auto& [tag_name, tag] : kTags)
        if (name == tag_name) return tag;
    return Tag::Other;
}

// The attributes the scan reads, found in one pass over the array.
struct Attributes {
    std::string_view id, classes, href, src, type;

    explicit Attributes(const xmlChar* const* pairs) noexcept {
        if (pairs == nullptr) return;
        for (; pairs[0] != nullptr; pairs += 2) {
            const std::string_view name = reinterpret_cast<const char*>(pairs[0]);
            const std::string_view value = pairs[1] != nullptr ? reinterpret_cast<const char*>(pairs[1]) : "";
            std::string_view* slot = name == "id"      ? &id
                                     : name == "class" ? &classes
                                     : name == "href"  ? &href
                                     : name == "src"   ? &src
                                     : name == "type"  ? &type
                                                       : nullptr;
            // The first of a repeated attribute wins, as in libxml2's tree.
            if (slot != nullptr && slot->data() == nullptr) *slot = value;
        }
    }
};

// What one pass over the document notices. Positions count nodes as a pre-order walk of
// libxml2's root element would (elements, texts, comments; not the content of script or
// style), so "after the table" means what it means in the tree. Events outside that
// element are dropped where the tree builder puts their nodes elsewhere (see outside_root).
class PageScan final : public SaxHandler {
public:
    struct Table {
        std::uint32_t node;
        long end = -1;  // position of the table's last node
    };
    Tables recorded;
    std::vector<Table> tables;  // every table.problems, in document order
    long last_marker = -1;      // position of the last pager/footer marker
    bool has_next = false;
    bool saw_root = false;
    BlockSignals signals;

    void start_element(std::string_view name, const xmlChar* const* attribute_pairs) override {
        if (outside_root()) {
            ++ignored_depth_;
            return;
        }
        saw_root = true;
        end_text_run();
        ++position_;
        const Attributes attributes(attribute_pairs);
        Frame frame;
        if (is_footer_id(attributes.id) || has_token(attributes.classes, "navigation") ||
            has_token(attributes.classes, "pagination"))
            last_marker = position_;
        const bool problems_table = name == "table" && has_token(attributes.classes, "problems");
        if (name == "a" && has_token(attributes.classes, "pager_link")) {
            last_marker = position_;
            frame.capture = open_capture(Capture::Pager);
        }
        const ElementView element{name, attributes.id, attributes.src, attributes.type};
        switch (note_element_signals(element, signals)) {
            case SignalText::Title:
                if (!title_open_) frame.capture = open_capture(Capture::Title);
                break;
            case SignalText::Heading:
                if (!heading_open_) frame.capture = open_capture(Capture::Heading);
                break;
            case SignalText::None: break;
        }
        if (problems_table) {
            frame.table = static_cast<int>(tables.size());
            tables.push_back({static_cast<std::uint32_t>(recorded.nodes.size())});
            ++open_tables_;
        }
        if (open_tables_ > 0) frame.node = record(name, attributes);
        open_.push_back(frame);
    }

    void end_element() override {
        if (ignored_depth_ > 0) {
            --ignored_depth_;
            return;
        }
        if (open_.empty()) return;
        end_text_run();
        const Frame frame = open_.back();
        open_.pop_back();
        if (frame.node >= 0)
            recorded.nodes[static_cast<std::size_t>(frame.node)].end = static_cast<std::uint32_t>(recorded.nodes.size());
        if (frame.table >= 0) {
            tables[static_cast<std::size_t>(frame.table)].end = position_;
            --open_tables_;
        }
        if (frame.capture != Capture::None) close_capture(frame.capture);
    }

    void text(std::string_view text, bool raw) override {
        if (ignored_depth_ > 0 || open_.empty()) return;  // no element to hold it: dropped
        if (!raw) note_run_text(text);
        for (std::string& capture : captures_) capture += text;
        if (open_tables_ > 0) record_text(text);
    }

    void other_node() override {
        if (ignored_depth_ > 0) return;
        if (open_.empty()) {
            root_first_ = root_first_ && saw_root;  // a node before the root
            return;
        }
        end_text_run();
        ++position_;
    }

    void doctype() override { root_first_ = false; }

    // Closes whatever is still open, so every recorded node has its end. libxml2 closes
    // all it opened, so this only guards the invariant Tables' walks rely on.
    void finish() {
        ignored_depth_ = 0;
        while (!open_.empty()) end_element();
    }

private:
    enum class Capture : std::uint8_t { None, Title, Heading, Pager };
    struct Frame {
        long node = -1;   // index in `recorded`, or -1
        int table = -1;   // index in `tables` for a table.problems
        Capture capture = Capture::None;
    };

    // With the root element closed, libxml2's tree builder hangs a new element under the
    // document's first node: the root itself, unless a DOCTYPE, comment or PI came first,
    // in which case it is a sibling the walk of the root never reaches.
    bool outside_root() const { return ignored_depth_ > 0 || (open_.empty() && saw_root && !root_first_); }

    Capture open_capture(Capture what) {
        captures_.emplace_back();
        if (what == Capture::Title) title_open_ = true;
        if (what == Capture::Heading) heading_open_ = true;
        return what;
    }

    // Captures nest with the elements, so the innermost open one is the last.
    void close_capture(Capture what) {
        std::string text = clean_text(std::move(captures_.back()));
        captures_.pop_back();
        switch (what) {
            case Capture::Title:
                title_open_ = false;
                if (signals.title.empty()) signals.title = std::move(text);
                break;
            case Capture::Heading:
                heading_open_ = false;
                if (signals.heading.empty()) signals.heading = std::move(text);
                break;
            case Capture::Pager: has_next = has_next || text == "Next"; break;
            case Capture::None: break;
        }
    }

    long record(std::string_view name, const Attributes& attributes) {
        Node node;
        node.tag = tag_of(name);
        node.header_row = node.tag == Tag::Tr && has_token(attributes.classes, "headerrow");
        if (node.tag == Tag::A) {
            node.offset = static_cast<std::uint32_t>(recorded.chars.size());
            node.size = static_cast<std::uint32_t>(attributes.href.size());
            recorded.chars += attributes.href;
        }
        recorded.nodes.push_back(node);
        text_node_open_ = false;
        return static_cast<long>(recorded.nodes.size() - 1);
    }

    // Adjacent texts make one text node, as in the tree.
    void record_text(std::string_view text) {
        if (!text_node_open_) {
            Node node;
            node.tag = Tag::Text;
            node.offset = static_cast<std::uint32_t>(recorded.chars.size());
            node.end = static_cast<std::uint32_t>(recorded.nodes.size() + 1);
            recorded.nodes.push_back(node);
            text_node_open_ = true;
        }
        recorded.chars += text;
        recorded.nodes.back().size += static_cast<std::uint32_t>(text.size());
    }

    // A text node of the tree may arrive in several pieces (entities, long texts): the
    // footer words are looked for across the pieces of one run.
    void note_run_text(std::string_view text) {
        if (!in_run_) {
            in_run_ = true;
            ++position_;
            run_position_ = position_;
            run_tail_.clear();
        }
        const std::size_t keep = kFooterText.size() - 1;
        run_tail_ += text.substr(0, keep);
        if (run_tail_.find(kFooterText) != std::string::npos || text.find(kFooterText) != std::string_view::npos)
            last_marker = run_position_;
        if (text.size() >= keep) run_tail_.assign(text.substr(text.size() - keep));
        else if (run_tail_.size() > keep) run_tail_.erase(0, run_tail_.size() - keep);
    }

    void end_text_run() noexcept {
        in_run_ = false;
        text_node_open_ = false;
    }

    std::vector<Frame> open_;
    std::vector<std::string> captures_;
    bool title_open_ = false, heading_open_ = false;
    int open_tables_ = 0;
    bool root_first_ = true;   // the root element is the document's first node
    int ignored_depth_ = 0;    // open elements outside the root
    long position_ = 0;
    bool in_run_ = false;
    long run_position_ = 0;
    std::string run_tail_;
    bool text_node_open_ = false;
};

std::vector<std::uint32_t> cells_of(const Tables& t, std::uint32_t tr) {
    std::vector<std::uint32_t> cells;
    t.for_each_child(tr, [&](std::uint32_t c) {
        if (t.nodes[c].tag == Tag::Td || t.nodes[c].tag == Tag::Th) cells.push_back(c);
    });
    return cells;
}

bool has_header_cell(const Tables& t, std::uint32_t tr) {
    bool found = false;
    t.for_each_child(tr, [&](std::uint32_t c) { found = found || t.nodes[c].tag == Tag::Th; });
    return found;
}

struct TableShape {
    long header = -1;                     // the header row
    std::vector<std::uint32_t> rows;      // data rows (not in <thead>, not the header)
    std::array<int, kColumnCount> column; // header cell index per Column, -1 if absent
    bool has_thead = false;
};

int& column_at(std::array<int, kColumnCount>& columns, Column c) { return columns[static_cast<std::size_t>(c)]; }
int column_at(const std::array<int, kColumnCount>& columns, Column c) { return columns[static_cast<std::size_t>(c)]; }

// Rows are the table's own <tr>s, directly or in thead/tbody/tfoot (never those of a
// nested table). The header row is the first in <thead>, of class headerrow, or with <th>.
TableShape shape_of(const Tables& t, std::uint32_t table) {
    TableShape shape;
    shape.column.fill(-1);
    auto take = [&](std::uint32_t tr, bool in_thead) {
        if (shape.header < 0 && (in_thead || t.nodes[tr].header_row || has_header_cell(t, tr))) {
            shape.header = tr;
        } else if (!in_thead) {
            shape.rows.push_back(tr);
        }
    };
    t.for_each_child(table, [&](std::uint32_t child) {
        const Tag tag = t.nodes[child].tag;
        if (tag == Tag::Tr) {
            take(child, false);
        } else if (tag == Tag::Thead || tag == Tag::Tbody || tag == Tag::Tfoot) {
            const bool in_thead = tag == Tag::Thead;
            shape.has_thead = shape.has_thead || in_thead;
            t.for_each_child(child, [&](std::uint32_t tr) {
                if (t.nodes[tr].tag == Tag::Tr) take(tr, in_thead);
            });
        }
    });
    if (shape.header >= 0) {
        const auto cells = cells_of(t, static_cast<std::uint32_t>(shape.header));
        for (std::size_t i = 0; i < cells.size(); ++i) {
            const auto column = column_from_header(t.cell_text(cells[i]));
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
RowResult read_row(const Tables& t, const std::vector<std::uint32_t>& cells, const TableShape& shape,
                   bool page_had_bad_utf8, ProblemRow& row) {
    RowResult result;
    long name_link = -1;
    int name_cell = -1, users_cell = -1;
    std::string code;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        for (std::uint32_t n = cells[i]; n < t.nodes[cells[i]].end; ++n) {
            if (t.nodes[n].tag != Tag::A) continue;
            const std::string_view href = t.chars_of(t.nodes[n]);
            if (name_link < 0) {
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
    if (name_link < 0) return skip("no problem link");
    if (!valid_code(code)) return skip("bad code");
    const int offset = name_cell - column_at(shape.column, Column::Name);
    // The cell for a column, or -1 when the header lacks it; `missing` is set when the
    // header has it but the row is too short.
    bool missing = false;
    auto cell_for = [&](Column c) -> long {
        if (column_at(shape.column, c) < 0) return -1;
        const int index = column_at(shape.column, c) + offset;
        if (index < 0 || index >= static_cast<int>(cells.size())) {
            missing = true;
            return -1;
        }
        return cells[static_cast<std::size_t>(index)];
    };
    auto text_of = [&](long cell) { return t.cell_text(static_cast<std::uint32_t>(cell)); };

    std::string name = t.raw_text(static_cast<std::uint32_t>(name_link));
    result.replaced_utf8 = make_valid_utf8(name) > 0 ||
                           (page_had_bad_utf8 && name.find(kReplacementChar) != std::string::npos);
    name = normalize_space(name);
    if (!valid_name(name)) return skip("bad name");

    const long id_cell = cell_for(Column::Id);
    if (missing) return skip("missing cell");
    std::optional<std::int64_t> spoj_id = 0;
    if (id_cell >= 0 && !(spoj_id = parse_id(text_of(id_cell)))) return skip("bad id");

    const long users = users_cell >= 0 ? cells[static_cast<std::size_t>(users_cell)] : cell_for(Column::Users);
    if (users < 0) return skip("missing cell");
    const auto user_count = parse_users(text_of(users));
    if (!user_count) return skip("bad users");

    const long acc_cell = cell_for(Column::AccRate);
    if (missing) return skip("missing cell");
    std::optional<double> acc_rate = 0.0;
    if (acc_cell >= 0 && !(acc_rate = parse_acc_rate(text_of(acc_cell)))) return skip("bad acc_rate");

    const long quality_cell = cell_for(Column::Quality);
    if (missing) return skip("missing cell");
    std::optional<std::int64_t> quality;
    if (quality_cell >= 0 && !parse_quality(text_of(quality_cell), quality)) return skip("bad quality");

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

ListPage parse_list_page(std::string_view body, std::string_view content_type, const CancelCheck& cancel) {
    if (body.empty()) return unrecognised("empty page");
    if (body.size() > static_cast<std::size_t>(INT_MAX)) return unrecognised("page too large");

    PageScan scan;
    const ParseOutcome outcome = parse_events(body, content_type, scan, cancel);
    if (!outcome.refused.empty()) return unrecognised(outcome.refused);
    const bool bad_utf8 = outcome.repaired_utf8;
    scan.finish();
    if (!scan.saw_root) return unrecognised("no HTML document");

    const Tables& t = scan.recorded;
    ListPage page;
    page.has_next = scan.has_next;
    const PageScan::Table* chosen = nullptr;
    TableShape shape;
    Column lacking = Column::Users;  // what the first table.problems misses, when none has both
    for (const auto& table : scan.tables) {
        shape = shape_of(t, table.node);
        const bool has_users = column_at(shape.column, Column::Users) >= 0;
        if (&table == &scan.tables.front()) lacking = has_users ? Column::Name : Column::Users;
        if (has_users && column_at(shape.column, Column::Name) >= 0) {
            chosen = &table;
            break;
        }
    }
    if (chosen == nullptr) {
        if (!scan.tables.empty()) {
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
    // (#footer, #footer-srl, "All Rights Reserved") starts after its end. The 2014 layout
    // puts the pager above the table, so there the footer is what proves the end was reached.
    page.table_complete = scan.last_marker > chosen->end;

    int data_rows = 0;
    for (const std::uint32_t tr : shape.rows) {
        const auto cells = cells_of(t, tr);
        if (cells.size() < 2) continue;  // spacer or message rows ("no problems")
        ++data_rows;
        ProblemRow row;
        const RowResult result = read_row(t, cells, shape, bad_utf8, row);
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

const char* page_kind_name(PageKind kind) noexcept {
    switch (kind) {
        case PageKind::Problems: return "problems";
        case PageKind::EmptyTable: return "empty table";
        case PageKind::Blocked: return "blocked";
        case PageKind::Unrecognised: return "unrecognised";
    }
    return "?";
}

const char* layout_name(Layout layout) noexcept {
    switch (layout) {
        case Layout::Unknown: return "unknown";
        case Layout::Era2014: return "2014";
        case Layout::Current: return "current";
    }
    return "?";
}

}  // namespace spojscore
