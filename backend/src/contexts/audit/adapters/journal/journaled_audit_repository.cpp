// SPDX-License-Identifier: Apache-2.0
#include "contexts/audit/adapters/journal/journaled_audit_repository.hpp"

#include <boost/json.hpp>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <charconv>
#include <limits>

#include "core/error.hpp"
#include "platform/log/log.hpp"

namespace medisecure::audit {
namespace json = boost::json;

namespace {

constexpr std::size_t kIndexBatch = 20000;
// The indexer waits this long after the first new record, so that one transaction carries
// thousands of them; an audit query cuts the wait short (wait_indexed).
constexpr auto kIndexPause = std::chrono::milliseconds(250);

/// One journal line: a JSON object whose first member is "seq" (seq_prefix reads it unparsed).
/// Written directly: this runs for every audited request, on the thread that makes it durable.
void append_line(std::string& out, const AuditRecord& r) {
    auto text = [&out](std::string_view key, std::string_view value) {
        out += ",\"";
        out += key;
        out += "\":\"";
        log::json_escape(out, value);
        out += '"';
    };
    char digits[24];
    out += "{\"seq\":";
    out.append(digits, std::to_chars(digits, digits + sizeof digits, r.seq).ptr);
    out += ",\"at\":";
    out.append(digits, std::to_chars(digits, digits + sizeof digits, to_micros(r.at)).ptr);
    text("actor_id", r.actor_id);
    text("actor_role", r.actor_role);
    text("action", r.action);
    text("resource_type", r.resource_type);
    text("resource_id", r.resource_id);
    text("patient_id", r.patient_id);
    text("client_ip", r.client_ip);
    text("request_id", r.request_id);
    text("outcome", to_string(r.outcome));
    text("detail", r.detail);
    text("prev_hash", r.prev_hash);
    text("hash", r.hash);
    out += "}\n";
}

std::optional<AuditRecord> from_line(std::string_view line) {
    boost::system::error_code ec;
    auto v = json::parse(line, ec);
    if (ec || !v.is_object()) return std::nullopt;
    const auto& o = v.as_object();
    auto str = [&](const char* k) -> std::optional<std::string> {
        auto* f = o.if_contains(k);
        if (!f || !f->is_string()) return std::nullopt;
        return std::string(f->as_string());
    };
    auto num = [&](const char* k) -> std::optional<std::int64_t> {
        auto* f = o.if_contains(k);
        if (!f || !f->is_int64()) return std::nullopt;
        return f->as_int64();
    };
    AuditRecord r;
    auto seq = num("seq"), at = num("at");
    auto actor = str("actor_id"), role = str("actor_role"), action = str("action"), rtype = str("resource_type"),
         rid = str("resource_id"), pid = str("patient_id"), ip = str("client_ip"), req = str("request_id"),
         outcome = str("outcome"), detail = str("detail"), prev = str("prev_hash"), hash = str("hash");
    if (!seq || !at || !actor || !role || !action || !rtype || !rid || !pid || !ip || !req || !outcome || !detail ||
        !prev || !hash)
        return std::nullopt;
    auto oc = parse_outcome(*outcome);
    if (!oc) return std::nullopt;
    r.seq = *seq;
    r.at = from_micros(*at);
    r.actor_id = std::move(*actor);
    r.actor_role = std::move(*role);
    r.action = std::move(*action);
    r.resource_type = std::move(*rtype);
    r.resource_id = std::move(*rid);
    r.patient_id = std::move(*pid);
    r.client_ip = std::move(*ip);
    r.request_id = std::move(*req);
    r.outcome = *oc;
    r.detail = std::move(*detail);
    r.prev_hash = std::move(*prev);
    r.hash = std::move(*hash);
    return r;
}

/// The sequence number a journal line starts with (`{"seq":N,`), without parsing the rest.
std::optional<std::int64_t> seq_prefix(std::string_view line) {
    constexpr std::string_view kPrefix = "{\"seq\":";
    if (line.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
    std::int64_t v = 0;
    auto begin = line.data() + kPrefix.size(), stop = line.data() + line.size();
    auto [ptr, ec] = std::from_chars(begin, stop, v);
    if (ec != std::errc{} || ptr == begin || ptr == stop || *ptr != ',') return std::nullopt;
    return v;
}

[[noreturn]] void fail_errno(const std::string& what) {
    const std::string message = "audit journal: " + what + ": " + std::strerror(errno);
    if (errno == ENOSPC || errno == EDQUOT) throw StorageFull(message);
    throw std::runtime_error(message);
}

void sync_directory(const std::filesystem::path& dir) {
    int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d < 0) return;
    ::fsync(d);
    ::close(d);
}

std::string read_range(int fd, std::uintmax_t from, std::uintmax_t to) {
    std::string out(to - from, '\0');
    std::size_t done = 0;
    while (done < out.size()) {
        auto n = ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(from + done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail_errno("cannot read");
        if (n == 0) break;
        done += static_cast<std::size_t>(n);
    }
    out.resize(done);
    return out;
}

std::uintmax_t size_of(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) fail_errno("cannot stat");
    return static_cast<std::uintmax_t>(st.st_size);
}

}  // namespace

/// This process's mutex, then the exclusive lock every process takes on the lock file.
class JournaledAuditRepository::Locked {
public:
    explicit Locked(JournaledAuditRepository& j) : j_(j), lock_(j.file_mu_) {
        while (::flock(j_.lock_fd_, LOCK_EX) != 0)
            if (errno != EINTR) fail_errno("cannot lock " + j_.lock_path_.string());
    }
    ~Locked() { ::flock(j_.lock_fd_, LOCK_UN); }
    Locked(const Locked&) = delete;
    Locked& operator=(const Locked&) = delete;

private:
    JournaledAuditRepository& j_;
    std::lock_guard<std::mutex> lock_;
};

JournaledAuditRepository::JournaledAuditRepository(AuditRepository& index,
                                                   std::filesystem::path journal,
                                                   metrics::Registry& registry,
                                                   std::uintmax_t rotate_bytes,
                                                   std::size_t keep_records,
                                                   std::uintmax_t reserve_bytes)
    : index_(index), path_(std::move(journal)), lock_path_(path_.string() + ".lock"),
      rotate_bytes_(rotate_bytes), keep_records_(keep_records), reserve_bytes_(reserve_bytes),
      indexed_(registry.counter("medisecure_audit_records_indexed_total",
                                "Audit records copied from the journal into the indexed store")),
      index_failures_(registry.counter(
          "medisecure_audit_index_failures_total",
          "Failed attempts to copy journaled audit records into the indexed store")),
      torn_tails_(registry.counter("medisecure_audit_journal_torn_tails_total",
                                   "Incomplete last lines cut off the audit journal (writes a crash cut short, never acknowledged)")) {
    registry.gauge_fn("medisecure_audit_index_lag_records", "Durable audit records not yet in the indexed store", [this] {
        std::lock_guard lock(mu_);
        return static_cast<double>(std::max<std::int64_t>(0, durable_seq_ - indexed_seq_));
    });
}

JournaledAuditRepository::~JournaledAuditRepository() { close(); }

void JournaledAuditRepository::reopen_if_replaced() {
    struct stat st {};
    if (fd_ >= 0 && ::stat(path_.c_str(), &st) == 0 && static_cast<std::uint64_t>(st.st_ino) == inode_) return;
    if (fd_ >= 0) ::close(fd_);
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd_ < 0) fail_errno("cannot open " + path_.string());
    if (::fstat(fd_, &st) != 0) fail_errno("cannot stat " + path_.string());
    inode_ = static_cast<std::uint64_t>(st.st_ino);
    known_size_ = std::numeric_limits<std::uintmax_t>::max();
    indexed_offset_ = 0;
    reserved_to_ = 0;
    sync_directory(path_.parent_path());
}

