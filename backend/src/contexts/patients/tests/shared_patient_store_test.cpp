// SPDX-License-Identifier: Apache-2.0
// The shared patient cache: two SharedPatientStore over one SQLite store and one in-process
// cache model two instances sharing a database and a Redis. What one changes the other never
// reads stale; values are sealed; a cache that cannot be reached is read past, and the
// invalidations it missed are applied when it is back.
#include <gtest/gtest.h>

#include "contexts/patients/adapters/cache/patient_codec.hpp"
#include "contexts/patients/adapters/cache/shared_patient_store.hpp"
#include "contexts/patients/tests/patient_cache_fixture.hpp"
#include "platform/cache/memory_cache.hpp"
#include "platform/crypto/digest.hpp"

using namespace medisecure;
using namespace medisecure::patients;

namespace {

const std::string kRecords = "cache=\"patients_shared\"", kSearches = "cache=\"patient_search_shared\"";

/// Instance A reaches the shared cache through `link` (which the test may cut), B directly.
struct SharedCache : ::testing::Test, cache_testing::SqlPatients, testkit::SharedCacheInstances {
    SharedCache() : SharedCacheInstances(clock) {}
    std::string seal_key = crypto::derive_key("a master key for the tests", "medisecure patients cache");
    SharedPatientStore a{slow, link, seal_key, registry_a};
    SharedPatientStore b{slow, redis, seal_key, registry_b};
    PatientService service_a{a, audit, clock, nullptr};
    PatientService service_b{b, audit, clock, nullptr};

    Patient add(std::string first) { return SqlPatients::add(service_a, std::move(first)); }
    static std::string metric(const metrics::Registry& r, const std::string& name, const std::string& labels = kRecords) {
        return cache_testing::metric(r, name, labels);
    }
    static PatientQuery lefevre() {
        PatientQuery q;
        q.terms = {"lefevre"};
        return q;
    }
};

}  // namespace

TEST_F(SharedCache, AnswersRepeatedReadsFromTheSharedCache) {
    auto p = add("Anaïs");
    ASSERT_EQ(a.find(p.id)->first_name, "Anaïs");
    ASSERT_EQ(a.find(p.id)->mrn, p.mrn);
    ASSERT_EQ(b.find(p.id)->first_name, "Anaïs");  // filled by A, read by B
    EXPECT_EQ(metric(registry_a, "medisecure_cache_misses_total"), "1");
    EXPECT_EQ(metric(registry_a, "medisecure_cache_hits_total"), "1");
    EXPECT_EQ(metric(registry_b, "medisecure_cache_hits_total"), "1");
    EXPECT_EQ(metric(registry_b, "medisecure_cache_misses_total"), "0");
    EXPECT_FALSE(a.find("01900000-0000-7000-8000-000000000000"));
    EXPECT_TRUE(b.exists(p.id));
    EXPECT_FALSE(b.exists("01900000-0000-7000-8000-000000000000"));
}

TEST_F(SharedCache, AWriteOnOneInstanceIsNeverReadStaleOnTheOther) {
    auto p = add("Anaïs");
    for (int i = 0; i < 200; ++i) {
        auto [writer, reader_store] = i % 2 == 0 ? std::tie(service_a, b) : std::tie(service_b, a);
        ASSERT_TRUE(reader_store.find(p.id));  // cached by the instance that will read the change
        auto name = "Name" + std::to_string(i);
        auto changed = rename(writer, p, i + 1, name);
        ASSERT_TRUE(changed) << changed.error().code;
        for (int read = 0; read < 2; ++read) {
            auto seen = reader_store.find(p.id);
            ASSERT_TRUE(seen);
            ASSERT_EQ(seen->first_name, name) << "edit " << i << ", read " << read;
            ASSERT_EQ(seen->version, i + 2);
        }
    }
    // Each change was read once from the database, then from the cache (by the second read,
    // and by the reader of the next round, the other instance, but for the very first read).
    EXPECT_EQ(metric(registry_a, "medisecure_cache_hits_total"), "200");
    EXPECT_EQ(metric(registry_b, "medisecure_cache_hits_total"), "199");
}

TEST_F(SharedCache, ASearchChangesAfterAWriteOnTheOtherInstance) {
    auto anais = add("Anaïs");
    auto q = lefevre();
    EXPECT_FALSE(b.search_cached(q));
    ASSERT_EQ(a.search(q).size(), 1u);
    EXPECT_TRUE(b.search_cached(q));
    ASSERT_EQ(b.search(q).size(), 1u);
    EXPECT_EQ(metric(registry_b, "medisecure_cache_hits_total", kSearches), "1");
    // A new namesake registered on B appears in A's very next search…
    SqlPatients::add(service_b, "Bérénice");
    EXPECT_FALSE(a.search_cached(q));
    EXPECT_EQ(a.search(q).size(), 2u);
    // …and a patient renamed on A leaves B's.
    PatientPatch patch;
    patch.last_name = "Martin";
    ASSERT_TRUE(service_a.update(secretary, anais.id, 1, patch));
    auto after = b.search(q);
    ASSERT_EQ(after.size(), 1u);
    EXPECT_EQ(after[0].first_name, "Bérénice");
}

