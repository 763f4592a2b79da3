// Included last by every src/core .cpp file (not by headers, which src/pg includes
// after postgres.h): core must stay free of PostgreSQL so that it can throw, allocate
// and be unit-tested without a server. CMake also builds core without PG's include path.
#pragma once
#if defined(POSTGRES_H) || defined(PG_CONFIG_H)
static_assert(false, "src/core must not include PostgreSQL headers");
#endif