void JournaledAuditRepository::keep_reserve() {
    if (reserve_bytes_ == 0 || reserve_unsupported_ || known_size_ + reserve_bytes_ / 2 < reserved_to_) return;
    if (::fallocate(fd_, FALLOC_FL_KEEP_SIZE, static_cast<off_t>(known_size_), static_cast<off_t>(reserve_bytes_)) == 0) {
        reserved_to_ = known_size_ + reserve_bytes_;
        if (reserve_failing_) log::info("audit.journal_reserve_restored", {{"bytes", static_cast<std::int64_t>(reserve_bytes_)}});
        reserve_failing_ = false;
        return;
    }
    if (errno == EOPNOTSUPP || errno == ENOSYS) {
        reserve_unsupported_ = true;  // a file system without fallocate: appends allocate as they go
        log::info("audit.journal_reserve_unsupported");
        return;
    }
    if (!reserve_failing_)
        log::warn("audit.journal_reserve_low", {{"error", std::strerror(errno)},
                                                {"reserved_bytes", static_cast<std::int64_t>(reserved_to_ > known_size_ ? reserved_to_ - known_size_ : 0)}});
    reserve_failing_ = true;
}

std::size_t JournaledAuditRepository::open(Seal seal, HeadMac head_mac) {
    seal_ = std::move(seal);
    head_mac_ = std::move(head_mac);
    lock_fd_ = ::open(lock_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock_fd_ < 0) fail_errno("cannot open " + lock_path_.string());
    {
        // A torn tail (a write a crash cut short) is cut off now, and said, rather than at the
        // first append.
        Locked l(*this);
        reopen_if_replaced();
        journal_head();
        keep_reserve();
    }
    std::size_t recovered = index_pass();
    if (recovered > 0) log::info("audit.journal_indexed", {{"records", recovered}});
    {
        std::lock_guard lock(mu_);
        stopping_ = false;
    }
    indexer_ = std::thread([this] {
        log::name_thread("ms-audit-index");
        run_indexer();
    });
    return recovered;
}

