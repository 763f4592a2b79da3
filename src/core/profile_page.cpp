// Reads one user profile page with libxml2's HTML parser and a walk of the tree (parts of
// it read again once found), keyed on what STRUCTURE.md §4 names: div#user-profile-left (name, @handle, "World
// Rank: #N (P points)"), the dt/dd pairs "Problems solved" / "Solutions submitted",
// and the first table after the "List of solved classical problems" heading, whose
// cells link to /status/CODE,handle/. The "todo" table, wherever it sits, is never read.
#include "profile_page.hpp"

#include <algorithm>
#include <charconv>
#include <climits>

#include "base_url.hpp"
#include "error.hpp"
#include "fetch.hpp"
#include "html_dom.hpp"
#include "html_text.hpp"
#include "robots_check.hpp"
#include "row_fields.hpp"
#include "no_postgres.hpp"

namespace spojscore {
namespace {

using namespace html;

constexpr std::size_t kShownHandleBytes = 40;

bool is_heading(const xmlNode* node) noexcept {
    if (node->type != XML_ELEMENT_NODE) return false;
    const char* name = reinterpret_cast<const char*>(node->name);
    return name[0] == 'h' && name[1] >= '1' && name[1] <= '6' && name[2] == '\0';
}

// Whether a node is skipped by the walk's descent (as note_block_signals decides).
bool opaque(const xmlNode* node) noexcept {
    return node->type == XML_ELEMENT_NODE && is_raw_text_element(reinterpret_cast<const char*>(node->name));
}

// Walk position of the last node of `node`'s subtree, `node` being at `position`,
// counted as the main walk counts (script and style children not visited).
long subtree_end(const xmlNode* node, long position) noexcept {
    const xmlNode* n = node;
    while (n != nullptr) {
        const xmlNode* next = next_in_walk(n, node, n->type == XML_ELEMENT_NODE && !opaque(n));
        if (next == nullptr) break;
        ++position;
        n = next;
    }
    return position;
}

// What one walk over the whole document notices.
struct ProfileScan {
    const xmlNode* left = nullptr;  // the first div#user-profile-left
    long left_position = 0;
    const xmlNode* solved_heading = nullptr;
    long heading_position = 0;
    const xmlNode* solved_table = nullptr;  // the first table after that heading, before any other heading
    long table_position = 0;
    long last_marker = -1;  // walk position of the last footer marker
    std::optional<std::int64_t> problems_solved, solutions_submitted;
    BlockSignals signals;
};

// ^[0-9]{1,N}$, thousands separators (",") allowed between digit groups.
std::optional<std::int64_t> count_value(std::string_view text, std::size_t max_digits) noexcept {
    std::int64_t value = 0;
    std::size_t digits = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ',' && i > 0 && i + 1 < text.size() && text[i - 1] != ',') continue;
        if (c < '0' || c > '9' || ++digits > max_digits) return std::nullopt;
        value = value * 10 + (c - '0');
    }
    if (digits == 0) return std::nullopt;
    return value;
}

const xmlNode* next_element_sibling(const xmlNode* node) noexcept {
    for (const xmlNode* n = node->next; n != nullptr; n = n->next)
        if (n->type == XML_ELEMENT_NODE) return n;
    return nullptr;
}

// dt "… Problems solved" followed by dd "70".
void read_stat(const xmlNode* dt, ProfileScan& scan) {
    const std::string label = label_text(dt);
    std::optional<std::int64_t>* target = nullptr;
    if (contains_nocase(label, "problems solved")) target = &scan.problems_solved;
    else if (contains_nocase(label, "solutions submitted")) target = &scan.solutions_submitted;
    if (target == nullptr || target->has_value()) return;
    const xmlNode* dd = next_element_sibling(dt);
    if (dd != nullptr && is_element(dd, "dd")) *target = count_value(label_text(dd), 9);
}

