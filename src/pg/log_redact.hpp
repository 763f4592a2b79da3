// Keeps the proxy's credentials out of the server log.
#pragma once

namespace spojscore::pg {

// Chains an emit_log_hook that, in any log record naming spojscore.proxy, replaces the
// user information of URLs with *** and leaves out the statement text. PostgreSQL itself
// logs 'parameter "spojscore.proxy" changed to "<value>"' when the configuration is
// reloaded, and the statement of a failed SET/ALTER SYSTEM under log_min_error_statement.
void install_log_redaction();

}  // namespace spojscore::pg