void JournaledAuditRepository::close() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (indexer_.joinable()) indexer_.join();
    indexed_cv_.notify_all();
    if (lock_fd_ >= 0) {
        // A clean stop leaves an empty journal when everything is indexed: the next start
        // has nothing to read.
        try {
            Locked l(*this);
            reopen_if_replaced();
            replace_if_indexed();
        } catch (const std::exception& e) {
            log::warn("audit.journal_not_replaced", {{"error", e.what()}});
        }
    }
    std::lock_guard lock(file_mu_);
    if (fd_ >= 0) ::close(fd_);
    if (lock_fd_ >= 0) ::close(lock_fd_);
    fd_ = lock_fd_ = -1;
}

ChainHead JournaledAuditRepository::journal_head() {
    auto size = size_of(fd_);
    if (size == known_size_) return known_tail_;
    // The last byte of a complete append is a newline; anything after the last newline is a
    // write a crash cut short, never acknowledged: cut it off.
    std::uintmax_t window = 16 * 1024;
    std::string tail;
    while (size > 0) {
        std::uintmax_t from = size > window ? size - window : 0;
        tail = read_range(fd_, from, size);
        auto last_nl = tail.rfind('\n');
        if (last_nl == std::string::npos && from > 0) {
            window *= 4;
            continue;
        }
        if (last_nl == std::string::npos || last_nl + 1 != tail.size()) {
            std::uintmax_t cut = last_nl == std::string::npos ? 0 : from + last_nl + 1;
            if (::ftruncate(fd_, static_cast<off_t>(cut)) != 0 || ::fdatasync(fd_) != 0)
                fail_errno("cannot cut the torn tail of " + path_.string());
            reserved_to_ = 0;  // a truncation frees what was allocated beyond the end
            torn_tails_.inc();
            log::warn("audit.journal_torn_tail", {{"bytes", static_cast<std::int64_t>(size - cut)},
                                                  {"kept_bytes", static_cast<std::int64_t>(cut)}});
            size = cut;
            tail.resize(last_nl == std::string::npos ? 0 : last_nl + 1);
            if (size == 0) break;
        }
        // The window must hold the whole last line.
        if (from == 0 || (tail.size() >= 2 && tail.rfind('\n', tail.size() - 2) != std::string::npos)) break;
        window *= 4;
    }
    ChainHead t;
    if (size == 0) {
        auto h = index_.head();
        t.seq = h ? h->seq : 0;
        t.hash = h && !h->hash.empty() ? h->hash : kGenesis;
    } else {
        auto end = tail.size() - 1;  // the final newline
        auto begin = tail.rfind('\n', end - 1);
        begin = begin == std::string::npos ? 0 : begin + 1;
        auto r = from_line(std::string_view(tail).substr(begin, end - begin));
        if (!r) throw std::runtime_error("audit journal: the last line of " + path_.string() + " is not a record");
        t.seq = r->seq;
        t.hash = r->hash;
        // The index may be ahead of a journal that lost its end (a disk that did not keep what
        // it had synced): the chain goes on from the index, never re-using its sequence numbers.
        if (auto h = index_.head(); h && h->seq > t.seq) {
            log::warn("audit.journal_behind_index", {{"journal_seq", t.seq}, {"index_seq", h->seq}});
            t.seq = h->seq;
            t.hash = h->hash;
        }
    }
    known_size_ = size;
    known_tail_ = t;
    return t;
}