ProfileScan scan_profile(const xmlNode* root) {
    ProfileScan scan;
    bool want_table = false;  // after the solved heading, until a table or another heading
    long position = 0;
    const xmlNode* node = root;
    while (node != nullptr) {
        ++position;
        bool descend = node->type == XML_ELEMENT_NODE;
        std::string id_storage;
        const std::string_view id = descend ? attribute_view(node, "id", id_storage) : std::string_view();
        if (is_site_footer(node, id)) scan.last_marker = position;
        if (node->type == XML_ELEMENT_NODE) {
            if (id == "user-profile-left" && scan.left == nullptr) {
                scan.left = node;
                scan.left_position = position;
            }
            if (is_heading(node)) {
                if (scan.solved_heading == nullptr && contains_nocase(label_text(node), "solved classical problems")) {
                    scan.solved_heading = node;
                    scan.heading_position = position;
                    want_table = true;
                    descend = false;
                } else {
                    want_table = false;
                }
            } else if (is_element(node, "table") && want_table) {
                scan.solved_table = node;
                scan.table_position = position;
                want_table = false;
            } else if (is_element(node, "dt")) {
                read_stat(node, scan);
            }
            descend = descend && note_block_signals(node, scan.signals, label_text);
        }
        node = next_in_walk(node, root, descend);
    }
    return scan;
}

// "World Rank: #28304 (0.6 points)"; either part absent when it does not read so.
void read_world_rank(std::string_view text, ProfilePage& page) {
    const std::size_t at = text.find("World Rank:");
    if (at == std::string_view::npos) return;
    std::string_view rest = text.substr(at + 11);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (!rest.empty() && rest.front() == '#') {
        rest.remove_prefix(1);
        const std::size_t end = std::min(rest.find(' '), rest.size());
        page.world_rank = count_value(rest.substr(0, end), 12);
    }
    const std::size_t open = rest.find('(');
    const std::size_t close = rest.find(" point", open == std::string_view::npos ? 0 : open);
    if (open == std::string_view::npos || close == std::string_view::npos) return;
    const std::string_view number = rest.substr(open + 1, close - open - 1);
    const std::size_t dot = number.find('.');
    if (!count_value(number.substr(0, dot), 9)) return;
    if (dot != std::string_view::npos) {
        const std::string_view fraction = number.substr(dot + 1);
        if (fraction.empty() || fraction.size() > 6 ||
            !std::all_of(fraction.begin(), fraction.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return;
    }
    std::string plain;
    for (char c : number)
        if (c != ',') plain += c;
    double value = 0;
    // from_chars: locale-independent and correctly rounded, unlike strtod.
    const auto result = std::from_chars(plain.data(), plain.data() + plain.size(), value);
    if (result.ec == std::errc{}) page.points = value;
}

void read_left(const xmlNode* left, ProfilePage& page) {
    bool have_name = false;
    for (const xmlNode* n = left; n != nullptr; n = next_in_walk(n, left, n->type == XML_ELEMENT_NODE && !opaque(n))) {
        if (n->type != XML_ELEMENT_NODE) continue;
        if (is_element(n, "h3") && !have_name) {
            page.full_name = label_text(n);
            have_name = true;
        } else if (is_element(n, "h4") && page.handle.empty()) {
            const std::string text = label_text(n);
            if (text.size() > 1 && text.front() == '@') {
                page.handle = text.substr(1);
                ascii_lower(page.handle);
            }
        } else if (is_element(n, "p") && !page.world_rank && !page.points) {
            read_world_rank(label_text(n), page);
        }
    }
}

std::vector<const xmlNode*> rows_of(const xmlNode* table) {
    std::vector<const xmlNode*> rows;
    for (const xmlNode* child = table->children; child != nullptr; child = child->next) {
        if (is_element(child, "tr")) {
            rows.push_back(child);
        } else if (is_element(child, "thead") || is_element(child, "tbody") || is_element(child, "tfoot")) {
            for (const xmlNode* tr = child->children; tr != nullptr; tr = tr->next)
                if (is_element(tr, "tr")) rows.push_back(tr);
        }
    }
    return rows;
}

// The code of a cell's /status/CODE,handle/ link (for this handle), or "" when the
// cell has none or it is not valid.
std::string cell_code(const xmlNode* cell, std::string_view handle) {
    for (const xmlNode* n = cell; n != nullptr; n = next_in_walk(n, cell, true)) {
        if (!is_element(n, "a")) continue;
        const auto target = link_target(attribute(n, "href"), "status");
        if (!target) continue;
        const std::size_t comma = target->find(',');
        if (comma == std::string::npos) continue;
        const std::string code = target->substr(0, comma);
        if (valid_code(code) && equals_nocase(std::string_view(*target).substr(comma + 1), handle)) return code;
    }
    return {};
}

void read_solved(const xmlNode* table, ProfilePage& page) {
    for (const xmlNode* tr : rows_of(table)) {
        for (const xmlNode* cell = tr->children; cell != nullptr; cell = cell->next) {
            if (!is_element(cell, "td") && !is_element(cell, "th")) continue;
            std::string code = cell_code(cell, page.handle);
            if (!code.empty()) {
                page.solved.push_back(std::move(code));
            } else if (!cell_text(cell).empty()) {
                ++page.skipped_cells;  // padding cells are empty; anything else is noise
            }
        }
    }
    std::sort(page.solved.begin(), page.solved.end());
    page.solved.erase(std::unique(page.solved.begin(), page.solved.end()), page.solved.end());
}

ProfilePage not_profile(ProfileKind kind, std::string detail) {
    ProfilePage page;
    page.kind = kind;
    page.detail = std::move(detail);
    return page;
}

std::string escape_handle(std::string_view handle) {
    static const char hex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < handle.size() && i < kShownHandleBytes; ++i) {
        const auto c = static_cast<unsigned char>(handle[i]);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20 || c >= 0x7f) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    if (handle.size() > kShownHandleBytes) out += "...";
    return out;
}

// How messages name the page: profile of "handle".
std::string profile_who(std::string_view handle) { return "profile of \"" + std::string(handle) + "\""; }

// A fetcher message ("page 1: HTTP 500 from URL") reworded for a profile.
std::string profile_message(const std::string& message, std::string_view handle) {
    const std::string who = profile_who(handle);
    if (message.rfind("page 1: ", 0) == 0) return who + ": " + message.substr(8);
    if (const std::size_t at = message.find("fetching page 1"); at != std::string::npos)
        return message.substr(0, at) + "fetching the " + who + message.substr(at + 15);
    return who + ": " + message;
}

}  // namespace

