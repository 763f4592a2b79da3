// libxml2 helpers for the page parsers: preparing a body for libxml2 (charset, bad
// bytes), reading it into a tree and walking that without recursion (the profile page),
// and the signs of a page that is not SPOJ's content (bot wall, maintenance, login, error
// page), which the list page's SAX scan reads too.
#pragma once
#include <string>
#include <string_view>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "cancel.hpp"
#include "libxml_guard.hpp"

namespace spojscore::html {

// NOERROR/NOWARNING keep libxml2 quiet, NONET forbids any fetch, and IGNORE_ENC makes
// the charset we pass win over the page's own <meta> (we already chose by header,
// then meta). Never XML_PARSE_HUGE: the default depth and text-size limits stay.
constexpr int kParseOptions =
    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC;

// What libxml2 is given for a body: the charset to decode it with (see choose_encoding)
// and the bytes, which are `body` itself or a repaired copy kept in the caller's storage.
struct ParserInput {
    std::string encoding;
    std::string_view bytes;
    bool repaired_utf8 = false;  // bad UTF-8 bytes were replaced with U+FFFD
};

// libxml2 would reinterpret a whole UTF-8 page as ISO-8859-1 at its first bad byte, so a
// UTF-8 body has bad bytes replaced first; NULs are dropped whatever the charset.
ParserInput prepare_input(std::string_view body, std::string_view content_type, std::string& storage);

// libxml2 reads a body through read_input, a few KB at a time, rather than from memory:
// between reads it polls `cancel`, and once that says stop, reports the end of the input,
// so a parse stops within a few KB of input whatever the page holds.
struct InputReader {
    std::string_view bytes;
    CancelCheck cancel;
    std::size_t pos = 0;
    bool cancelled = false;
};
int read_input(void* reader, char* buffer, int len) noexcept;

// Throws Error(Cancelled) when the reader stopped a parse for a cancel.
void require_not_cancelled(const InputReader& reader);

struct ParserCtxtFree {
    void operator()(htmlParserCtxt* ctxt) const noexcept { htmlFreeParserCtxt(ctxt); }
};

struct Document {
    XmlDocPtr doc;               // null when libxml2 built no document
    bool repaired_utf8 = false;  // bad UTF-8 bytes were replaced with U+FFFD before parsing
    std::string refused;         // why the body was not parsed (markup_refusal), or ""
};

// Parses `body` with libxml2's HTML parser into a tree: input as prepare_input makes it,
// checked by count_markup first (refused, or Error(SizeLimit) when the tree could exceed
// memory_budget at kTreeCost), read through an InputReader, kParseOptions, no diagnostics (a
// LibxmlErrorSilencer is held while parsing). Throws Error(Cancelled). The caller checks
// the size fits an int.
Document read_document(std::string_view body, std::string_view content_type, const CancelCheck& cancel = {});

// The charset libxml2 is told to use: header, else meta, else UTF-8. UTF-16/32 labels,
// names libxml2/iconv does not know and charsets whose ASCII bytes are not ASCII (EBCDIC,
// UTF-7, ISO-2022: count_markup reads the bytes as ASCII) become UTF-8.
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

// cell_text of at most the first kMaxLabelBytes of text in the first kMaxLabelNodes nodes
// of the subtree: for headings and labels, which a page can nest 256 deep around all of
// its text (a full read of each would cost 256 times the page).
inline constexpr std::size_t kMaxLabelBytes = 64 * 1024, kMaxLabelNodes = 4096;
std::string label_text(const xmlNode* node);

// What a page that is not the content we asked for shows.
struct BlockSignals {
    std::string title;            // first <title>, normalized
    std::string heading;          // first <h1>, normalized
    bool password_input = false;  // an <input type=password>
    bool cloudflare = false;      // challenge ids or /cdn-cgi/challenge-platform scripts
};

bool is_cloudflare_id(std::string_view id) noexcept;

// The site footer, both layouts: a text holding kFooterText, or an element with id
// footer or footer-srl. Seeing it after the content proves a page arrived whole.
constexpr std::string_view kFooterText = "All Rights Reserved";
bool is_footer_id(std::string_view id) noexcept;
// The same for a tree node (`id` is the element's id, empty for text nodes).
bool is_site_footer(const xmlNode* node, std::string_view id) noexcept;

// <script> and <style>: their content is raw text, which no walk reads for signals.
bool is_raw_text_element(std::string_view name) noexcept;

// The attributes of an element that the page checks read.
struct ElementView {
    std::string_view name, id, src, type;
};

// Which text of the element BlockSignals still wants (the caller reads it as cell text).
enum class SignalText { None, Title, Heading };

// Notes what an element says about BlockSignals from its name and attributes.
SignalText note_element_signals(const ElementView& element, BlockSignals& signals);

// The same for a tree node, reading the wanted text at once with `text_of`; returns false
// for <script> and <style>, whose children a walk should skip.
bool note_block_signals(const xmlNode* node, BlockSignals& signals,
                        std::string (*text_of)(const xmlNode*) = cell_text);

// Why such a page is a bot wall, outage, login or error page; "" when nothing says so.
std::string blocked_reason(const BlockSignals& signals);

}  // namespace spojscore::html