void JournaledAuditRepository::append(std::vector<AuditRecord>& records, const Seal& seal, const HeadMac&) {
    if (records.empty()) return;
    if (lock_fd_ < 0) throw std::runtime_error("audit journal is not open");
    std::int64_t last = 0;
    {
        Locked l(*this);
        reopen_if_replaced();
        ChainHead t = journal_head();
        std::uintmax_t before = known_size_;
        std::string bytes;
        bytes.reserve(records.size() * 512);
        for (auto& r : records) {
            r.seq = ++t.seq;
            r.prev_hash = t.hash;
            r.hash = seal(r);
            t.hash = r.hash;
            append_line(bytes, r);
        }
        std::size_t done = 0;
        bool ok = true;
        while (ok && done < bytes.size()) {
            auto n = ::write(fd_, bytes.data() + done, bytes.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) ok = false;
            else done += static_cast<std::size_t>(n);
        }
        if (!ok || ::fdatasync(fd_) != 0) {
            int saved = errno;
            known_size_ = std::numeric_limits<std::uintmax_t>::max();
            reserved_to_ = 0;
            // A partial batch must not stay in front of later ones.
            if (::ftruncate(fd_, static_cast<off_t>(before)) != 0)
                log::error("audit.journal_cut_failed", {{"error", std::strerror(errno)}});
            errno = saved;
            fail_errno("cannot write " + path_.string());
        }
        known_size_ = before + bytes.size();
        known_tail_ = t;
        keep_reserve();
        last = t.seq;
        std::lock_guard lock(mu_);
        written_records_ += records.size();
        written_.push_back({inode_, before, known_size_, records});
        // Bounded while the index cannot keep up: what is dropped is read back from the file.
        while (written_records_ > keep_records_ && written_.size() > 1) {
            written_records_ -= written_.front().records.size();
            written_.pop_front();
        }
    }
    {
        std::lock_guard lock(mu_);
        durable_seq_ = std::max(durable_seq_, last);
        work_ = true;
    }
    cv_.notify_one();
}

void JournaledAuditRepository::append_sealed(const std::vector<AuditRecord>&, const HeadMac&) {
    throw std::logic_error("the journal seals its own records");
}

