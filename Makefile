# PGXS build of the spojscore module. `make && make install`, then see README for tests.
# VPATH-safe: `make -f SRC/Makefile` in another directory (pg_buildext build build-%v) reads
# every source from $(srcdir) and writes objects and built scripts where it runs.
EXTENSION = spojscore
MODULE_big = spojscore
EXTVERSION = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" $(srcdir)/$(EXTENSION).control)

# Released scripts are committed and never edited. The scripts of the version under
# development are built: its install script from src/sql/header.sql and the modules (in this order:
# later modules use earlier ones), its upgrade step from a hand-written head (state changes),
# the code modules re-created with CREATE OR REPLACE, the new objects' privileges and a
# hand-written tail (what must follow them, e.g. privileges carried over to a re-created object)
# (docs/releasing.md).
SQL_MODULES = guard scoring tables refresh users scheduling status privileges privileges-0.2.0
SQL_CODE = guard scoring refresh users scheduling status
PREV_VERSION = 0.1.0
DATA = $(EXTENSION)--0.1.0.sql
DATA_built = $(EXTENSION)--$(EXTVERSION).sql $(EXTENSION)--$(PREV_VERSION)--$(EXTVERSION).sql
# Recursive (=): $(srcdir) is set by PGXS, before Makefile.shlib reads $(OBJS).
OBJS = $(patsubst $(srcdir)/%.cpp,%.o,$(wildcard $(srcdir)/src/core/*.cpp $(srcdir)/src/pg/*.cpp))

REGRESS = install score boundary parse_list refresh load_pages privileges users hostile
# test/with-spojfix starts the loopback fault server for the tests that read SPOJFIX_URL
# when none is given, and refuses any SPOJFIX_URL that is not loopback.
REGRESS_OPTS = --load-extension=plpgsql --launcher=$(abspath $(srcdir))/test/with-spojfix
ISOLATION = refresh_visibility refresh_no_strong_lock refresh_overlap refresh_row_lock refresh_lock_no_grant

PG_CONFIG ?= pg_config
# -isystem: PostgreSQL's own headers are not -Wextra clean in C++ (-Wregister etc.).
PG_CPPFLAGS = -I$(srcdir)/src -isystem $(shell $(PG_CONFIG) --includedir-server) \
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

# Object directories of a separate build directory.
ifneq ($(abspath $(srcdir)),$(CURDIR))
$(shell mkdir -p src/core src/pg)
endif

# Every module goes through the shared shapes (src/sql/shared/) on its way into a script.
SQL_DIR = $(srcdir)/src/sql
SQL_EXPAND = sed -f $(SQL_DIR)/shared/shapes.sed \
	-e '/^ *-- @include trust_check$$/{r $(SQL_DIR)/shared/trust_check.sql' -e 'd;}'
SQL_SHARED = $(SQL_DIR)/shared/shapes.sed $(SQL_DIR)/shared/trust_check.sql

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_DIR)/header.sql $(foreach m,$(SQL_MODULES),$(SQL_DIR)/$(m).sql) $(SQL_SHARED)
	{ cat $(SQL_DIR)/header.sql; $(SQL_EXPAND) $(foreach m,$(SQL_MODULES),$(SQL_DIR)/$(m).sql); } > $@

UPGRADE_STEP = $(SQL_DIR)/upgrade/$(PREV_VERSION)--$(EXTVERSION)
$(EXTENSION)--$(PREV_VERSION)--$(EXTVERSION).sql: $(UPGRADE_STEP).head.sql $(UPGRADE_STEP).tail.sql \
		$(SQL_DIR)/privileges-$(EXTVERSION).sql \
		$(foreach m,$(SQL_CODE),$(SQL_DIR)/$(m).sql) $(SQL_SHARED)
	{ $(SQL_EXPAND) $(UPGRADE_STEP).head.sql; \
	  $(SQL_EXPAND) -E -e 's/^CREATE (FUNCTION|PROCEDURE) /CREATE OR REPLACE \1 /' \
	    $(foreach m,$(SQL_CODE),$(SQL_DIR)/$(m).sql); \
	  $(SQL_EXPAND) $(SQL_DIR)/privileges-$(EXTVERSION).sql $(UPGRADE_STEP).tail.sql; } > $@

-include $(OBJS:.o=.d)
