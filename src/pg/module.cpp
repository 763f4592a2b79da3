// Module entry: the magic block and load-time setup.
extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "utils/guc.h"

PG_MODULE_MAGIC;

void _PG_init(void);
}

void _PG_init(void) {
    // Settings that choose where the backend connects are spojscore.*; reserving the
    // prefix makes a typo or a placeholder planted before load an error, not a no-op.
    MarkGUCPrefixReserved("spojscore");
}
