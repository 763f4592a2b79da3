// libxml2 tree helpers shared by the page parsers (list page, user profile): reading a
// body with the right charset, walking the tree without recursion, and the signs of a
// page that is not SPOJ's content (bot wall, maintenance, login, error page).
#pragma once
#include <string>
#include <string_view>

#include <libxml/tree.h>

#include "libxml_guard.hpp"

namespace spojscore::html {

struct Document {
    XmlDocPtr doc;               // null when libxml2 built no document
    bool repaired_utf8 = false;  // bad UTF-8 bytes were replaced with U+FFFD before parsing
};

// Parses `body` with libxml2's HTML parser: charset from `content_type`, else <meta>,
// else UTF-8 (see choose_encoding); a UTF-8 body has bad bytes repaired and NULs
// dropped first. No network, no diagnostics (a LibxmlErrorSilencer is held while
// parsing), libxml2's default depth and size limits. The caller checks the size
// fits an int.
Document read_document(std::string_view body, std::string_view content_type);

// The charset libxml2 is told to use: header, else meta, else UTF-8. UTF-16/32 labels
// and names libxml2/iconv does not know become UTF-8.
std::string choose_encoding(std::string_view body, std::string_view content_type);

bool is_element(const xmlNode* node, const char* name) noexcept;

// Attribute value as libxml2 stores it (entities decoded); "" if absent.
std::string attribute(const xmlNode* node, const char* name);

// The same value without a copy when libxml2 holds it as one text node (its HTML
// parser always does); otherwise the pieces are joined in `storage`. Valid while the
// document and `storage` live.
std::string_view attribute_view(const xmlNode* node, const char* name, std::string& storage);

// Whether a class attribute value holds `token` as one of its space-separated words.
bool has_token(std::string_view classes, std::string_view token) noexcept;
bool has_class(const xmlNode* node, std::string_view token);

// The next node of a pre-order walk of `root`'s subtree, skipping `node`'s own
// children unless `descend`. Iterative: element depth never costs stack.
const xmlNode* next_in_walk(const xmlNode* node, const xmlNode* root, bool descend) noexcept;

// Concatenated text under `node`, as raw libxml2 UTF-8.
std::string raw_text(const xmlNode* node);

// raw_text made valid UTF-8 and passed through normalize_space.
std::string cell_text(const xmlNode* node);

// What a page that is not the content we asked for shows.
struct BlockSignals {
    std::string title;            // first <title>, normalized
    std::string heading;          // first <h1>, normalized
    bool password_input = false;  // an <input type=password>
    bool cloudflare = false;      // challenge ids or /cdn-cgi/challenge-platform scripts
};

bool is_cloudflare_id(std::string_view id) noexcept;

// The site footer, both layouts: the "All Rights Reserved" text, or an element with id
// footer or footer-srl (`id` is the element's id, empty for text nodes). Seeing it after
// the content proves a page arrived whole.
bool is_site_footer(const xmlNode* node, std::string_view id) noexcept;

// Notes what `node` (an element) says about BlockSignals; returns false for <script>
// and <style>, whose children a walk should skip.
bool note_block_signals(const xmlNode* node, BlockSignals& signals);

// Why such a page is a bot wall, outage, login or error page; "" when nothing says so.
std::string blocked_reason(const BlockSignals& signals);

}  // namespace spojscore::html
