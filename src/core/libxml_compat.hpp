// The one place where spojscore's code differs by libxml2 version, and the list of
// behaviour differences the code handles without a version check. Everything else calls
// only API that is public and not deprecated from 2.9.14 (Debian 12 and 13) to 2.15 (sid).
//
// 1. Structured error callback: its error argument is `const xmlError*` from 2.12 on
//    (was `xmlErrorPtr`). CompatStructuredError is the argument type for the running headers.
// 2. Input encoding: the parsers read through htmlCtxtReadIO with the encoding as an
//    argument, which fixes it against a later <meta charset> on every version (no write to
//    the internal `input->encoding`, deprecated from 2.14).
// 3. After xmlStopParser, libxml2 before 2.14 closes every open element with end events;
//    2.14 and later send none. The SAX list parser closes what is left itself (html_sax.cpp).
#pragma once
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

namespace spojscore::libxml_compat {

#if LIBXML_VERSION >= 21200
using CompatStructuredError = const xmlError*;
#else
using CompatStructuredError = xmlErrorPtr;
#endif

}  // namespace spojscore::libxml_compat