ProfilePage parse_profile_page(std::string_view body, std::string_view content_type, const CancelCheck& cancel) {
    if (body.empty()) return not_profile(ProfileKind::Unrecognised, "empty page");
    if (body.size() > static_cast<std::size_t>(INT_MAX)) return not_profile(ProfileKind::Unrecognised, "page too large");
    const Document document = read_document(body, content_type, cancel);
    if (!document.refused.empty()) return not_profile(ProfileKind::Unrecognised, document.refused);
    const xmlNode* root = document.doc ? xmlDocGetRootElement(document.doc.get()) : nullptr;
    if (root == nullptr) return not_profile(ProfileKind::Unrecognised, "no HTML document");

    const ProfileScan scan = scan_profile(root);
    if (scan.left == nullptr) {
        if (std::string reason = blocked_reason(scan.signals); !reason.empty())
            return not_profile(ProfileKind::Blocked, std::move(reason));
        // Only a whole SPOJ page (its footer seen) says "no such user": a profile cut
        // short before #user-profile-left must not.
        if (scan.last_marker >= 0)
            return not_profile(ProfileKind::UnknownHandle, "no #user-profile-left (no such user)");
        return not_profile(ProfileKind::Unrecognised, "no #user-profile-left and no site footer");
    }

    ProfilePage page;
    read_left(scan.left, page);
    if (page.handle.empty()) return not_profile(ProfileKind::Unrecognised, "no @handle in #user-profile-left");
    if (!valid_handle(page.handle))
        return not_profile(ProfileKind::Unrecognised, "bad handle \"@" + escape_handle(page.handle) + "\"");
    page.problems_solved = scan.problems_solved;
    page.solutions_submitted = scan.solutions_submitted;

    long anchor_end;  // the footer must come after this walk position
    if (scan.solved_table != nullptr) {
        anchor_end = subtree_end(scan.solved_table, scan.table_position);
    } else if (scan.solved_heading != nullptr) {
        anchor_end = scan.heading_position;
    } else if (page.problems_solved == 0) {
        anchor_end = subtree_end(scan.left, scan.left_position);
    } else {
        return not_profile(ProfileKind::Unrecognised, "no \"List of solved classical problems\" heading");
    }
    if (scan.last_marker <= anchor_end)
        return not_profile(ProfileKind::Unrecognised, "no footer after the solved problems (page cut short)");

    if (scan.solved_table != nullptr) read_solved(scan.solved_table, page);
    page.kind = ProfileKind::Profile;
    return page;
}

