// DROP EXTENSION spojscore removes the pg_cron jobs spoj_schedule() made in this database:
// no SQL object can react to its own extension being dropped (an event trigger that is a
// member is gone before sql_drop fires), so the library watches for the drop through
// PostgreSQL's object access hook. It is installed by _PG_init, i.e. in every session
// when the library is preloaded (which spojscore requires for refreshes). Jobs in
// another database are out of reach; their command then does nothing (see spoj_schedule).
// Plain C-style code: no C++ object with a destructor is alive around these calls.
#include "pg/drop_hook.hpp"

extern "C" {
#include "postgres.h"

#include "catalog/objectaccess.h"
#include "catalog/pg_extension.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
}

#include "pg/job_names.hpp"

namespace spojscore::pg {

namespace {

object_access_hook_type previous_hook = nullptr;

void unschedule_jobs() {
    // pg_cron's tables live in the schema it creates (cron), not in its extension schema.
    SPI_connect();
    SPI_execute("SELECT pg_catalog.quote_ident(n.nspname) FROM pg_catalog.pg_extension e "
                "JOIN pg_catalog.pg_depend d ON d.refobjid OPERATOR(pg_catalog.=) e.oid AND d.deptype OPERATOR(pg_catalog.=) 'e' "
                "AND d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass "
                "JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) d.objid "
                "JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
                "WHERE e.extname OPERATOR(pg_catalog.=) 'pg_cron' AND c.relname OPERATOR(pg_catalog.=) 'job'",
                true, 1);
    if (SPI_processed == 1) {
        const char* schema = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
        StringInfoData sql;
        initStringInfo(&sql);
        appendStringInfo(&sql,
                         "SELECT %s.unschedule(j.jobid) FROM %s.job j WHERE j.jobname IN (%s, %s) "
                         "AND j.database OPERATOR(pg_catalog.=) pg_catalog.current_database()",
                         schema, schema, quote_literal_cstr(kRefreshJob), quote_literal_cstr(kCleanupJob));
        SPI_execute(sql.data, false, 0);
    }
    SPI_finish();
}

void on_object_access(ObjectAccessType access, Oid class_id, Oid object_id, int sub_id, void* arg) {
    if (previous_hook) previous_hook(access, class_id, object_id, sub_id, arg);
    if (access != OAT_DROP || class_id != ExtensionRelationId || sub_id != 0) return;
    char* name = get_extension_name(object_id);
    if (name != nullptr && strcmp(name, "spojscore") == 0) unschedule_jobs();
}

}  // namespace

void install_drop_hook() {
    previous_hook = object_access_hook;
    object_access_hook = on_object_access;
}

}  // namespace spojscore::pg