void JournaledAuditRepository::replace_if_indexed() {
    if (fd_ < 0 || size_of(fd_) != indexed_offset_ || indexed_offset_ == 0) return;
    auto fresh = path_;
    fresh += ".new";
    int f = ::open(fresh.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (f < 0) fail_errno("cannot create " + fresh.string());
    bool synced = ::fsync(f) == 0;
    ::close(f);
    if (!synced || ::rename(fresh.c_str(), path_.c_str()) != 0) fail_errno("cannot replace " + path_.string());
    sync_directory(path_.parent_path());
    reopen_if_replaced();
}

std::size_t JournaledAuditRepository::index_pass() {
    std::int64_t target;
    {
        std::lock_guard lock(mu_);
        target = durable_seq_;
    }
    std::string bytes;
    std::uintmax_t start, size;
    std::uint64_t inode;
    std::vector<AuditRecord> records;
    {
        Locked l(*this);
        reopen_if_replaced();
        size = size_of(fd_);
        if (size < indexed_offset_) indexed_offset_ = 0;
        start = indexed_offset_;
        inode = inode_;
        // The batches this process wrote, from memory (sealed here, not parsed or checked again),
        // as long as they continue exactly where the index stands in this file.
        std::lock_guard lock(mu_);
        while (!written_.empty() &&
               (written_.front().inode != inode || written_.front().end <= start)) {
            written_records_ -= written_.front().records.size();
            written_.pop_front();
        }
        while (!written_.empty() && written_.front().begin == start) {
            auto& w = written_.front();
            records.insert(records.end(), std::make_move_iterator(w.records.begin()),
                           std::make_move_iterator(w.records.end()));
            start = w.end;
            written_records_ -= w.records.size();
            written_.pop_front();
        }
        // The rest (another process's appends, or what memory no longer holds) from the file.
        bytes = read_range(fd_, start, size);
    }
    // Complete lines only: a line without its newline is being written, or was torn. Lines
    // the index already holds are recognised by their sequence number and skipped unparsed.
    std::int64_t indexed_head = 0;
    if (!bytes.empty() && records.empty())
        if (auto h = index_.head()) indexed_head = h->seq;
    std::size_t pos = 0;
    for (;;) {
        auto nl = bytes.find('\n', pos);
        if (nl == std::string::npos) break;
        if (records.empty()) {
            if (auto seq = seq_prefix(std::string_view(bytes).substr(pos, nl - pos)); seq && *seq <= indexed_head) {
                pos = nl + 1;
                continue;
            }
        }
        auto r = from_line(std::string_view(bytes).substr(pos, nl - pos));
        bool valid = r && seal_(*r) == r->hash;
        if (valid && !records.empty())
            valid = r->seq == records.back().seq + 1 && r->prev_hash == records.back().hash;
        if (!valid)
            throw std::runtime_error("audit journal " + path_.string() + ": the line at byte " +
                                     std::to_string(start + pos) +
                                     " is not a valid continuation of the chain; set the journal aside and "
                                     "run `medisecure audit verify`");
        records.push_back(std::move(*r));
        pos = nl + 1;
    }
    std::uintmax_t end = start + pos;
    if (!records.empty()) {
        for (std::size_t i = 0; i < records.size(); i += kIndexBatch) {
            std::vector<AuditRecord> chunk(records.begin() + static_cast<std::ptrdiff_t>(i),
                                           records.begin() + static_cast<std::ptrdiff_t>(std::min(records.size(), i + kIndexBatch)));
            index_.append_sealed(chunk, head_mac_);
        }
        indexed_.inc(records.size());
    }
    {
        Locked l(*this);
        reopen_if_replaced();
        if (inode_ == inode) {
            indexed_offset_ = end;
            // Everything written so far is indexed: start an empty journal when it has grown.
            if (end > rotate_bytes_) replace_if_indexed();
        }
    }
    {
        std::lock_guard lock(mu_);
        std::int64_t reached = records.empty() ? target : std::max(target, records.back().seq);
        indexed_seq_ = std::max(indexed_seq_, reached);
        if (index_failing_) log::info("audit.index_recovered");
        index_failing_ = false;
    }
    indexed_cv_.notify_all();
    return records.size();
}

void JournaledAuditRepository::run_indexer() {
    for (;;) {
        bool stop;
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [&] { return stopping_ || work_; });
            // The pause gathers records: the pages each one touches (the table's last leaf, the
            // newest range of each index, the head row) are then written once for thousands.
            cv_.wait_for(lock, kIndexPause, [&] { return stopping_ || hurry_; });
            stop = stopping_;
            work_ = false;
            hurry_ = false;
        }
        try {
            index_pass();
        } catch (const std::exception& e) {
            index_failures_.inc();
            {
                std::lock_guard lock(mu_);
                if (!index_failing_) log::error("audit.index_failed", {{"error", e.what()}});
                index_failing_ = true;
                work_ = true;  // the journal still holds the records: try again
            }
            if (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        if (stop) return;  // the next start indexes whatever a failure left behind
    }
}

bool JournaledAuditRepository::wait_indexed(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    auto target = durable_seq_;
    if (indexed_seq_ >= target) return true;
    work_ = true;
    hurry_ = true;
    cv_.notify_one();
    return indexed_cv_.wait_for(lock, timeout, [&] { return indexed_seq_ >= target || stopping_; }) &&
           indexed_seq_ >= target;
}

std::vector<AuditRecord> JournaledAuditRepository::search(const AuditFilter& f) {
    if (!wait_indexed()) log::warn("audit.index_behind", {{"operation", "search"}});
    return index_.search(f);
}

void JournaledAuditRepository::scan(const std::function<void(std::vector<AuditRecord>&)>& chunk) {
    if (!wait_indexed()) log::warn("audit.index_behind", {{"operation", "scan"}});
    index_.scan(chunk);
}

std::optional<ChainHead> JournaledAuditRepository::head() {
    if (!wait_indexed()) log::warn("audit.index_behind", {{"operation", "head"}});
    return index_.head();
}

bool JournaledAuditRepository::ping() {
    {
        std::lock_guard lock(mu_);
        if (index_failing_) return false;
    }
    // Records are made durable in the journal first: it must be writable where the writer will
    // open it (a full or lost volume, a path that is no longer a file, fails here).
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    ::close(fd);
    return index_.ping();
}

}  // namespace medisecure::audit
