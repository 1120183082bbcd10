// SPDX-License-Identifier: Apache-2.0
// The journal in front of the embedded audit store: durable before indexing, read-your-writes,
// recovery after a crash, torn tails, edited lines, several processes, and rotation.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "contexts/audit/adapters/journal/journaled_audit_repository.hpp"
#include "contexts/audit/adapters/sql/sql_audit_repository.hpp"
#include "contexts/audit/testing/memory_audit_repository.hpp"
#include "core/random.hpp"
#include "platform/crypto/digest.hpp"
#include "test_support.hpp"

using namespace medisecure;
using namespace medisecure::audit;
namespace fs = std::filesystem;

namespace {

const crypto::HmacKey& key() {
    static const crypto::HmacKey k(crypto::derive_key(std::string(40, 'k'), "journal test"));
    return k;
}
std::string seal(const AuditRecord& r) {
    auto mac = key().mac(canonical(r));
    return to_hex(mac.data(), mac.size());
}
std::string head_mac(std::int64_t seq, const std::string& hash) {
    auto mac = key().mac("head:" + std::to_string(seq) + ":" + hash);
    return to_hex(mac.data(), mac.size());
}

// Every character JSON escapes, and more than ASCII.
const std::string kDetail = "café, \"quoted\"\nline\ttab \\ back\x01"
                            "control";

std::vector<AuditRecord> batch(int n, const std::string& actor = "u1") {
    std::vector<AuditRecord> out;
    for (int i = 0; i < n; ++i) {
        AuditRecord r;
        r.at = SystemClock{}.now();
        r.actor_id = actor;
        r.actor_role = "doctor";
        r.action = "patient.read";
        r.resource_type = "patient";
        r.resource_id = "p" + std::to_string(i);
        r.patient_id = r.resource_id;
        r.client_ip = "127.0.0.1";
        r.request_id = "req-" + std::to_string(i);
        r.detail = kDetail;
        out.push_back(r);
    }
    return out;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::size_t lines_in(const fs::path& p) {
    auto s = slurp(p);
    return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

void expect_intact(MemoryAuditRepository& index, std::int64_t records) {
    std::vector<AuditRecord> all;
    index.scan([&](std::vector<AuditRecord>& c) { all.insert(all.end(), c.begin(), c.end()); });
    ASSERT_EQ(static_cast<std::int64_t>(all.size()), records);
    auto report = verify_chain(all, seal, index.head(), head_mac);
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front().message);
}

/// One more record goes on from `last` (the chain's head), is indexed, and the chain holds.
void expect_continues_from(JournaledAuditRepository& journal, MemoryAuditRepository& index, const AuditRecord& last) {
    auto next = batch(1);
    journal.append(next, seal, head_mac);
    EXPECT_EQ(next[0].seq, last.seq + 1);
    EXPECT_EQ(next[0].prev_hash, last.hash);
    ASSERT_TRUE(journal.wait_indexed());
    EXPECT_TRUE(journal.ping());
    expect_intact(index, last.seq + 1);
}

}  // namespace

TEST(AuditJournal, AppendIsDurableInTheJournalAndReadersSeeTheirWrites) {
    testkit::TempDir dir;
    MemoryAuditRepository index;
    metrics::Registry reg;
    JournaledAuditRepository journal(index, dir.path() / "audit.journal", reg);
    EXPECT_EQ(journal.open(seal, head_mac), 0u);

    auto b = batch(3);
    journal.append(b, seal, head_mac);
    EXPECT_EQ(b[0].seq, 1);
    EXPECT_EQ(b[2].seq, 3);
    EXPECT_EQ(b[0].prev_hash, kGenesis);
    EXPECT_EQ(b[1].prev_hash, b[0].hash);
    EXPECT_EQ(lines_in(dir.path() / "audit.journal"), 3u);  // on disk when append returned

    auto found = journal.search(AuditFilter{});  // waits for the index
    ASSERT_EQ(found.size(), 3u);
    EXPECT_EQ(found[0].seq, 3);
    EXPECT_EQ(found[0].detail, kDetail);
    EXPECT_EQ(journal.head()->seq, 3);
    expect_intact(index, 3);
}

TEST(AuditJournal, RecordsLeftUnindexedByACrashAreIndexedAtTheNextStart) {
    testkit::TempDir dir;
    MemoryAuditRepository index;
    metrics::Registry reg;
    {
        JournaledAuditRepository journal(index, dir.path() / "audit.journal", reg);
        journal.open(seal, head_mac);
        index.fail = true;  // the index cannot be written: the journal alone holds the records
        auto b = batch(4);
        journal.append(b, seal, head_mac);
        auto more = batch(2);
        journal.append(more, seal, head_mac);
        EXPECT_FALSE(journal.wait_indexed(std::chrono::milliseconds(300)));
        EXPECT_FALSE(journal.ping());
    }
    EXPECT_TRUE(index.rows.empty());
    index.fail = false;
    metrics::Registry reg2;
    JournaledAuditRepository again(index, dir.path() / "audit.journal", reg2);
    EXPECT_EQ(again.open(seal, head_mac), 6u);
    expect_intact(index, 6);
    auto b = batch(1);
    again.append(b, seal, head_mac);
    EXPECT_EQ(b[0].seq, 7);
    EXPECT_TRUE(again.wait_indexed());
    expect_intact(index, 7);
}

TEST(AuditJournal, TheIndexerTakesThisProcesssBatchesFromMemory) {
    testkit::TempDir dir;
    MemoryAuditRepository index;
    metrics::Registry reg;
    auto path = dir.path() / "audit.journal";
    JournaledAuditRepository journal(index, path, reg);
    journal.open(seal, head_mac);
    auto b = batch(3);
    journal.append(b, seal, head_mac);
    // The indexer waits before it copies: spoil the journal's copy meanwhile (same length). Read
    // back from the file, the line would fail its seal and stop the index.
    auto text = slurp(path);
    auto at = text.find("\"p1\"");
    ASSERT_NE(at, std::string::npos);
    text[at + 2] = '9';
    std::ofstream(path, std::ios::binary | std::ios::in | std::ios::out)
        .write(text.data(), static_cast<std::streamsize>(text.size()));
    ASSERT_TRUE(journal.wait_indexed());
    EXPECT_TRUE(journal.ping());
    expect_intact(index, 3);
    EXPECT_EQ(index.rows[1].resource_id, "p1");
}

TEST(AuditJournal, BatchesMemoryNoLongerHoldsAreReadFromTheFile) {
    testkit::TempDir dir;
    MemoryAuditRepository index;
    metrics::Registry reg;
    // Memory keeps 5 records: of four batches of 3, only the last waits there.
    JournaledAuditRepository journal(index, dir.path() / "audit.journal", reg, 16u << 20, 5);
    journal.open(seal, head_mac);
    index.fail = true;
    for (int i = 0; i < 4; ++i) {
        auto b = batch(3, "u" + std::to_string(i));
        journal.append(b, seal, head_mac);
    }
    EXPECT_FALSE(journal.wait_indexed(std::chrono::milliseconds(300)));
    index.fail = false;
    ASSERT_TRUE(journal.wait_indexed());
    expect_intact(index, 12);
    EXPECT_EQ(index.rows[0].actor_id, "u0");
    EXPECT_EQ(index.rows[11].actor_id, "u3");
    // What was left in memory was indexed from the file already: later batches still follow.
    auto more = batch(2, "u4");
    journal.append(more, seal, head_mac);
    ASSERT_TRUE(journal.wait_indexed());
    expect_intact(index, 14);
}

TEST(AuditJournal, ATornLastWriteIsCutOffAndTheChainContinues) {
    testkit::TempDir dir;
    MemoryAuditRepository index;
    metrics::Registry reg;
    auto path = dir.path() / "audit.journal";
    JournaledAuditRepository journal(index, path, reg);
    journal.open(seal, head_mac);
    auto b = batch(2);
    journal.append(b, seal, head_mac);
    ASSERT_TRUE(journal.wait_indexed());
    {
        std::ofstream out(path, std::ios::app | std::ios::binary);
        out << R"({"seq":3,"at":1,"actor_id":"u1","act)";  // a crash in the middle of a write
    }
    auto c = batch(2);
    journal.append(c, seal, head_mac);
    EXPECT_EQ(c[0].seq, 3);
    EXPECT_EQ(c[0].prev_hash, b[1].hash);
    EXPECT_EQ(lines_in(path), 4u);
    EXPECT_EQ(slurp(path).back(), '\n');
    ASSERT_TRUE(journal.wait_indexed());
    expect_intact(index, 4);
}

