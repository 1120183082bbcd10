// SPDX-License-Identifier: Apache-2.0
// Crash durability: `medisecure serve` (the built binary) is killed with SIGKILL at a random
// moment while writers register patients, book appointments, record vitals, create and issue
// invoices and upload documents; it is restarted on the same data, and every write it had
// acknowledged (2xx) must be found, with its audit record, and `medisecure audit verify` must pass.
// On the embedded default (SQLite and local files) and, with MEDISECURE_TEST_PG_DSN, on
// PostgreSQL. MEDISECURE_CRASH_ROUNDS rounds (5 by default; `make crash` runs 20 or more),
// MEDISECURE_CRASH_SEED repeats a run. Each acknowledged write is logged to
// <data dir>/acknowledged.log.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "crash.hpp"

using namespace medisecure;
using namespace medisecure::testkit;

namespace {

void kill_rounds(const std::string& engine, bool postgres) {
    TempDir dir;
    CrashRun run(engine, crash_env(postgres), dir.file("data"));
    run.start();
    for (int r = 1; r <= crash_rounds(); ++r) run.round(r);
    run.verify_all();
    run.report();
    EXPECT_EQ(run.lost(), 0u);
    EXPECT_GT(run.acknowledged(), 0u);
}

/// A file's size, 0 when it does not exist.
std::uintmax_t size_of(const std::filesystem::path& p) {
    std::error_code ec;
    auto n = std::filesystem::file_size(p, ec);
    return ec ? 0 : n;
}

/// The first byte of a write-ahead log that a checkpoint has not copied into its database yet:
/// the frames before it are in the database file too, and a power loss cannot take them back.
std::uintmax_t first_unbackfilled_byte(const std::filesystem::path& wal) {
    std::ifstream log(wal, std::ios::binary), shm(wal.string().substr(0, wal.string().size() - 4) + "-shm", std::ios::binary);
    unsigned char header[32] = {};
    if (!log.read(reinterpret_cast<char*>(header), sizeof header)) return 0;
    const std::uint64_t page = (std::uint64_t{header[8]} << 24) | (header[9] << 16) | (header[10] << 8) | header[11];
    std::uint32_t backfilled = 0;  // WalCkptInfo.nBackfill, after the two copies of the index header
    if (shm.seekg(96) && shm.read(reinterpret_cast<char*>(&backfilled), sizeof backfilled))
        return 32 + backfilled * (page + 24);
    return 32;
}

std::string file_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST(Crash, KillNineUnderAuditedWritesLosesNoAcknowledgedWriteOnTheEmbeddedDefault) { kill_rounds("embedded", false); }

TEST(Crash, KillNineUnderAuditedWritesLosesNoAcknowledgedWriteOnPostgreSql) {
    MS_REQUIRE_POSTGRES();
    kill_rounds("postgresql", true);
}

// A power loss on a disk that loses what it had not yet written: after each kill, every SQLite
// write-ahead log and the audit journal are cut at a random point in what the round wrote (never
// below what a checkpoint already copied into the database). The server must start, say what it
// recovered and what it cut off, keep a verifiable audit chain, and lose nothing acknowledged in
// the kill -9 rounds that follow. What the cuts dropped is counted and printed.
TEST(Crash, PowerLossCutsTheWalAndTheAuditJournalAndTheServerStartsAndSaysWhatItDropped) {
    TempDir dir;
    CrashRun run("embedded-power-loss", crash_env(false), dir.file("data"));
    run.start();
    const std::filesystem::path data = run.data_dir();
    std::mt19937 rng(std::random_device{}());
    std::uintmax_t cut_bytes = 0;
    int cuts = 0;
    const int rounds = std::max(2, crash_rounds() / 2);
    for (int r = 1; r <= rounds; ++r) {
        std::map<std::filesystem::path, std::uintmax_t> before;
        for (const auto& e : std::filesystem::recursive_directory_iterator(data)) {
            const auto name = e.path().filename().string();
            if (name.ends_with("-wal") || name == "audit.journal") before[e.path()] = size_of(e.path());
        }
        run.lossy_round(2 * r - 1, [&] {
            for (const auto& [path, was] : before) {
                const auto now = size_of(path);
                std::uintmax_t low = path.filename() == "audit.journal" ? was : std::max(was, first_unbackfilled_byte(path));
                if (now <= low) continue;  // nothing written there this round (or a checkpoint restarted it)
                const auto at = std::uniform_int_distribution<std::uintmax_t>(low, now - 1)(rng);
                std::filesystem::resize_file(path, at);
                cut_bytes += now - at;
                ++cuts;
            }
        });
        run.round(2 * r);  // a plain kill -9 after it: nothing acknowledged may be lost again
    }
    run.verify_all();
    run.report();
    const auto log = file_text(run.data_dir() + "/serve.log");
    // What the restarted server said it recovered and cut off.
    std::map<std::string, int> said;
    std::int64_t not_recovered = 0;
    std::istringstream lines(log);
    for (std::string line; std::getline(lines, line);) {
        for (const char* event : {"sqlite.wal_recovered", "audit.journal_torn_tail", "audit.journal_behind_index", "sqlite.corrupt"})
            if (line.find(std::string("\"event\":\"") + event + "\"") != std::string::npos) ++said[event];
        if (auto at = line.find("\"bytes_not_recovered\":"); at != std::string::npos)
            not_recovered += std::stoll(line.substr(at + 22));
    }
    std::cout << "power loss: " << cuts << " files cut, " << cut_bytes << " bytes cut off, "
              << run.dropped() << " acknowledged writes dropped by the cuts; the server said: "
              << said["sqlite.wal_recovered"] << " write-ahead logs recovered (" << not_recovered
              << " bytes beyond their last commit), " << said["audit.journal_torn_tail"] << " torn audit journal tails cut, "
              << said["audit.journal_behind_index"] << " journals behind their index, " << said["sqlite.corrupt"]
              << " corruption reports" << std::endl;
    for (std::size_t i = 0; i < run.dropped_writes().size() && i < 5; ++i) std::cout << "  dropped: " << run.dropped_writes()[i] << "\n";
    EXPECT_EQ(said["sqlite.corrupt"], 0) << "a database was left damaged by a cut";
    EXPECT_GT(cuts, 0);
    EXPECT_EQ(run.lost(), 0u) << "a write acknowledged after a restart on cut files was lost";
    // The server said what it recovered and what it cut off.
    EXPECT_NE(log.find("sqlite.wal_recovered"), std::string::npos);
    EXPECT_NE(log.find("bytes_not_recovered"), std::string::npos);
}
