// SPDX-License-Identifier: Apache-2.0
#include "platform/db/batched_wal.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <sqlite3.h>
#include <stdexcept>

#include "platform/http/url.hpp"
#include "platform/log/log.hpp"

namespace medisecure::db {
namespace {

constexpr const char* kVfsName = "medisecure-batched-wal";
// What is held before it is written anyway: bounds each log's buffer (it keeps its capacity).
constexpr std::size_t kHoldLimit = std::size_t{256} << 10;
// The unix VFS writes at most 128 KiB - 1 bytes per call (it masks larger counts and reports a
// short write as a full disk), so held bytes go out in pieces of 124 KiB.
constexpr std::size_t kPiece = std::size_t{124} << 10;

sqlite3_vfs g_vfs;
sqlite3_vfs* g_base = nullptr;
std::atomic<std::uint64_t> g_gathered{0};
std::atomic<std::uint64_t> g_written{0};

/// A log opened through the VFS: the pending bytes and where they go, then (after the padding
/// to `kRealOffset`) the base VFS's own file object.
struct WalFile {
    sqlite3_file base;
    sqlite3_file* real;
    std::string* pending;
    sqlite3_int64 start;
};
constexpr int kRealOffset = static_cast<int>((sizeof(WalFile) + 15) / 16 * 16);

WalFile* self(sqlite3_file* f) {
    return reinterpret_cast<WalFile*>(f);
}

int flush(WalFile* f) {
    const std::string& held = *f->pending;
    int rc = SQLITE_OK;
    for (std::size_t at = 0; at < held.size() && rc == SQLITE_OK; at += kPiece) {
        auto n = std::min(kPiece, held.size() - at);
        rc = f->real->pMethods->xWrite(f->real, held.data() + at, static_cast<int>(n),
                                       f->start + static_cast<sqlite3_int64>(at));
        g_written.fetch_add(1, std::memory_order_relaxed);
    }
    f->pending->clear();
    return rc;
}

int wal_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
    auto* f = self(file);
    g_gathered.fetch_add(1, std::memory_order_relaxed);
    auto& pending = *f->pending;
    if (pending.empty() || offset != f->start + static_cast<sqlite3_int64>(pending.size())) {
        if (int rc = flush(f); rc != SQLITE_OK) return rc;
        f->start = offset;
    }
    pending.append(static_cast<const char*>(data), static_cast<std::size_t>(amount));
    return pending.size() >= kHoldLimit ? flush(f) : SQLITE_OK;
}

int wal_close(sqlite3_file* file) {
    auto* f = self(file);
    int rc = flush(f);
    int closed = f->real->pMethods->xClose(f->real);
    delete f->pending;
    f->pending = nullptr;
    return rc != SQLITE_OK ? rc : closed;
}

int wal_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
    auto* f = self(file);
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
    return f->real->pMethods->xRead(f->real, out, amount, offset);
}

int wal_truncate(sqlite3_file* file, sqlite3_int64 size) {
    auto* f = self(file);
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
    return f->real->pMethods->xTruncate(f->real, size);
}

int wal_sync(sqlite3_file* file, int flags) {
    auto* f = self(file);
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
    return f->real->pMethods->xSync(f->real, flags);
}

int wal_file_size(sqlite3_file* file, sqlite3_int64* size) {
    auto* f = self(file);
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
    return f->real->pMethods->xFileSize(f->real, size);
}

int wal_lock(sqlite3_file* file, int level) {
    return self(file)->real->pMethods->xLock(self(file)->real, level);
}
int wal_unlock(sqlite3_file* file, int level) {
    return self(file)->real->pMethods->xUnlock(self(file)->real, level);
}
int wal_check_reserved(sqlite3_file* file, int* out) {
    return self(file)->real->pMethods->xCheckReservedLock(self(file)->real, out);
}
int wal_file_control(sqlite3_file* file, int op, void* arg) {
    auto* f = self(file);
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
    return f->real->pMethods->xFileControl(f->real, op, arg);
}
int wal_sector_size(sqlite3_file* file) {
    return self(file)->real->pMethods->xSectorSize(self(file)->real);
}
int wal_device(sqlite3_file* file) {
    return self(file)->real->pMethods->xDeviceCharacteristics(self(file)->real);
}