// issue 19 (power loss): a journal whose last write was torn by a crash is cut back to its last
// whole record when the server starts, which says so in its log and in a metric.
TEST(AuditJournal, issue_19_ATornTailIsCutAtTheStartAndCounted) {
    testkit::TempDir dir;
    MemoryAuditRepository index;
    auto path = dir.path() / "audit.journal";
    std::vector<AuditRecord> b;
    {
        metrics::Registry reg;
        JournaledAuditRepository journal(index, path, reg);
        journal.open(seal, head_mac);
        b = batch(3);
        journal.append(b, seal, head_mac);
        ASSERT_TRUE(journal.wait_indexed());
    }
    const auto whole = fs::file_size(path);
    {
        std::ofstream out(path, std::ios::app | std::ios::binary);
        out << R"({"seq":4,"at":1,"actor_id":"u1","act)";
    }
    metrics::Registry reg;
    JournaledAuditRepository again(index, path, reg);
    again.open(seal, head_mac);
    EXPECT_EQ(fs::file_size(path), whole) << "cut when the store opens, before any append";
    EXPECT_NE(reg.render().find("medisecure_audit_journal_torn_tails_total 1"), std::string::npos);
    expect_continues_from(again, index, b[2]);
}

// issue 19 (power loss): a journal that lost records the index already holds (a disk that did not
// keep what it had synced) must not make the chain reuse their sequence numbers: it goes on from
// the index's head, and the index keeps accepting records.
TEST(AuditJournal, issue_19_AJournalBehindItsIndexContinuesFromTheIndex) {
    testkit::TempDir dir;
    MemoryAuditRepository index;
    auto path = dir.path() / "audit.journal";
    std::uintmax_t after_two = 0;
    {
        metrics::Registry reg;
        JournaledAuditRepository journal(index, path, reg);
        journal.open(seal, head_mac);
        auto b = batch(2);
        journal.append(b, seal, head_mac);
        after_two = fs::file_size(path);
        auto c = batch(3);
        journal.append(c, seal, head_mac);
        ASSERT_TRUE(journal.wait_indexed());
    }
    fs::resize_file(path, after_two);  // records 3 to 5 are in the index only
    metrics::Registry reg;
    JournaledAuditRepository again(index, path, reg);
    again.open(seal, head_mac);
    const AuditRecord head = index.rows[4];
    EXPECT_EQ(head.seq, 5);
    expect_continues_from(again, index, head);
}