TEST_F(SharedCache, AReadThatOverlapsAWriteOnAnotherInstanceDoesNotCacheWhatItRead) {
    auto p = add("Anaïs");
    // A reads the version token, then the database (version 1); before it fills the cache, B
    // commits a rename and replaces the token.
    slow.during_find = [&] { ASSERT_TRUE(rename(service_b, p, 1, "Anne-Sophie")); };
    auto overlapping = a.find(p.id);
    ASSERT_TRUE(overlapping);
    EXPECT_EQ(overlapping->version, 1);  // it began before the write: fine to answer once
    for (auto* instance : {&a, &b}) {    // but what it filled is never served
        auto next = instance->find(p.id);
        EXPECT_EQ(next->first_name, "Anne-Sophie");
        EXPECT_EQ(next->version, 2);
    }
    EXPECT_EQ(metric(registry_a, "medisecure_cache_hits_total"), "0");
    EXPECT_EQ(metric(registry_b, "medisecure_cache_hits_total"), "1");  // what A's second read filled
}

TEST_F(SharedCache, ALostVersionTokenDoesNotReviveAnOldValue) {
    auto p = add("Anaïs");
    redis.erase("pt:v:" + p.id);  // expired, or evicted by a Redis short of memory
    slow.during_find = [&] { ASSERT_TRUE(rename(service_b, p, 1, "Anne-Sophie")); };
    EXPECT_EQ(a.find(p.id)->version, 1);  // overlapped the rename, and filled nothing
    redis.erase("pt:v:" + p.id);          // lost again
    for (int i = 0; i < 3; ++i) EXPECT_EQ(a.find(p.id)->version, 2) << i;
    EXPECT_EQ(metric(registry_a, "medisecure_cache_hits_total"), "1");  // the third read
}

TEST_F(SharedCache, SealsWhatItStoresToItsKey) {
    auto anais = add("Anaïs"), berenice = add("Bérénice");
    ASSERT_TRUE(a.find(anais.id));
    ASSERT_TRUE(a.find(berenice.id));
    auto stored = redis.get("pt:r:" + anais.id);
    ASSERT_TRUE(stored);
    for (const auto& clear : {anais.first_name, anais.last_name, anais.mrn, anais.id})
        EXPECT_EQ(stored->find(clear), std::string::npos) << clear;
    ASSERT_TRUE(a.search(lefevre()).size() == 2u);
    // A value moved under another patient's key does not open there: a miss, from the database.
    redis.put("pt:r:" + berenice.id, *stored, std::chrono::seconds(60));
    EXPECT_EQ(b.find(berenice.id)->first_name, "Bérénice");
    EXPECT_EQ(metric(registry_b, "medisecure_cache_rejected_total"), "1");
    EXPECT_EQ(b.find(berenice.id)->first_name, "Bérénice");  // refilled
    EXPECT_EQ(metric(registry_b, "medisecure_cache_hits_total"), "1");
    // Nor does one sealed with another key.
    SharedPatientStore other{slow, redis, crypto::derive_key("another master key", "medisecure patients cache"),
                             registry_b};
    EXPECT_EQ(other.find(anais.id)->first_name, "Anaïs");
    EXPECT_EQ(metric(registry_b, "medisecure_cache_rejected_total"), "2");
}

TEST_F(SharedCache, AnUnreachableCacheIsReadPastAndMissedInvalidationsAreAppliedWhenItIsBack) {
    auto p = add("Anaïs");
    auto q = lefevre();
    ASSERT_EQ(a.find(p.id)->version, 1);  // cached
    ASSERT_EQ(a.search(q).size(), 1u);
    link.down = true;

    EXPECT_EQ(a.find(p.id)->version, 1);  // from the database
    EXPECT_EQ(metric(registry_a, "medisecure_cache_fallbacks_total", "use=\"patients\""), "1");
    ASSERT_TRUE(rename(service_a, p, 1, "Anne-Sophie"));  // committed; its invalidation failed
    PatientPatch patch;
    patch.last_name = "Martin";
    ASSERT_TRUE(service_a.update(secretary, p.id, 2, patch));
    EXPECT_EQ(metric(registry_a, "medisecure_cache_invalidation_failures_total"), "2");
    EXPECT_EQ(a.pending_invalidations(), 2u);  // the patient's token and the search generation
    EXPECT_EQ(metric(registry_a, "medisecure_cache_pending_invalidations"), "2");
    // A answers from the database meanwhile.
    EXPECT_EQ(a.find(p.id)->version, 3);
    EXPECT_TRUE(a.search(q).empty());
    EXPECT_FALSE(a.search_cached(q));
    // The window that remains, documented: B, which reaches the cache, still serves what was
    // cached before the write, for at most record_ttl / search_ttl.
    EXPECT_EQ(b.find(p.id)->version, 1);
    EXPECT_EQ(b.search(q).size(), 1u);

    // Back: the next call applies the pending invalidations before it reads.
    link.down = false;
    auto seen = a.find(p.id);
    EXPECT_EQ(seen->version, 3);
    EXPECT_EQ(seen->first_name, "Anne-Sophie");
    EXPECT_EQ(a.pending_invalidations(), 0u);
    EXPECT_EQ(b.find(p.id)->version, 3);
    EXPECT_TRUE(b.search(q).empty());
    EXPECT_TRUE(a.search(q).empty());
    EXPECT_EQ(a.find(p.id)->version, 3);
    EXPECT_EQ(metric(registry_a, "medisecure_cache_hits_total"), "1");  // the cache is used again
}

