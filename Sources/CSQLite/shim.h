#ifndef FIELDNOTE_CSQLITE_SHIM_H
#define FIELDNOTE_CSQLITE_SHIM_H

#include <sqlite3.h>

/* Swift cannot call C's variadic functions; each static inline below stands in for one call. */

/* sqlite3_config(SQLITE_CONFIG_MEMSTATUS, enabled): whether SQLite counts the memory it holds.
   Returns SQLITE_MISUSE once the library is initialised (the first connection opened). */
static inline int fieldnote_sqlite3_config_memstatus(int enabled) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, enabled);
}

#endif
