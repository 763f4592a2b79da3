#include "html_dom.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <new>

#include <libxml/HTMLparser.h>
#include <libxml/encoding.h>

#include "error.hpp"
#include "html_limits.hpp"
#include "html_text.hpp"
#include "no_postgres.hpp"

namespace spojscore::html {
namespace {

// Charsets in which every byte below 0x80 is that ASCII character (multi-byte ones
// included: their lead bytes, and the trail bytes that overlap ASCII, are never the
// '<', '>', '=', quotes or blanks markup is made of). The rest (EBCDIC, UTF-7, ISO-2022,
// HZ) could spell markup count_markup does not see.
bool ascii_transparent(std::string_view charset) noexcept {
    static constexpr std::string_view kPrefixes[] = {
        "us-ascii", "ascii", "iso-8859-", "iso8859", "iso_8859", "latin", "windows-125", "cp125", "koi8",
        "shift_jis", "shift-jis", "sjis", "windows-31j", "cp932", "euc-", "euc_", "gbk", "gb2312", "gb18030",
        "big5", "cp936", "cp949", "cp950", "tis-620", "cp866", "macintosh"};
    for (std::string_view prefix : kPrefixes)
        if (charset.substr(0, prefix.size()) == prefix) return true;
    return false;
}

}  // namespace

std::string choose_encoding(std::string_view body, std::string_view content_type) {
    std::string charset = charset_from_content_type(content_type);
    if (charset.empty()) charset = charset_from_meta(body);
    ascii_lower(charset);
    if (charset.empty() || charset == "utf-8" || charset == "utf8" || charset.rfind("utf-16", 0) == 0 ||
        charset.rfind("utf-32", 0) == 0 || charset.size() > 40 || !ascii_transparent(charset)) {
        return "UTF-8";
    }
    xmlCharEncodingHandlerPtr handler = xmlFindCharEncodingHandler(charset.c_str());
    if (handler == nullptr) return "UTF-8";
    xmlCharEncCloseFunc(handler);
    return charset;
}

ParserInput prepare_input(std::string_view body, std::string_view content_type, std::string& storage) {
    // A body that needs no change (the usual case) is passed as it is: a copy would cost
    // a page-sized allocation and a pass over it for every page.
    ParserInput in{choose_encoding(body, content_type), body};
    if (in.encoding == "UTF-8") {
        if (clean_utf8_prefix(body) != body.size()) {
            storage.assign(body);
            in.repaired_utf8 = make_valid_utf8(storage) > 0;
            in.bytes = storage;
        }
    } else if (body.find('\0') != std::string_view::npos) {
        storage.assign(body);
        storage.erase(std::remove(storage.begin(), storage.end(), '\0'), storage.end());
        in.bytes = storage;
    }
    return in;
}

int read_input(void* context, char* buffer, int len) noexcept {
    constexpr std::size_t kMaxRead = 16 * 1024;
    InputReader& reader = *static_cast<InputReader*>(context);
    if (reader.cancelled || reader.cancel.requested()) {
        reader.cancelled = true;
        return -1;  // an input error: libxml2 stops reading and closes what is open
    }
    const std::size_t n = std::min({static_cast<std::size_t>(std::max(len, 0)), kMaxRead, reader.bytes.size() - reader.pos});
    std::memcpy(buffer, reader.bytes.data() + reader.pos, n);
    reader.pos += n;
    return static_cast<int>(n);
}

void require_not_cancelled(const InputReader& reader) {
    if (reader.cancelled) throw Error(ErrorKind::Cancelled, "cancelled while parsing the page");
}

Document read_document(std::string_view body, std::string_view content_type, const CancelCheck& cancel) {
    std::string storage;
    const ParserInput in = prepare_input(body, content_type, storage);
    Document out;
    out.repaired_utf8 = in.repaired_utf8;
    const MarkupCounts counts = count_markup(in.bytes, cancel);
    out.refused = markup_refusal(counts);
    if (!out.refused.empty()) return out;
    require_memory_budget(counts, kTreeCost, in.bytes.size(), "page");
    InputReader reader{in.bytes, cancel};
    {
        LibxmlErrorSilencer silencer;
        xmlInitParser();  // before the context, as htmlReadMemory does
        std::unique_ptr<htmlParserCtxt, ParserCtxtFree> ctxt(htmlNewParserCtxt());
        if (ctxt == nullptr) throw std::bad_alloc();
        out.doc.reset(htmlCtxtReadIO(ctxt.get(), read_input, nullptr, &reader, nullptr, in.encoding.c_str(),
                                     kParseOptions));
    }
    require_not_cancelled(reader);
    return out;
}

bool is_element(const xmlNode* node, const char* name) noexcept {
    return node->type == XML_ELEMENT_NODE && std::strcmp(reinterpret_cast<const char*>(node->name), name) == 0;
}

std::string_view attribute_view(const xmlNode* node, const char* name, std::string& storage) {
    for (const xmlAttr* attr = node->properties; attr != nullptr; attr = attr->next) {
        if (std::strcmp(reinterpret_cast<const char*>(attr->name), name) != 0) continue;
        const xmlNode* text = attr->children;
        if (text == nullptr) return {};
        if (text->next == nullptr) return text->content ? reinterpret_cast<const char*>(text->content) : "";
        storage.clear();
        for (; text != nullptr; text = text->next)
            if (text->content != nullptr) storage += reinterpret_cast<const char*>(text->content);
        return storage;
    }
    return {};
}

std::string attribute(const xmlNode* node, const char* name) {
    std::string storage;
    return std::string(attribute_view(node, name, storage));
}

bool has_token(std::string_view classes, std::string_view token) noexcept {
    const auto is_separator = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; };
    std::size_t pos = 0;
    while (pos < classes.size()) {
        std::size_t end = pos;
        while (end < classes.size() && !is_separator(classes[end])) ++end;
        if (classes.substr(pos, end - pos) == token) return true;
        pos = end + 1;
    }
    return false;
}

