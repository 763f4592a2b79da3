// libxml2's HTML parser driven by SAX callbacks, without a tree. The list page needs a
// few facts about the whole page and the rows of one table; building and freeing a tree
// of some 10,000 nodes was half the cost of reading a page.
#pragma once
#include <string>
#include <string_view>

#include <libxml/xmlstring.h>

#include "cancel.hpp"

namespace spojscore::html {

// The parser's events in document order: the same tokenizer and the same implied and
// auto-closed elements as the tree parser (read_document) builds its tree from. Every
// start_element is matched by one end_element, libxml2 closing what the page leaves open.
// Elements nested deeper than libxml2's limit (xmlParserMaxDepth, 256) stop the parser,
// as they stop its tree builder. A callback may throw: the exception stops the parser and
// parse_events rethrows it once libxml2's frames are gone.
class SaxHandler {
public:
    virtual ~SaxHandler() = default;
    // `name` in lower case; `attributes` holds name/value pairs ending with a null name
    // (a value is null for an attribute written without one), or is itself null.
    virtual void start_element(std::string_view name, const xmlChar* const* attributes) = 0;
    virtual void end_element() = 0;
    // Character data as UTF-8; `raw` for the content of <script> and <style>.
    virtual void text(std::string_view text, bool raw) = 0;
    // A comment or processing instruction: a node that separates texts.
    virtual void other_node() = 0;
    // A <!DOCTYPE>, wherever it appears: libxml2's tree makes it the document's first node.
    virtual void doctype() = 0;
};

struct ParseOutcome {
    bool repaired_utf8 = false;  // bad UTF-8 bytes were replaced with U+FFFD first
    std::string refused;         // why the body was not parsed (markup_refusal), or ""
};

// Parses `body` with the input, charset, checks and options read_document uses, feeding
// `handler`, which may keep up to kScanCost per tag (Error(SizeLimit) before parsing when
// that could exceed memory_budget). Throws Error(Cancelled) when `cancel` stopped it. The
// caller checks the size fits an int.
ParseOutcome parse_events(std::string_view body, std::string_view content_type, SaxHandler& handler,
                  const CancelCheck& cancel = {});

}  // namespace spojscore::html
