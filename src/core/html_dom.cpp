#include "html_dom.hpp"

#include <algorithm>
#include <cstring>

#include <libxml/HTMLparser.h>
#include <libxml/encoding.h>

#include "html_text.hpp"
#include "no_postgres.hpp"

namespace spojscore::html {
namespace {

// NOERROR/NOWARNING keep libxml2 quiet, NONET forbids any fetch, and IGNORE_ENC makes
// the charset we pass win over the page's own <meta> (we already chose by header,
// then meta). Never XML_PARSE_HUGE: the default depth and text-size limits stay.
constexpr int kParseOptions =
    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC;

}  // namespace

std::string choose_encoding(std::string_view body, std::string_view content_type) {
    std::string charset = charset_from_content_type(content_type);
    if (charset.empty()) charset = charset_from_meta(body);
    for (char& c : charset) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (charset.empty() || charset == "utf-8" || charset == "utf8" || charset.rfind("utf-16", 0) == 0 ||
        charset.rfind("utf-32", 0) == 0 || charset.size() > 40) {
        return "UTF-8";
    }
    xmlCharEncodingHandlerPtr handler = xmlFindCharEncodingHandler(charset.c_str());
    if (handler == nullptr) return "UTF-8";
    xmlCharEncCloseFunc(handler);
    return charset;
}

Document read_document(std::string_view body, std::string_view content_type) {
    // libxml2 would otherwise reinterpret a whole UTF-8 page as ISO-8859-1 at the
    // first bad byte: repair bad bytes (and drop NULs) before it sees them.
    // A body that needs no change (the usual case) is passed as it is: a copy would cost
    // a page-sized allocation and a pass over it for every page.
    const std::string encoding = choose_encoding(body, content_type);
    std::string_view input = body;
    std::string repaired;
    Document out;
    if (encoding == "UTF-8") {
        if (clean_utf8_prefix(body) != body.size()) {
            repaired.assign(body);
            out.repaired_utf8 = make_valid_utf8(repaired) > 0;
            input = repaired;
        }
    } else if (body.find('\0') != std::string_view::npos) {
        repaired.assign(body);
        repaired.erase(std::remove(repaired.begin(), repaired.end(), '\0'), repaired.end());
        input = repaired;
    }
    LibxmlErrorSilencer silencer;
    out.doc.reset(htmlReadMemory(input.data(), static_cast<int>(input.size()), nullptr, encoding.c_str(),
                                 kParseOptions));
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

std::string cell_text(const xmlNode* node) {
    std::string text = raw_text(node);
    make_valid_utf8(text);
    return normalize_space(text);
}

bool is_site_footer(const xmlNode* node, std::string_view id) noexcept {
    if (node->type == XML_TEXT_NODE)
        return node->content != nullptr &&
               std::strstr(reinterpret_cast<const char*>(node->content), "All Rights Reserved") != nullptr;
    return node->type == XML_ELEMENT_NODE && (id == "footer" || id == "footer-srl");
}

bool is_cloudflare_id(std::string_view id) noexcept {
    return id == "challenge-form" || id == "challenge-body" || id == "cf-wrapper" || id == "cf-challenge-running";
}

bool note_block_signals(const xmlNode* node, BlockSignals& signals) {
    std::string storage;
    if (is_cloudflare_id(attribute_view(node, "id", storage))) signals.cloudflare = true;
    if (is_element(node, "script") || is_element(node, "style")) {
        if (attribute_view(node, "src", storage).find("/cdn-cgi/challenge-platform") != std::string_view::npos)
            signals.cloudflare = true;
        return false;
    }
    if (is_element(node, "input")) {
        signals.password_input =
            signals.password_input || contains_nocase(attribute_view(node, "type", storage), "password");
    } else if (is_element(node, "title") && signals.title.empty()) {
        signals.title = cell_text(node);
    } else if (is_element(node, "h1") && signals.heading.empty()) {
        signals.heading = cell_text(node);
    }
    return true;
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

