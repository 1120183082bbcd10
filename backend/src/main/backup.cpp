// SPDX-License-Identifier: Apache-2.0
// The archive: a libsodium secretstream (crypto::StreamEncryptor) over a plain sequence of
//   "medisecure-backup 1 <created> <version>\n"
//   "entry <size> <name>\n" <size bytes>            (one per file)
//   "manifest <size>\n" "<sha256> <size> <name>\n"…  (every entry's sum)
//   "end\n"
// Nothing is held in memory beyond a buffer: databases are snapshotted to a scratch directory
// next to the output, then streamed.
#include "main/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "core/clock.hpp"
#include "core/time.hpp"
#include "platform/crypto/digest.hpp"
#include "platform/crypto/file_cipher.hpp"

#ifndef MEDISECURE_VERSION
#define MEDISECURE_VERSION "0.0.0"
#endif

namespace fs = std::filesystem;

namespace medisecure::backup {

namespace {

constexpr std::size_t kBuffer = 256 * 1024;
constexpr const char* kFormat = "medisecure-backup 1";

/// The SQLite file of a context on the embedded default; empty for a server engine.
std::string sqlite_path(const config::Config& c, const std::string& ctx) {
    const std::string url = c.database_url(ctx);
    if (url.rfind("sqlite:", 0) != 0) return {};
    std::string path = url.substr(7);
    if (path.empty() || path == ":memory:") return {};
    return path;
}

/// One consistent copy of a live database: a single backup step reads one snapshot (WAL
/// readers never block the server's writers); a busy source is retried, bounded.
void snapshot_sqlite(const std::string& src, const std::string& dst) {
    sqlite3* s = nullptr;
    sqlite3* d = nullptr;
    auto fail = [&](const std::string& what) {
        std::string msg = what + ": " + (s ? sqlite3_errmsg(s) : "") + (d ? std::string(" / ") + sqlite3_errmsg(d) : "");
        if (s) sqlite3_close(s);
        if (d) sqlite3_close(d);
        throw std::runtime_error(msg);
    };
    if (sqlite3_open_v2(src.c_str(), &s, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) fail("cannot open " + src);
    sqlite3_busy_timeout(s, 30000);
    if (sqlite3_open_v2(dst.c_str(), &d, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
        fail("cannot create " + dst);
    sqlite3_backup* b = sqlite3_backup_init(d, "main", s, "main");
    if (!b) fail("cannot back up " + src);
    int rc = SQLITE_OK;
    for (int attempt = 0; attempt < 600; ++attempt) {
        rc = sqlite3_backup_step(b, -1);
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
        sqlite3_sleep(50);
    }
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) fail("backup of " + src + " did not complete (" + sqlite3_errstr(rc) + ")");
    sqlite3_close(s);
    s = nullptr;
    if (sqlite3_close(d) != SQLITE_OK) fail("cannot close " + dst);
}

/// The audit appenders' lock (JournaledAuditRepository): held, no process appends to the
/// journal or replaces it, so the audit database and the journal are read as one state.
class JournalLock {
public:
    explicit JournalLock(const fs::path& lock_path) {
        fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd_ < 0) throw std::runtime_error("cannot open " + lock_path.string());
        while (::flock(fd_, LOCK_EX) != 0)
            if (errno != EINTR) throw std::runtime_error("cannot lock " + lock_path.string());
    }
    ~JournalLock() {
        ::flock(fd_, LOCK_UN);
        ::close(fd_);
    }
    JournalLock(const JournalLock&) = delete;
    JournalLock& operator=(const JournalLock&) = delete;

private:
    int fd_ = -1;
};

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

/// Entry names are relative paths without "..": an archive never writes outside its directory.
bool safe_name(const std::string& name) {
    if (name.empty() || name.front() == '/' || name.find('\n') != std::string::npos) return false;
    for (const auto& part : fs::path(name)) {
        if (part.string() == ".." || part.string() == ".") return false;
    }
    return true;
}

struct Source {
    std::string name;  // in the archive, and relative to the data directory on restore
    fs::path path;
    bool optional = false;  // may vanish before it is read (a blob deleted meanwhile)
};

class ArchiveWriter {
public:
    ArchiveWriter(const std::string& key, std::ofstream& out)
        : out_(out), enc_(key, [this](const char* p, std::size_t n) {
              out_.write(p, static_cast<std::streamsize>(n));
              if (!out_) throw std::runtime_error("cannot write the archive");
              written_ += n;
          }) {}

    void line(const std::string& s) { enc_.write(s.data(), s.size()); }

    /// Streams a file as an entry; false when an optional file has gone.
    bool entry(const Source& src, const std::function<void(std::uint64_t)>& advance) {
        std::ifstream in(src.path, std::ios::binary);
        std::error_code ec;
        auto size = fs::file_size(src.path, ec);
        if (!in || ec) {
            if (src.optional) return false;
            throw std::runtime_error("cannot read " + src.path.string());
        }
        line("entry " + std::to_string(size) + " " + src.name + "\n");
        crypto::Sha256 sum;
        std::vector<char> buf(kBuffer);
        std::uint64_t left = size;
        while (left > 0) {
            in.read(buf.data(), static_cast<std::streamsize>(std::min<std::uint64_t>(left, buf.size())));
            auto n = static_cast<std::size_t>(in.gcount());
            if (n == 0) throw std::runtime_error(src.path.string() + " changed while it was read");
            sum.update(buf.data(), n);
            enc_.write(buf.data(), n);
            content_ += n;
            left -= n;
            advance(n);
        }
        manifest_ << sum.hex_digest() << " " << size << " " << src.name << "\n";
        ++entries_;
        return true;
    }

    void finish() {
        const std::string m = manifest_.str();
        line("manifest " + std::to_string(m.size()) + "\n");
        line(m);
        line("end\n");
        enc_.finish();
    }
    std::size_t entries() const { return entries_; }
    std::uint64_t content() const { return content_; }
    std::uint64_t written() const { return written_; }

private:
    std::ofstream& out_;
    std::uint64_t written_ = 0;
    crypto::StreamEncryptor enc_;
    std::ostringstream manifest_;
    std::size_t entries_ = 0;
    std::uint64_t content_ = 0;
};

/// Reads the decrypted stream: lines and exact byte counts.
class ArchiveReader {
public:
    explicit ArchiveReader(crypto::StreamDecryptor& dec) : dec_(dec), buf_(kBuffer) {}

    std::string line() {
        std::string s;
        for (;;) {
            if (pos_ == len_ && !refill()) throw std::runtime_error("the archive ends early");
            char ch = buf_[pos_++];
            if (ch == '\n') return s;
            s.push_back(ch);
            if (s.size() > 4096) throw std::runtime_error("the archive is not a MediSecure backup");
        }
    }
    /// Hands `n` bytes to `sink` in pieces.
    void bytes(std::uint64_t n, const std::function<void(const char*, std::size_t)>& sink) {
        while (n > 0) {
            if (pos_ == len_ && !refill()) throw std::runtime_error("the archive ends early");
            auto take = static_cast<std::size_t>(std::min<std::uint64_t>(n, len_ - pos_));
            sink(buf_.data() + pos_, take);
            pos_ += take;
            n -= take;
        }
    }
    bool at_end() { return pos_ == len_ && !refill(); }

private:
    bool refill() {
        len_ = dec_.read(buf_.data(), buf_.size());
        pos_ = 0;
        return len_ > 0;
    }
    crypto::StreamDecryptor& dec_;
    std::vector<char> buf_;
    std::size_t pos_ = 0, len_ = 0;
};

/// "<word> <number> <rest>": the rest may hold spaces.
bool parse_header(const std::string& line, const std::string& word, std::uint64_t& size, std::string& rest) {
    if (line.rfind(word + " ", 0) != 0) return false;
    std::istringstream in(line.substr(word.size() + 1));
    if (!(in >> size)) return false;
    std::getline(in, rest);
    if (!rest.empty() && rest.front() == ' ') rest.erase(0, 1);
    return true;
}

/// The entry for a context's database, as it lies in a data directory.
std::string database_entry(const std::string& ctx) { return ctx + ".db"; }

}  // namespace

std::string archive_key(const std::string& master_key) {
    return crypto::derive_key(master_key, "medisecure backup archive v1");
}

BackupReport write_archive(const config::Config& c, const std::string& output, const Progress& progress) {
    BackupReport report;
    const fs::path data_dir = fs::absolute(c.data_dir).lexically_normal();
    if (!fs::is_directory(data_dir)) throw std::runtime_error("no data directory at " + data_dir.string());
    const fs::path out_path = fs::absolute(output).lexically_normal();
    const fs::path part = out_path.string() + ".part";
    const fs::path scratch = out_path.string() + ".snapshots";
    fs::remove_all(scratch);
    fs::create_directories(scratch);
    ::chmod(scratch.c_str(), 0700);
    struct Cleanup {
        fs::path a, b;
        ~Cleanup() {
            std::error_code ec;
            fs::remove_all(a, ec);
            fs::remove(b, ec);
        }
    } cleanup{scratch, part};

    std::vector<Source> sources;
    std::vector<fs::path> skip;  // what the entries below already cover
    std::uint64_t total = 0;
    auto add = [&](Source s) {
        std::error_code ec;
        auto n = fs::file_size(s.path, ec);
        if (!ec) total += n;
        sources.push_back(std::move(s));
    };
    // Every database but the audit's first; the audit last, so that its trail covers what the
    // other snapshots hold.
    std::vector<std::string> contexts;
    for (const auto& ctx : config::database_contexts()) {
        const auto path = sqlite_path(c, ctx);
        if (path.empty()) {
            report.not_included.push_back("database." + ctx + " (a server: back it up with its own tools)");
            continue;
        }
        if (!fs::exists(path)) continue;  // never opened yet
        skip.push_back(fs::absolute(path).lexically_normal());
        if (ctx != "audit") contexts.push_back(ctx);
    }
    for (const auto& ctx : contexts) {
        const auto snap = scratch / database_entry(ctx);
        snapshot_sqlite(sqlite_path(c, ctx), snap.string());
        add({database_entry(ctx), snap});
        ++report.databases;
    }
    const auto audit_db = sqlite_path(c, "audit");
    const fs::path journal = data_dir / "audit.journal";
    if (!audit_db.empty() && fs::exists(audit_db)) {
        JournalLock held(data_dir / "audit.journal.lock");
        const auto snap = scratch / database_entry("audit");
        snapshot_sqlite(audit_db, snap.string());
        add({database_entry("audit"), snap});
        ++report.databases;
        if (fs::exists(journal)) {
            fs::copy_file(journal, scratch / "audit.journal", fs::copy_options::overwrite_existing);
            add({"audit.journal", scratch / "audit.journal"});
        }
    }
    if (!c.blob_url.empty()) report.not_included.push_back("documents.blob_url (an object store: mirror it with its own tools)");

    // Everything else the data directory holds (blobs, finished exports and reports that jobs
    // in notifications.db point to, development secrets, demo credentials), but not: the
    // databases' own files and their WAL/journals (snapshotted above), the audit journal and its
    // lock, files still being written (*.part), the request spool (tmp/), the development mail
    // sink (mail/: messages already "sent"), and this backup's own files.
    for (auto it = fs::recursive_directory_iterator(data_dir, fs::directory_options::skip_permission_denied);
         it != fs::recursive_directory_iterator(); ++it) {
        const fs::path p = it->path();
        const std::string rel = fs::relative(p, data_dir).generic_string();
        if (it->is_directory()) {
            if (rel == "mail" || rel == "tmp" || p == scratch) it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file()) continue;
        const std::string name = p.filename().string();
        bool covered = false;
        for (const auto& s : skip)
            for (const char* tail : {"", "-wal", "-shm", "-journal"})
                covered |= p == fs::path(s.string() + tail);
        if (covered || rel == "audit.journal" || rel == "audit.journal.lock" || rel == "audit.journal.new" ||
            ends_with(name, ".part") || p == out_path || p == part)
            continue;
        if (!safe_name(rel)) continue;
        add({rel, p, true});
    }

    std::ofstream out(part, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + part.string());
    ::chmod(part.c_str(), 0600);
    std::uint64_t done = 0;
    auto advance = [&](std::uint64_t n) {
        done += n;
        if (progress) progress(done, std::max(done, total));
    };
    {
        ArchiveWriter w(archive_key(c.master_key), out);
        w.line(std::string(kFormat) + " " + format_instant(SystemClock{}.now()) + " " + MEDISECURE_VERSION + "\n");
        for (const auto& s : sources) {
            w.entry(s, advance);
            // A snapshot is streamed once: free its space before the next is read.
            if (s.path.parent_path() == scratch) fs::remove(s.path);
        }
        w.finish();
        out.flush();
        if (!out) throw std::runtime_error("cannot write " + part.string());
        out.close();
        report.entries = w.entries();
        report.content_bytes = w.content();
        report.archive_bytes = w.written();
    }
    if (int fd = ::open(part.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
    fs::rename(part, out_path);
    if (progress) progress(total, total);
    return report;
}

ExtractReport extract_archive(const std::string& archive, const std::string& key, const std::string& dir,
                              const Progress& progress) {
    ExtractReport report;
    std::ifstream in(archive, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + archive);
    std::error_code ec;
    const std::uint64_t total = fs::file_size(archive, ec);
    std::uint64_t consumed = 0;
    crypto::StreamDecryptor dec(key, [&](char* p, std::size_t cap) -> std::size_t {
        in.read(p, static_cast<std::streamsize>(cap));
        auto n = static_cast<std::size_t>(in.gcount());
        consumed += n;
        if (progress) progress(consumed, std::max(consumed, total));
        return n;
    });
    ArchiveReader r(dec);
    if (r.line().rfind(std::string(kFormat) + " ", 0) != 0)
        throw std::runtime_error("not a MediSecure backup (or a newer format)");
    const fs::path root(dir);
    fs::create_directories(root);
    struct Seen {
        std::string sum;
        std::uint64_t size;
    };
    std::map<std::string, Seen> seen;
    std::string manifest;
    for (;;) {
        const std::string header = r.line();
        std::uint64_t size = 0;
        std::string name;
        if (parse_header(header, "entry", size, name)) {
            if (!safe_name(name) || seen.count(name)) throw std::runtime_error("the archive holds a bad entry name");
            const fs::path target = root / name;
            fs::create_directories(target.parent_path());
            std::ofstream f(target, std::ios::binary | std::ios::trunc);
            if (!f) throw std::runtime_error("cannot write " + target.string());
            crypto::Sha256 sum;
            r.bytes(size, [&](const char* p, std::size_t n) {
                sum.update(p, n);
                f.write(p, static_cast<std::streamsize>(n));
            });
            f.close();
            if (!f) throw std::runtime_error("cannot write " + target.string());
            ::chmod(target.c_str(), 0600);
            seen[name] = {sum.hex_digest(), size};
            report.content_bytes += size;
            ++report.entries;
            if (name.find('/') == std::string::npos && ends_with(name, ".db"))
                report.databases.push_back(name.substr(0, name.size() - 3));
            continue;
        }
        if (parse_header(header, "manifest", size, name)) {
            r.bytes(size, [&](const char* p, std::size_t n) { manifest.append(p, n); });
            if (r.line() != "end") throw std::runtime_error("the archive does not end as it should");
            break;
        }
        throw std::runtime_error("the archive is damaged (unexpected record)");
    }
    if (!r.at_end()) throw std::runtime_error("the archive has content after its end");
    // Readable by the service's user only, as the data directory it came from.
    ::chmod(root.c_str(), 0700);
    for (const auto& e : fs::recursive_directory_iterator(root))
        if (e.is_directory()) ::chmod(e.path().c_str(), 0700);

    std::istringstream lines(manifest);
    std::string line;
    std::size_t listed = 0;
    while (std::getline(lines, line)) {
        std::istringstream l(line);
        std::string sum, name;
        std::uint64_t size = 0;
        l >> sum >> size;
        std::getline(l, name);
        if (!name.empty() && name.front() == ' ') name.erase(0, 1);
        ++listed;
        auto it = seen.find(name);
        if (it == seen.end()) report.problems.push_back(name + ": listed in the manifest, missing from the archive");
        else if (it->second.sum != sum || it->second.size != size)
            report.problems.push_back(name + ": SHA-256 does not match the manifest");
    }
    if (listed != seen.size()) report.problems.push_back("the manifest does not list every entry");
    return report;
}

Progress terminal_progress(const std::string& label) {
    if (!::isatty(STDERR_FILENO)) return {};
    return [label, last = std::uint64_t(~0ull), ended = false](std::uint64_t done, std::uint64_t total) mutable {
        const std::uint64_t mib = done >> 20;
        if (ended || (mib == last && done != total)) return;  // redraw once per MiB
        ended = done == total;
        last = mib;
        const std::size_t width = 30;
        const auto filled = static_cast<std::size_t>(total ? done * width / total : width);
        std::cerr << "\r" << label << " [" << std::string(filled, '#') << std::string(width - filled, '.') << "] "
                  << mib << "/" << (total >> 20) << " MiB" << std::flush;
        if (ended) std::cerr << "\n";
    };
}

}  // namespace medisecure::backup