bool has_class(const xmlNode* node, std::string_view token) {
    std::string storage;
    return has_token(attribute_view(node, "class", storage), token);
}

const xmlNode* next_in_walk(const xmlNode* node, const xmlNode* root, bool descend) noexcept {
    if (descend && node->children != nullptr) return node->children;
    while (node != root) {
        if (node->next != nullptr) return node->next;
        node = node->parent;
    }
    return nullptr;
}

std::string raw_text(const xmlNode* node) {
    std::string text;
    for (const xmlNode* n = node; n != nullptr; n = next_in_walk(n, node, true))
        if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content != nullptr)
            text += reinterpret_cast<const char*>(n->content);
    return text;
}

std::string cell_text(const xmlNode* node) { return clean_text(raw_text(node)); }

std::string label_text(const xmlNode* node) {
    std::string text;
    std::size_t nodes = 0;
    for (const xmlNode* n = node; n != nullptr && nodes < kMaxLabelNodes && text.size() < kMaxLabelBytes;
         n = next_in_walk(n, node, true), ++nodes)
        if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content != nullptr)
            text.append(reinterpret_cast<const char*>(n->content),
                        std::min(std::strlen(reinterpret_cast<const char*>(n->content)), kMaxLabelBytes - text.size()));
    return clean_text(std::move(text));
}

bool is_footer_id(std::string_view id) noexcept { return id == "footer" || id == "footer-srl"; }

bool is_site_footer(const xmlNode* node, std::string_view id) noexcept {
    if (node->type == XML_TEXT_NODE)
        return node->content != nullptr &&
               std::string_view(reinterpret_cast<const char*>(node->content)).find(kFooterText) !=
                   std::string_view::npos;
    return node->type == XML_ELEMENT_NODE && is_footer_id(id);
}

bool is_cloudflare_id(std::string_view id) noexcept {
    return id == "challenge-form" || id == "challenge-body" || id == "cf-wrapper" || id == "cf-challenge-running";
}

bool is_raw_text_element(std::string_view name) noexcept { return name == "script" || name == "style"; }

SignalText note_element_signals(const ElementView& e, BlockSignals& signals) {
    if (is_cloudflare_id(e.id)) signals.cloudflare = true;
    if (is_raw_text_element(e.name)) {
        if (e.src.find("/cdn-cgi/challenge-platform") != std::string_view::npos) signals.cloudflare = true;
    } else if (e.name == "input") {
        signals.password_input = signals.password_input || contains_nocase(e.type, "password");
    } else if (e.name == "title" && signals.title.empty()) {
        return SignalText::Title;
    } else if (e.name == "h1" && signals.heading.empty()) {
        return SignalText::Heading;
    }
    return SignalText::None;
}

bool note_block_signals(const xmlNode* node, BlockSignals& signals, std::string (*text_of)(const xmlNode*)) {
    std::string id, src, type;
    const ElementView element{reinterpret_cast<const char*>(node->name), attribute_view(node, "id", id),
                              attribute_view(node, "src", src), attribute_view(node, "type", type)};
    switch (note_element_signals(element, signals)) {
        case SignalText::Title: signals.title = text_of(node); break;
        case SignalText::Heading: signals.heading = text_of(node); break;
        case SignalText::None: break;
    }
    return !is_raw_text_element(element.name);
}

std::string blocked_reason(const BlockSignals& s) {
    if (contains_nocase(s.title, "just a moment")) return "bot challenge (\"Just a moment...\")";
    if (contains_nocase(s.title, "attention required") || s.cloudflare) return "Cloudflare challenge page";
    if (contains_nocase(s.title, "maintenance") || contains_nocase(s.heading, "maintenance")) return "maintenance page";
    if (s.password_input) return "login page";
    for (const char* word : {"error", "bad gateway", "not found", "forbidden", "unavailable", "too many requests"})
        if (contains_nocase(s.title, word) || contains_nocase(s.heading, word))
            return "error page: " + (s.title.empty() ? s.heading : s.title).substr(0, 80);
    return {};
}

}  // namespace spojscore::html

