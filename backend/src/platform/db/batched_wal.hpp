// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>

namespace medisecure::db {

/// A SQLite VFS, "medisecure-batched-wal": the system's default VFS, except that the writes to a
/// write-ahead log are gathered in memory while each one starts where the previous one ended,
/// and reach the file in one call per 124 KiB when SQLite syncs, reads, sizes, truncates or closes
/// the log (or when 256 KiB are held). SQLite writes each WAL frame in two calls, its 24-byte
/// header and then its page, so a commit of 60 pages otherwise costs 120 system calls before its
/// sync.
///
/// Only for connections that sync the log at every commit (synchronous=FULL or EXTRA): the sync
/// then comes before the commit is published to other connections, so nothing they may read is
/// still held in memory. Database's writer connections are such connections (and check it).
///
/// The URI that opens the SQLite database at `path` (made absolute; the characters that mean
/// something in a URI, spaces and quotes escaped), through this VFS when `batched_wal` (which
/// registers it the first time). The first call also sets the library up, before any connection
/// opens: no allocation statistics, and no mutex per connection ("multi-thread" mode), which
/// requires that a connection and its statements are used by one thread at a time.
std::string sqlite_uri(const std::string& path, bool batched_wal);

/// Counts since the start of the process, for tests and metrics: the writes SQLite made to logs
/// opened through the VFS, and the writes that reached the files.
struct BatchedWalCounts {
    std::uint64_t gathered = 0;
    std::uint64_t written = 0;
};
BatchedWalCounts batched_wal_counts();

}  // namespace medisecure::db