// Version 1: SQLite maps and shares memory through the database file, never through its log.
const sqlite3_io_methods kWalMethods = {
    .iVersion = 1,
    .xClose = wal_close,
    .xRead = wal_read,
    .xWrite = wal_write,
    .xTruncate = wal_truncate,
    .xSync = wal_sync,
    .xFileSize = wal_file_size,
    .xLock = wal_lock,
    .xUnlock = wal_unlock,
    .xCheckReservedLock = wal_check_reserved,
    .xFileControl = wal_file_control,
    .xSectorSize = wal_sector_size,
    .xDeviceCharacteristics = wal_device,
    .xShmMap = nullptr,
    .xShmLock = nullptr,
    .xShmBarrier = nullptr,
    .xShmUnmap = nullptr,
    .xFetch = nullptr,
    .xUnfetch = nullptr,
};

int vfs_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
    if (!(flags & SQLITE_OPEN_WAL)) return g_base->xOpen(g_base, name, file, flags, out_flags);
    auto* f = self(file);
    f->base.pMethods = nullptr;
    f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kRealOffset);
    f->real->pMethods = nullptr;
    int rc = g_base->xOpen(g_base, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        if (f->real->pMethods) f->real->pMethods->xClose(f->real);
        return rc;
    }
    f->pending = new (std::nothrow) std::string;
    if (!f->pending) {
        f->real->pMethods->xClose(f->real);
        return SQLITE_NOMEM;
    }
    f->start = 0;
    f->base.pMethods = &kWalMethods;
    return SQLITE_OK;
}

// Everything but opening goes to the base VFS, called as itself.
int vfs_delete(sqlite3_vfs*, const char* name, int sync_dir) {
    return g_base->xDelete(g_base, name, sync_dir);
}
int vfs_access(sqlite3_vfs*, const char* name, int flags, int* out) {
    return g_base->xAccess(g_base, name, flags, out);
}
int vfs_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
    return g_base->xFullPathname(g_base, name, n, out);
}
void* vfs_dl_open(sqlite3_vfs*, const char* name) {
    return g_base->xDlOpen(g_base, name);
}
void vfs_dl_error(sqlite3_vfs*, int n, char* out) {
    g_base->xDlError(g_base, n, out);
}
void (*vfs_dl_sym(sqlite3_vfs*, void* lib, const char* sym))(void) {
    return g_base->xDlSym(g_base, lib, sym);
}
void vfs_dl_close(sqlite3_vfs*, void* lib) {
    g_base->xDlClose(g_base, lib);
}
int vfs_randomness(sqlite3_vfs*, int n, char* out) {
    return g_base->xRandomness(g_base, n, out);
}
int vfs_sleep(sqlite3_vfs*, int micros) {
    return g_base->xSleep(g_base, micros);
}
int vfs_current_time(sqlite3_vfs*, double* out) {
    return g_base->xCurrentTime(g_base, out);
}
int vfs_last_error(sqlite3_vfs*, int n, char* out) {
    return g_base->xGetLastError(g_base, n, out);
}
int vfs_current_time64(sqlite3_vfs*, sqlite3_int64* out) {
    return g_base->xCurrentTimeInt64(g_base, out);
}

void register_vfs() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (sqlite3_initialize() != SQLITE_OK)
            throw std::runtime_error("sqlite: initialisation failed");
        g_base = sqlite3_vfs_find(nullptr);
        if (!g_base || g_base->iVersion < 2)
            throw std::runtime_error("sqlite: no default VFS of version 2 or later");
        std::memset(&g_vfs, 0, sizeof g_vfs);
        g_vfs.iVersion = 2;
        g_vfs.szOsFile = kRealOffset + g_base->szOsFile;
        g_vfs.mxPathname = g_base->mxPathname;
        g_vfs.zName = kVfsName;
        g_vfs.xOpen = vfs_open;
        g_vfs.xDelete = vfs_delete;
        g_vfs.xAccess = vfs_access;
        g_vfs.xFullPathname = vfs_full_pathname;
        g_vfs.xDlOpen = vfs_dl_open;
        g_vfs.xDlError = vfs_dl_error;
        g_vfs.xDlSym = vfs_dl_sym;
        g_vfs.xDlClose = vfs_dl_close;
        g_vfs.xRandomness = vfs_randomness;
        g_vfs.xSleep = vfs_sleep;
        g_vfs.xCurrentTime = vfs_current_time;
        g_vfs.xGetLastError = vfs_last_error;
        g_vfs.xCurrentTimeInt64 = vfs_current_time64;
        if (sqlite3_vfs_register(&g_vfs, 0) != SQLITE_OK)
            throw std::runtime_error("sqlite: VFS registration failed");
    });
}

