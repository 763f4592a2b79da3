// The one place where spojscore's code differs by libxml2 version. Everything else calls
// only API that is public and not deprecated from 2.9.14 (Debian 12 and 13) to 2.15 (sid).
//
// 1. Structured error callback: its error argument is `const xmlError*` from 2.12 on
//    (was `xmlErrorPtr`). CompatStructuredError is the argument type for the running headers.
// 2. Fixing a parser's input encoding: before 2.12, htmlReadMemory (and we) had to write the
//    internal field `ctxt->input->encoding` so that a later <meta charset> cannot switch the
//    decoder; from 2.12 xmlSwitchToEncoding marks the input's encoding as fixed itself
//    (XML_INPUT_HAS_ENCODING) and the field is deprecated (2.14+ warns). set_fixed_encoding
//    does what the running version needs.
#pragma once
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

namespace spojscore::libxml_compat {

#if LIBXML_VERSION >= 21200
using CompatStructuredError = const xmlError*;
#else
using CompatStructuredError = xmlErrorPtr;
#endif

// Decodes the context's input with `handler` (named `name`), ignoring any charset the document declares.
inline void set_fixed_encoding(xmlParserCtxtPtr ctxt, xmlCharEncodingHandlerPtr handler, const char* name) {
    xmlSwitchToEncoding(ctxt, handler);
#if LIBXML_VERSION < 21200
    xmlFree(const_cast<xmlChar*>(ctxt->input->encoding));
    ctxt->input->encoding = xmlStrdup(reinterpret_cast<const xmlChar*>(name));
#else
    (void)name;
#endif
}

}  // namespace spojscore::libxml_compat
