#include "html_sax.hpp"

#include <cstring>
#include <exception>
#include <memory>
#include <new>

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

#include "html_dom.hpp"
#include "html_limits.hpp"
#include "libxml_guard.hpp"
#include "no_postgres.hpp"

namespace spojscore::html {
namespace {

// What the callbacks reach through libxml2's userData. They are noexcept: an exception
// from the handler is kept here and the parser stopped, never unwound through libxml2.
struct Session {
    SaxHandler& handler;
    htmlParserCtxtPtr ctxt;
    std::exception_ptr failure;
    unsigned depth = 0;  // open elements delivered, as the tree builder's node stack counts them

    template <typename F>
    void deliver(F&& f) noexcept {
        if (failure) return;
        try {
            f();
        } catch (...) {
            failure = std::current_exception();
            xmlStopParser(ctxt);
        }
    }
};

Session& session(void* user_data) noexcept { return *static_cast<Session*>(user_data); }

std::string_view view(const xmlChar* text, int length) noexcept {
    return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(length)};
}

// The tree builder halts the parser rather than go deeper than xmlParserMaxDepth.
// After a halt libxml2 still closes every open element, the refused one included: the
// extra end is dropped.
void on_start(void* data, const xmlChar* name, const xmlChar** attributes) noexcept {
    Session& s = session(data);
    if (s.depth > xmlParserMaxDepth) {
        xmlStopParser(s.ctxt);
        return;
    }
    ++s.depth;
    s.deliver([&] { s.handler.start_element(reinterpret_cast<const char*>(name), attributes); });
}

void on_end(void* data, const xmlChar*) noexcept {
    Session& s = session(data);
    if (s.depth == 0) return;
    --s.depth;
    s.deliver([&] { s.handler.end_element(); });
}

void on_characters(void* data, const xmlChar* text, int length) noexcept {
    session(data).deliver([&] { session(data).handler.text(view(text, length), false); });
}

void on_raw_text(void* data, const xmlChar* text, int length) noexcept {
    session(data).deliver([&] { session(data).handler.text(view(text, length), true); });
}

void on_comment(void* data, const xmlChar*) noexcept {
    session(data).deliver([&] { session(data).handler.other_node(); });
}

void on_processing_instruction(void* data, const xmlChar*, const xmlChar*) noexcept {
    session(data).deliver([&] { session(data).handler.other_node(); });
}

void on_doctype(void* data, const xmlChar*, const xmlChar*, const xmlChar*) noexcept {
    session(data).deliver([&] { session(data).handler.doctype(); });
}

// The events a tree would turn into nodes. No ignorableWhitespace: the tree builder
// drops that whitespace too. No document callbacks: nothing is built.
xmlSAXHandler make_sax_handler() noexcept {
    xmlSAXHandler sax;
    std::memset(&sax, 0, sizeof sax);
    sax.startElement = on_start;
    sax.endElement = on_end;
    sax.characters = on_characters;
    sax.cdataBlock = on_raw_text;
    sax.comment = on_comment;
    sax.processingInstruction = on_processing_instruction;
    sax.internalSubset = on_doctype;
    return sax;
}

}  // namespace

ParseOutcome parse_events(std::string_view body, std::string_view content_type, SaxHandler& handler,
                          const CancelCheck& cancel) {
    std::string storage;
    const ParserInput in = prepare_input(body, content_type, storage);
    ParseOutcome out{in.repaired_utf8, {}};
    if (in.bytes.empty()) return out;  // only NULs: libxml2 builds no document from nothing
    const MarkupCounts counts = count_markup(in.bytes, cancel);
    out.refused = markup_refusal(counts);
    if (!out.refused.empty()) return out;
    require_memory_budget(counts, kScanCost, in.bytes.size(), "page");
    xmlSAXHandler sax = make_sax_handler();
    InputReader reader{in.bytes, cancel};
    std::exception_ptr failure;
    {
        LibxmlErrorSilencer silencer;
        xmlInitParser();  // before the context, as htmlReadMemory does
        std::unique_ptr<htmlParserCtxt, ParserCtxtFree> ctxt(htmlNewParserCtxt());
        if (ctxt == nullptr) throw std::bad_alloc();  // libxml2 could not allocate its context
        Session state{handler, ctxt.get(), nullptr};
        xmlSAXHandlerPtr own_sax = ctxt->sax;
        ctxt->sax = &sax;
        ctxt->userData = &state;
        // As read_document reads a tree, with our callbacks: no document is built.
        XmlDocPtr none(htmlCtxtReadIO(ctxt.get(), read_input, nullptr, &reader, nullptr, in.encoding.c_str(),
                                      kParseOptions));
        // libxml2 before 2.14 closes every open element after xmlStopParser; 2.14 and later
        // send no more events: close what is left, so every start still has its end.
        while (state.depth > 0 && !state.failure) {
            --state.depth;
            state.deliver([&] { handler.end_element(); });
        }
        ctxt->sax = own_sax;
        ctxt->userData = ctxt.get();
        failure = state.failure;
    }
    if (failure) std::rethrow_exception(failure);
    require_not_cancelled(reader);
    return out;
}

}  // namespace spojscore::html
