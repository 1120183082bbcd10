// SPDX-License-Identifier: Apache-2.0
// Every way of tampering with the trail is detected and named.
#include <gtest/gtest.h>

#include "contexts/audit/domain/audit_record.hpp"
#include "core/random.hpp"
#include "platform/crypto/digest.hpp"

using namespace medisecure;
using namespace medisecure::audit;

namespace {

std::string seal(const AuditRecord& r) {
    auto mac = crypto::hmac_sha256("test key", canonical(r));
    return to_hex(mac.data(), mac.size());
}
std::string head_mac(std::int64_t s, const std::string& h) {
    auto mac = crypto::hmac_sha256("test key", "head:" + std::to_string(s) + ":" + h);
    return to_hex(mac.data(), mac.size());
}

struct Chain {
    std::vector<AuditRecord> rows;
    ChainHead head;
    explicit Chain(int n) {
        std::string prev = kGenesis;
        for (int i = 1; i <= n; ++i) {
            AuditRecord r;
            r.seq = i;
            r.at = from_micros(1'700'000'000'000'000 + i);
            r.actor_id = "u" + std::to_string(i % 3);
            r.actor_role = "doctor";
            r.action = "patient.read";
            r.resource_type = "patient";
            r.resource_id = "p" + std::to_string(i);
            r.patient_id = r.resource_id;
            r.client_ip = "10.0.0.1";
            r.request_id = "req" + std::to_string(i);
            r.prev_hash = prev;
            r.hash = seal(r);
            prev = r.hash;
            rows.push_back(r);
        }
        head = {n, prev, head_mac(n, prev)};
    }
    VerifyReport verify() const { return verify_chain(rows, seal, head, head_mac); }
};

ProblemKind first_kind(const VerifyReport& r) { return r.problems.at(0).kind; }

}  // namespace

TEST(AuditChain, IntactChainVerifies) {
    Chain c(10);
    auto r = c.verify();
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.records, 10);
    EXPECT_TRUE(verify_chain({}, seal, ChainHead{0, kGenesis, ""}, head_mac).ok());
}

TEST(AuditChain, EditedRecordIsNamed) {
    Chain c(10);
    c.rows[4].detail = "nothing to see";  // seq 5
    auto r = c.verify();
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(first_kind(r), ProblemKind::edited);
    EXPECT_EQ(r.problems[0].seq, 5);
}

TEST(AuditChain, EditedAndResealedWithoutTheKeyIsStillCaught) {
    Chain c(10);
    c.rows[4].actor_id = "someone else";
    c.rows[4].hash = crypto::sha256_hex(canonical(c.rows[4]));  // plain SHA-256: no key
    auto r = c.verify();
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.problems[0].seq, 5);
}

TEST(AuditChain, DeletedRecordIsNamed) {
    Chain c(10);
    c.rows.erase(c.rows.begin() + 4);  // seq 5 gone
    auto r = c.verify();
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(first_kind(r), ProblemKind::deleted);
    EXPECT_NE(r.problems[0].message.find("between 4 and 6"), std::string::npos);
}

TEST(AuditChain, InsertedRecordIsNamed) {
    Chain c(10);
    AuditRecord forged = c.rows[3];
    forged.resource_id = "p-forged";
    forged.prev_hash = c.rows[3].hash;
    forged.hash = std::string(64, 'f');
    for (std::size_t i = 4; i < c.rows.size(); ++i) c.rows[i].seq += 1;  // renumbered to make room
    forged.seq = 5;
    c.rows.insert(c.rows.begin() + 4, forged);
    c.head.seq += 1;
    auto r = c.verify();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(first_kind(r), ProblemKind::inserted);
    EXPECT_EQ(r.problems[0].seq, 5);
}

TEST(AuditChain, ReorderedRecordsAreNamed) {
    Chain c(10);
    std::swap(c.rows[4], c.rows[5]);  // records 5 and 6 change places...
    std::swap(c.rows[4].seq, c.rows[5].seq);  // ...and numbers
    auto r = c.verify();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(first_kind(r), ProblemKind::reordered);
}

TEST(AuditChain, ARecordMovedAheadOfItsPredecessorIsNamedByLookingFurther) {
    // Its link names a record that comes later in the table: the verifier, which reads the
    // chain once, reads it a second time to find that record.
    Chain c(10);
    auto moved = c.rows[7];  // seq 8, now third
    c.rows.erase(c.rows.begin() + 7);
    c.rows.insert(c.rows.begin() + 2, moved);
    for (std::size_t i = 0; i < c.rows.size(); ++i) c.rows[i].seq = static_cast<std::int64_t>(i) + 1;
    auto r = c.verify();
    ASSERT_EQ(r.problems.size(), 3u);
    for (const auto& p : r.problems) EXPECT_EQ(p.kind, ProblemKind::reordered) << p.message;
    EXPECT_EQ(r.problems[0].message, "record 3 was moved: in the chain it follows record 8");
    EXPECT_EQ(r.problems[1].message, "record 4 was moved: in the chain it follows record 2");
    EXPECT_EQ(r.problems[2].message, "record 9 was moved: in the chain it follows record 3");
}

TEST(AuditChain, TheVerifierReadsTheChainAgainOnlyWhenALinkIsBroken) {
    Chain c(5);
    ChainVerifier intact(seal, head_mac);
    for (const auto& r : c.rows) intact.add(r);
    EXPECT_FALSE(intact.wanted());
    EXPECT_TRUE(intact.finish(c.head).ok());
    c.rows.erase(c.rows.begin() + 2);
    ChainVerifier gap(seal, head_mac);
    for (const auto& r : c.rows) gap.add(r);
    ASSERT_TRUE(gap.wanted());
    for (const auto& r : c.rows) gap.locate(r);
    auto rep = gap.finish(c.head);
    ASSERT_EQ(rep.problems.size(), 1u);
    EXPECT_EQ(rep.problems[0].kind, ProblemKind::deleted);
    EXPECT_EQ(rep.problems[0].message, "one or more records between 2 and 4 were deleted");
}

TEST(AuditChain, TruncatedTailIsCaughtByTheHead) {
    Chain c(10);
    c.rows.pop_back();
    c.rows.pop_back();
    auto r = c.verify();
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(first_kind(r), ProblemKind::truncated);
    EXPECT_NE(r.problems[0].message.find("9 to 10"), std::string::npos);
}

TEST(AuditChain, ForgedHeadIsCaught) {
    Chain c(10);
    c.rows.pop_back();
    c.head = {9, c.rows.back().hash, std::string(64, '0')};  // moved back without the key
    auto r = c.verify();
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.problems[0].message.find("head"), std::string::npos);
}