TEST_F(SharedCache, TheWindowOfAnInstanceCutFromTheCacheIsBoundedByTheTtl) {
    auto p = add("Anaïs");
    ASSERT_EQ(b.find(p.id)->version, 1);
    link.down = true;
    ASSERT_TRUE(rename(service_a, p, 1, "Anne-Sophie"));
    EXPECT_EQ(b.find(p.id)->version, 1);  // the window
    clock.advance(SharedCacheOptions{}.record_ttl);
    EXPECT_EQ(b.find(p.id)->version, 2);
}

namespace {
/// Every field of a patient, comparable and printable at once.
auto fields(const Patient& p) {
    const auto& [a, e, i] = std::tie(p.address, p.emergency_contact, p.insurance);
    return std::tie(p.id, p.mrn, p.first_name, p.last_name, p.birth_name, p.sex, p.birth_date, p.birth_place_code, p.nir,
                    p.ins_oid, p.identity_status, p.email, p.phone, a.line1, a.line2, a.postal_code, a.city, a.country,
                    e.name, e.relationship, e.phone, i.amo_number, i.amo_fund, i.amc_name, i.amc_number,
                    p.preferred_language, p.primary_practitioner_id, p.archived, p.created_at, p.updated_at, p.version);
}
}  // namespace

TEST(PatientCodec, KeepsEveryField) {
    const Patient p{.id = "0190a1b2-0000-7000-8000-000000000001",
                    .mrn = "MS-000042",
                    .first_name = "Anaïs Marie",
                    .last_name = "Lefèvre",
                    .birth_name = "Durand",
                    .sex = Sex::female,
                    .birth_date = *parse_date("1990-02-03"),
                    .birth_place_code = "75056",
                    .nir = "290027505612345",
                    .ins_oid = "1.2.250.1.213.1.4.8",
                    .identity_status = IdentityStatus::qualified,
                    .email = "anais@example.org",
                    .phone = "+33 6 12 34 56 78",
                    .address = {"1 rue de la Paix", "Bât. B \"2\"\n", "75002", "Paris", "FR"},
                    .emergency_contact = {"Jean Lefèvre", "père", "+33 1 23 45 67 89"},
                    .insurance = {"1900275056123", "751", "Mutuelle X", "MX-9"},
                    .preferred_language = "en",
                    .primary_practitioner_id = "u-42",
                    .archived = true,
                    .created_at = from_micros(1'790'000'000'123'456),
                    .updated_at = from_micros(1'790'000'100'654'321),
                    .version = 7};
    auto text = encode_patient(p);
    auto back = decode_patient(text);
    ASSERT_TRUE(back) << text;
    EXPECT_EQ(fields(*back), fields(p));
    // The defaults too (a default Date is not a calendar day).
    const Patient blank;
    auto blank_back = decode_patient(encode_patient(blank));
    ASSERT_TRUE(blank_back);
    EXPECT_EQ(fields(*blank_back), fields(blank));

    auto list = decode_patients(encode_patients({p, blank}));
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ(fields((*list)[0]), fields(p));
    EXPECT_EQ(fields((*list)[1]), fields(blank));
    ASSERT_TRUE(decode_patients("[]"));
    EXPECT_TRUE(decode_patients("[]")->empty());
}

TEST(PatientCodec, RejectsWhatItDidNotWrite) {
    auto text = encode_patient(Patient{});
    EXPECT_FALSE(decode_patient("not json"));
    EXPECT_FALSE(decode_patient("[]"));
    EXPECT_FALSE(decode_patient(text.substr(0, text.size() - 1)));
    auto replace = [&](const std::string& from, const std::string& to) {
        auto t = text;
        t.replace(t.find(from), from.size(), to);
        return t;
    };
    EXPECT_FALSE(decode_patient(replace("\"sex\":\"unknown\"", "\"sex\":\"robot\"")));
    EXPECT_FALSE(decode_patient(replace("\"version\":1", "\"version\":\"1\"")));
    EXPECT_FALSE(decode_patient(replace("\"version\":1", "\"versio\":1")));
    EXPECT_FALSE(decode_patients("[{}]"));
}
