// RAII for the libxml2 pieces the parser touches. The guard leaves libxml2's global
// (per-thread) error handlers exactly as it found them: PostgreSQL's xml.c checks
// that nobody changed them behind its back ("libxml error handling state is out of sync").
#pragma once
#include <memory>

#include <libxml/tree.h>
#include <libxml/xmlerror.h>

namespace spojscore {

struct XmlDocFree {
    void operator()(xmlDoc* doc) const noexcept { xmlFreeDoc(doc); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;

// Installs silent generic and structured error handlers for its lifetime, so that
// no libxml2 diagnostic reaches stderr (the server log in a backend), then puts the
// previous handlers and their contexts back.
class LibxmlErrorSilencer {
public:
    LibxmlErrorSilencer() noexcept;
    ~LibxmlErrorSilencer();
    LibxmlErrorSilencer(const LibxmlErrorSilencer&) = delete;
    LibxmlErrorSilencer& operator=(const LibxmlErrorSilencer&) = delete;

private:
    xmlGenericErrorFunc generic_;
    void* generic_context_;
    xmlStructuredErrorFunc structured_;
    void* structured_context_;
};

}  // namespace spojscore