bool valid_handle(std::string_view handle) noexcept {
    if (handle.empty() || handle.size() > kMaxHandleBytes) return false;
    return std::all_of(handle.begin(), handle.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

void require_valid_handle(std::string_view handle) {
    if (valid_handle(handle)) return;
    throw Error(ErrorKind::InvalidArgument, "invalid SPOJ handle \"" + escape_handle(handle) +
                                                "\": a handle is 1 to 32 characters of a-z, 0-9 and _");
}

std::string profile_url(std::string_view base_url, std::string_view handle) {
    require_valid_handle(handle);
    return std::string(site_root(base_url)) + "/users/" + std::string(handle) + "/";
}

ProfilePage fetch_profile(const FetchOptions& options, std::string_view handle) {
    const std::string url = profile_url(options.base_url, handle);  // rejects a bad handle first
    FetchedPage fetched;
    {
        std::optional<RobotsRules> robots;
        try {
            robots = fetch_robots(options);  // validates options, base URL included, first
            require_robots_allowed(robots, options, url);
        } catch (const Error& e) {
            throw Error(e.kind(), profile_message(e.what(), handle));
        }
        Fetcher fetcher(options);
        fetcher.request(1, url);
        try {
            fetched = fetcher.take(1);
        } catch (const Error& e) {
            throw Error(e.kind(), profile_message(e.what(), handle));
        }
    }
    ProfilePage page =
        parse_profile_page(fetched.body, fetched.content_type, CancelCheck{options.should_cancel, options.cancel_arg});
    if (page.kind == ProfileKind::UnknownHandle)
        throw Error(ErrorKind::InvalidArgument,
                    "unknown SPOJ user \"" + std::string(handle) + "\" (no profile at " + fetched.url + ")");
    const std::string who = profile_who(handle);
    require_profile(page, who, fetched.url);  // the URL that answered, after any redirect
    if (page.handle != handle)
        throw Error(ErrorKind::Layout, who + ": " + fetched.url + " shows the profile of \"" + page.handle + "\"");
    return page;
}

void require_profile(const ProfilePage& page, const std::string& who, std::string_view url) {
    const std::string at = url.empty() ? std::string() : " (" + std::string(url) + ")";
    switch (page.kind) {
        case ProfileKind::Profile:
            return;
        case ProfileKind::UnknownHandle:
            throw Error(ErrorKind::InvalidArgument, who + ": unknown SPOJ user (no profile on the page)" + at);
        case ProfileKind::Blocked:
            throw Error(ErrorKind::Layout, who + ": not a profile page: " + page.detail + at);
        case ProfileKind::Unrecognised:
            break;
    }
    throw Error(ErrorKind::Layout, who + ": layout not recognised: " + page.detail + at);
}

const char* profile_kind_name(ProfileKind kind) noexcept {
    switch (kind) {
        case ProfileKind::Profile: return "profile";
        case ProfileKind::UnknownHandle: return "unknown handle";
        case ProfileKind::Blocked: return "blocked";
        case ProfileKind::Unrecognised: return "unrecognised";
    }
    return "?";
}

}  // namespace spojscore
