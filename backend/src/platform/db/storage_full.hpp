// SPDX-License-Identifier: Apache-2.0
// Whether a failed database call failed because the engine's disk is full: SQLite's SQLITE_FULL,
// PostgreSQL's disk_full (53100), MariaDB's full table or disk, or a StorageFull thrown by our own
// files. Such a write is answered 507; reads go on.
#pragma once

#include <exception>

namespace medisecure::db {

bool is_storage_full(std::exception_ptr e);

}  // namespace medisecure::db