// issue 19 (disk full): the journal keeps room allocated beyond its end, so that the audit
// records of reads still find space on a full disk.
TEST(AuditJournal, issue_19_TheJournalKeepsARoomAllocatedAheadOfItsEnd) {
    testkit::TempDir dir;
    MemoryAuditRepository index;
    metrics::Registry reg;
    auto path = dir.path() / "audit.journal";
    JournaledAuditRepository journal(index, path, reg, 16u << 20, 100000, 1u << 20);
    journal.open(seal, head_mac);
    auto b = batch(2);
    journal.append(b, seal, head_mac);
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    if (st.st_blocks == 0) GTEST_SKIP() << "this file system reports no blocks";
    EXPECT_GE(static_cast<std::uintmax_t>(st.st_blocks) * 512, (1u << 20)) << "the reserve is allocated";
    EXPECT_EQ(static_cast<std::uintmax_t>(st.st_size), fs::file_size(path));
    EXPECT_LT(static_cast<std::uintmax_t>(st.st_size), 1u << 20) << "without changing the file's size";
}

TEST(AuditJournal, AnEditedLineStopsTheStartInsteadOfEnteringTheIndex) {
    testkit::TempDir dir;
    MemoryAuditRepository index;
    auto path = dir.path() / "audit.journal";
    {
        metrics::Registry reg;
        JournaledAuditRepository journal(index, path, reg);
        journal.open(seal, head_mac);
        index.fail = true;
        auto b = batch(3);
        journal.append(b, seal, head_mac);
    }
    index.fail = false;
    auto text = slurp(path);
    auto at = text.find("\"resource_id\":\"p1\"");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 18, "\"resource_id\":\"p9\"");
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;

    metrics::Registry reg;
    JournaledAuditRepository again(index, path, reg);
    EXPECT_THROW(again.open(seal, head_mac), std::runtime_error);
    EXPECT_TRUE(index.rows.empty());
}

