// Module entry: the magic block and load-time setup.
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "miscadmin.h"

PG_MODULE_MAGIC;

void _PG_init(void);
}

#include "pg/drop_hook.hpp"
#include "pg/log_redact.hpp"
#include "pg/settings.hpp"

void _PG_init(void) {
    spojscore::pg::preloaded = process_shared_preload_libraries_in_progress;
    // Defining the settings also reserves the spojscore. prefix: a typo, or a value
    // planted before the library was loaded, is an error rather than a silent no-op.
    spojscore::pg::define_settings();
    spojscore::pg::install_drop_hook();
    spojscore::pg::install_log_redaction();
}
