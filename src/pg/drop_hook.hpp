// Unschedules spojscore's pg_cron jobs when the extension is dropped (drop_hook.cpp).
#pragma once

namespace spojscore::pg {

void install_drop_hook();

}  // namespace spojscore::pg