TEST(AuditJournal, TwoProcessesSharingTheJournalExtendOneChain) {
    testkit::TempDir dir;
    MemoryAuditRepository index;
    metrics::Registry r1, r2;
    auto path = dir.path() / "audit.journal";
    // Two instances, each with its own descriptors and locks, as two processes would have.
    JournaledAuditRepository a(index, path, r1, 2048), b(index, path, r2, 2048);
    a.open(seal, head_mac);
    b.open(seal, head_mac);
    auto writer = [](JournaledAuditRepository& j, const std::string& actor) {
        for (int i = 0; i < 60; ++i) {
            auto recs = batch(1 + i % 3, actor);
            j.append(recs, seal, head_mac);
        }
    };
    std::thread ta(writer, std::ref(a), "a"), tb(writer, std::ref(b), "b");
    ta.join();
    tb.join();
    ASSERT_TRUE(a.wait_indexed());
    ASSERT_TRUE(b.wait_indexed());
    std::int64_t expected = 2 * (20 * 1 + 20 * 2 + 20 * 3);
    EXPECT_EQ(a.head()->seq, expected);
    expect_intact(index, expected);
    // Rotation kept the journal short while everything was indexed.
    EXPECT_LT(fs::file_size(path), 64u * 1024);
}

TEST(AuditJournal, TheJournalIsReplacedOnceIndexedAndLarge) {
    testkit::TempDir dir;
    MemoryAuditRepository index;
    metrics::Registry reg;
    auto path = dir.path() / "audit.journal";
    JournaledAuditRepository journal(index, path, reg, 4096);
    journal.open(seal, head_mac);
    for (int i = 0; i < 40; ++i) {
        auto b = batch(5);
        journal.append(b, seal, head_mac);
        ASSERT_TRUE(journal.wait_indexed());
    }
    EXPECT_LT(fs::file_size(path), 4096u + 5 * 1024);
    expect_intact(index, 200);
    journal.close();
    metrics::Registry reg2;
    JournaledAuditRepository again(index, path, reg2, 4096);
    EXPECT_EQ(again.open(seal, head_mac), 0u);  // nothing is indexed twice
    expect_intact(index, 200);
}

TEST(AuditJournal, FillsTheSqliteIndexAndSkipsWhatAnotherProcessIndexed) {
    testkit::TempDir dir;
    auto db = testkit::sqlite_database(dir, "audit");
    SqlAuditRepository sql(*db);
    metrics::Registry r1, r2;
    auto path = dir.path() / "audit.journal";
    JournaledAuditRepository a(sql, path, r1), b(sql, path, r2);
    a.open(seal, head_mac);
    b.open(seal, head_mac);
    for (int i = 0; i < 10; ++i) {
        auto x = batch(3, "a");
        a.append(x, seal, head_mac);
        auto y = batch(2, "b");
        b.append(y, seal, head_mac);
    }
    ASSERT_TRUE(a.wait_indexed());
    ASSERT_TRUE(b.wait_indexed());
    std::vector<AuditRecord> all;
    sql.scan([&](std::vector<AuditRecord>& c) { all.insert(all.end(), c.begin(), c.end()); });
    ASSERT_EQ(all.size(), 50u);
    auto report = verify_chain(all, seal, sql.head(), head_mac);
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front().message);
    AuditFilter f;
    f.actor_id = "b";
    f.limit = 100;
    EXPECT_EQ(a.search(f).size(), 20u);
}

TEST(AuditJournal, ACleanStopLeavesAnEmptyJournalAndTheNextStartReadsNothing) {
    testkit::TempDir dir;
    MemoryAuditRepository index;
    auto path = dir.path() / "audit.journal";
    {
        metrics::Registry reg;
        JournaledAuditRepository journal(index, path, reg);
        journal.open(seal, head_mac);
        auto b = batch(25);
        journal.append(b, seal, head_mac);
        EXPECT_GT(fs::file_size(path), 0u);
    }
    EXPECT_EQ(fs::file_size(path), 0u);
    expect_intact(index, 25);
    metrics::Registry reg;
    JournaledAuditRepository again(index, path, reg);
    EXPECT_EQ(again.open(seal, head_mac), 0u);
    auto b = batch(1);
    again.append(b, seal, head_mac);
    EXPECT_EQ(b[0].seq, 26);
}