/// Before the library's first use: no global memory statistics (each allocation of every
/// connection took one process-wide mutex for them), and one mutex fewer per call on a
/// connection ("multi-thread" mode): a connection and its statements are only ever used by one
/// thread at a time, the writer's by its thread and each pooled one by the holder of its lease.
/// Too late once the library is initialised (a connection opened first elsewhere): the library
/// then keeps its defaults, which are correct too.
/// SQLite's own word on what it recovered at open after a crash ("recovered N frames from WAL
/// file …": what a write-ahead log held that was committed; anything after it was dropped), on
/// what it found damaged and on what it warns of; its other errors are answered to the caller.
void sqlite_log(void*, int code, const char* message) {
    if (code == SQLITE_NOTICE_RECOVER_WAL && message) {
        // "recovered N frames from WAL file PATH": the log still has its size from before the
        // recovery, so what follows the last committed frame can be said in bytes (frames of an
        // uncommitted or torn transaction, dropped, or stale ones of an earlier generation).
        unsigned long frames = 0;
        int used = 0;
        if (std::sscanf(message, "recovered %lu frames from WAL file %n", &frames, &used) == 1 && used > 0) {
            const std::string wal = message + used;
            std::error_code ec;
            const auto size = std::filesystem::file_size(wal, ec);
            unsigned char header[32];
            std::uint64_t page = 0;
            if (std::FILE* f = ec ? nullptr : std::fopen(wal.c_str(), "rb")) {
                if (std::fread(header, 1, sizeof header, f) == sizeof header)
                    page = (std::uint64_t{header[8]} << 24) | (header[9] << 16) | (header[10] << 8) | header[11];
                std::fclose(f);
            }
            const std::uint64_t kept = 32 + frames * (page + 24);
            log::warn("sqlite.wal_recovered", {{"file", wal}, {"frames", static_cast<std::int64_t>(frames)},
                                               {"bytes_not_recovered", static_cast<std::int64_t>(page && size > kept ? size - kept : 0)}});
            return;
        }
    }
    if (code == SQLITE_WARNING_AUTOINDEX) {  // a query planner's note, at every such statement
        log::debug("sqlite.autoindex", {{"message", message ? message : ""}});
        return;
    }
    switch (code & 0xff) {
    case SQLITE_NOTICE: log::warn("sqlite.notice", {{"code", code}, {"message", message ? message : ""}}); break;
    case SQLITE_WARNING: log::warn("sqlite.warning", {{"code", code}, {"message", message ? message : ""}}); break;
    case SQLITE_CORRUPT: log::error("sqlite.corrupt", {{"code", code}, {"message", message ? message : ""}}); break;
    default: break;
    }
}

void configure_library() {
    static std::once_flag once;
    std::call_once(once, [] {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
        sqlite3_config(SQLITE_CONFIG_LOG, sqlite_log, nullptr);
    });
}

}  // namespace

std::string sqlite_uri(const std::string& path, bool batched_wal) {
    configure_library();
    // file:///absolute/path, each segment percent-encoded (SQLite decodes them).
    std::string out = "file://";
    for (const auto& part : std::filesystem::absolute(path).lexically_normal().relative_path())
        out += "/" + http::percent_encode(part.string());
    if (!batched_wal) return out;
    register_vfs();
    return out + "?vfs=" + kVfsName;
}

BatchedWalCounts batched_wal_counts() {
    return {g_gathered.load(std::memory_order_relaxed), g_written.load(std::memory_order_relaxed)};
}

}  // namespace medisecure::db
