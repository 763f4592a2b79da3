#include "pg/log_redact.hpp"

extern "C" {
#include "postgres.h"

#include "tcop/tcopprot.h"
#include "utils/elog.h"
}

#include <cstring>

namespace spojscore::pg {
namespace {

emit_log_hook_type previous_hook = nullptr;

bool names_proxy(const char* text) { return text && strcasestr(text, "spojscore.proxy") != nullptr; }

// A copy of `text` (palloc'd in the record's context) with "scheme://user:password@"
// turned into "scheme://***@"; `text` itself when there is nothing to hide.
char* redact_userinfo(char* text) {
    if (!text || !std::strstr(text, "://")) return text;
    StringInfoData out;
    initStringInfo(&out);
    const char* p = text;
    while (const char* scheme_end = std::strstr(p, "://")) {
        const char* authority = scheme_end + 3;
        std::size_t len = std::strcspn(authority, "/?#\"' \t\r\n");
        const char* at = nullptr;
        for (const char* q = authority; q < authority + len; ++q)
            if (*q == '@') at = q;
        appendBinaryStringInfo(&out, p, static_cast<int>(authority - p));
        if (at) {
            appendStringInfoString(&out, "***");
            p = at;
        } else {
            p = authority;
        }
    }
    appendStringInfoString(&out, p);
    return out.data;
}

void redact(ErrorData* edata) {
    if (edata->output_to_server &&
        (names_proxy(edata->message) || names_proxy(edata->detail) || names_proxy(debug_query_string))) {
        edata->message = redact_userinfo(edata->message);
        edata->detail = redact_userinfo(edata->detail);
        edata->detail_log = redact_userinfo(edata->detail_log);
        edata->context = redact_userinfo(edata->context);
        if (debug_query_string && std::strchr(debug_query_string, '@')) edata->hide_stmt = true;
    }
    if (previous_hook) previous_hook(edata);
}

}  // namespace

void install_log_redaction() {
    previous_hook = emit_log_hook;
    emit_log_hook = redact;
}

}  // namespace spojscore::pg
