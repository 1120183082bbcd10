// SPDX-License-Identifier: Apache-2.0
// The embedded audit store: an append-only journal file in front of the indexed SQL table.
//
// append() numbers, links and seals a batch after the chain's head, writes it to the journal
// (one JSON line per record) and fdatasyncs: the batch is durable when append() returns, for
// the price of one sequential write instead of a transaction touching every index. An indexer
// thread then copies the sealed records into the SQL store, whose indexes answer the queries,
// in larger batches and off the request path: the batches this process wrote from memory,
// anything else (another process's appends, a crash's leftovers) read back from the journal,
// each line's link and seal checked. Queries first wait until the index holds every
// record made durable before them, so a reader always sees its own writes.
//
// Several processes may share a data directory (the server, `user create`, `codes import`, a
// job worker): appends are serialised by an exclusive lock on `<journal>.lock`, and the head is
// the journal's last line (or, when the journal is empty, the SQL head). Any process's indexer
// indexes whatever follows the SQL head, its own records or others'. A write cut short by a
// crash is cut off by the next appender (it was never acknowledged); records a crash left
// unindexed are indexed by the next indexer. The journal is replaced by an empty one once it
// has grown past `rotate_bytes` and everything in it is indexed.
//
// The journal keeps space allocated ahead of its end (`reserve_bytes`, fallocate with
// FALLOC_FL_KEEP_SIZE): when the disk fills up, the audit records of reads (and of refused
// writes) still find room, so reads go on while writes are answered 507.
//
// On a shared PostgreSQL the database serialises the chain itself: SqlAuditRepository is used
// directly. Blocking: yes (file and database I/O). Thread safety: safe. PHI: patient ids only.
#pragma once

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

#include "contexts/audit/ports/audit_repository.hpp"
#include "platform/metrics/metrics.hpp"

namespace medisecure::audit {

class JournaledAuditRepository final : public AuditRepository {
public:
    using Seal = std::function<std::string(const AuditRecord&)>;
    using HeadMac = std::function<std::string(std::int64_t, const std::string&)>;

    JournaledAuditRepository(AuditRepository& index, std::filesystem::path journal,
                             metrics::Registry& registry, std::uintmax_t rotate_bytes = 16u << 20,
                             std::size_t keep_records = 100000, std::uintmax_t reserve_bytes = 8u << 20);
    ~JournaledAuditRepository() override;

    /// Opens the journal, indexes what it holds beyond the SQL head (each record's link and seal
    /// checked) and starts the indexer. Returns how many records that indexed. Throws when the
    /// journal cannot be opened, or holds a complete line that is not a valid continuation of
    /// the chain (an edited journal): the service must not extend a chain it cannot trust.
    std::size_t open(Seal seal, HeadMac head_mac);
    /// Indexes what is pending, then stops the indexer.
    void close();

    void append(std::vector<AuditRecord>& records, const Seal& seal, const HeadMac& head_mac) override;
    void append_sealed(const std::vector<AuditRecord>& records, const HeadMac& head_mac) override;
    std::vector<AuditRecord> search(const AuditFilter& f) override;
    void scan(const std::function<void(std::vector<AuditRecord>&)>& chunk) override;
    std::optional<ChainHead> head() override;
    bool ping() override;

    /// Waits (bounded) until the index holds every record this process made durable.
    bool wait_indexed(std::chrono::milliseconds timeout = std::chrono::seconds(10));

private:
    class Locked;
    void reopen_if_replaced();
    ChainHead journal_head();  // seq and hash of the chain's last record (no mac)
    void replace_if_indexed();  // with the lock held
    void keep_reserve();        // with the lock held, after known_size_ is set
    std::size_t index_pass();
    void run_indexer();

    AuditRepository& index_;
    std::filesystem::path path_, lock_path_;
    std::uintmax_t rotate_bytes_;
    std::size_t keep_records_;  // at most this many written records wait in memory for the indexer
    Seal seal_;
    HeadMac head_mac_;

    std::mutex file_mu_;  // the descriptors and what is known of the file, within this process
    int fd_ = -1, lock_fd_ = -1;
    std::uint64_t inode_ = 0;
    std::uintmax_t known_size_ = 0;  // the journal's size after this process's last append
    ChainHead known_tail_;                // and the record that ends it
    std::uintmax_t indexed_offset_ = 0;  // bytes of the journal this process has seen indexed
    std::uintmax_t reserve_bytes_;
    std::uintmax_t reserved_to_ = 0;     // the file has space allocated up to here
    bool reserve_failing_ = false, reserve_unsupported_ = false;

    std::mutex mu_;  // after file_mu_ when both are held
    std::condition_variable cv_, indexed_cv_;
    struct Written {  // one batch this process appended: bytes [begin, end) of the file `inode`
        std::uint64_t inode;
        std::uintmax_t begin, end;
        std::vector<AuditRecord> records;
    };
    std::deque<Written> written_;
    std::size_t written_records_ = 0;
    std::int64_t durable_seq_ = 0, indexed_seq_ = 0;
    bool work_ = false, stopping_ = false, index_failing_ = false;
    bool hurry_ = false;  // a reader is waiting: index without pausing
    std::thread indexer_;

    metrics::Counter& indexed_;
    metrics::Counter& index_failures_;
    metrics::Counter& torn_tails_;
};

}  // namespace medisecure::audit
