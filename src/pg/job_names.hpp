// The pg_cron job names, as src/sql/shared/shapes.sed gives them to the SQL (a static
// check keeps the two equal).
#pragma once

namespace spojscore::pg {

inline constexpr char kRefreshJob[] = "spojscore-refresh";
inline constexpr char kCleanupJob[] = "spojscore-cleanup";

}  // namespace spojscore::pg
