# PGXS build of the spojscore module. `make && make install`, then see README for tests.
EXTENSION = spojscore
MODULE_big = spojscore
EXTVERSION = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" $(EXTENSION).control)

# Released scripts are committed and never edited. The scripts of the version under
# development are built: its install script from src/sql/header.sql and the modules (in this order:
# later modules use earlier ones), its upgrade step from a hand-written head (state changes),
# the code modules re-created with CREATE OR REPLACE and the new objects' privileges
# (docs/releasing.md).
SQL_MODULES = guard scoring tables refresh users scheduling status privileges privileges-0.2.0
SQL_CODE = guard scoring refresh users scheduling status
PREV_VERSION = 0.1.0
DATA = $(EXTENSION)--0.1.0.sql
DATA_built = $(EXTENSION)--$(EXTVERSION).sql $(EXTENSION)--$(PREV_VERSION)--$(EXTVERSION).sql
CORE_SOURCES = $(wildcard src/core/*.cpp)
PG_SOURCES = $(wildcard src/pg/*.cpp)
OBJS = $(CORE_SOURCES:.cpp=.o) $(PG_SOURCES:.cpp=.o)

REGRESS = install score boundary parse_list refresh load_pages privileges users hostile
REGRESS_OPTS = --load-extension=plpgsql
ISOLATION = refresh_visibility refresh_no_strong_lock refresh_overlap refresh_row_lock refresh_lock_no_grant

PG_CONFIG ?= pg_config
# -isystem: PostgreSQL's own headers are not -Wextra clean in C++ (-Wregister etc.).
PG_CPPFLAGS = -Isrc -isystem $(shell $(PG_CONFIG) --includedir-server) \
	$(shell xml2-config --cflags) $(shell curl-config --cflags) \
	-DSPOJSCORE_VERSION='"$(EXTVERSION)"'
WERROR ?=
PG_CXXFLAGS = -std=c++17 -Wall -Wextra $(WERROR) -MMD -MP
SHLIB_LINK = $(shell curl-config --libs) $(shell xml2-config --libs) -lstdc++

EXTRA_CLEAN = $(OBJS:.o=.d) $(OBJS:.o=.bc)

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS compiles C++ a second time with clang for JIT bitcode, without PG_CXXFLAGS.
override BITCODE_CXXFLAGS += -std=c++17

# Every module goes through the shared shapes (src/sql/shared/) on its way into a script.
SQL_EXPAND = sed -f src/sql/shared/shapes.sed \
	-e '/^ *-- @include trust_check$$/{r src/sql/shared/trust_check.sql' -e 'd;}'
SQL_SHARED = src/sql/shared/shapes.sed src/sql/shared/trust_check.sql

$(EXTENSION)--$(EXTVERSION).sql: src/sql/header.sql $(foreach m,$(SQL_MODULES),src/sql/$(m).sql) $(SQL_SHARED)
	{ cat src/sql/header.sql; $(SQL_EXPAND) $(foreach m,$(SQL_MODULES),src/sql/$(m).sql); } > $@

UPGRADE_STEP = src/sql/upgrade/$(PREV_VERSION)--$(EXTVERSION)
$(EXTENSION)--$(PREV_VERSION)--$(EXTVERSION).sql: $(UPGRADE_STEP).head.sql src/sql/privileges-$(EXTVERSION).sql \
		$(foreach m,$(SQL_CODE),src/sql/$(m).sql) $(SQL_SHARED)
	{ $(SQL_EXPAND) $(UPGRADE_STEP).head.sql; \
	  $(SQL_EXPAND) -E -e 's/^CREATE (FUNCTION|PROCEDURE) /CREATE OR REPLACE \1 /' \
	    $(foreach m,$(SQL_CODE),src/sql/$(m).sql); \
	  $(SQL_EXPAND) src/sql/privileges-$(EXTVERSION).sql; } > $@

-include $(OBJS:.o=.d)
