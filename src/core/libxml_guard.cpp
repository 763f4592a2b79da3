#include "libxml_guard.hpp"

#include <libxml/globals.h>

#include "libxml_compat.hpp"

#include "no_postgres.hpp"

namespace spojscore {
namespace {

void ignore_generic(void*, const char*, ...) {}
void ignore_structured(void*, libxml_compat::CompatStructuredError) {}

}  // namespace

LibxmlErrorSilencer::LibxmlErrorSilencer() noexcept
    : generic_(xmlGenericError),
      generic_context_(xmlGenericErrorContext),
      structured_(xmlStructuredError),
      structured_context_(xmlStructuredErrorContext) {
    xmlSetGenericErrorFunc(nullptr, ignore_generic);
    xmlSetStructuredErrorFunc(nullptr, ignore_structured);
}

LibxmlErrorSilencer::~LibxmlErrorSilencer() {
    // Assigned directly: xmlSetGenericErrorFunc(ctx, nullptr) would install
    // libxml2's default printer instead of restoring what was there.
    xmlGenericError = generic_;
    xmlGenericErrorContext = generic_context_;
    xmlStructuredError = structured_;
    xmlStructuredErrorContext = structured_context_;
}

}  // namespace spojscore
