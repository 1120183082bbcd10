// SPDX-License-Identifier: Apache-2.0
// The patient read cache in front of the real SQL store on SQLite: hits, invalidation by
// writes, the race between a read and a write, and its bound.
#include <gtest/gtest.h>

#include "contexts/patients/adapters/cache/cached_patient_store.hpp"
#include "contexts/patients/tests/patient_cache_fixture.hpp"

using namespace medisecure;
using namespace medisecure::patients;
using medisecure::testkit::caller_of;

namespace {

struct PatientCache : ::testing::Test, cache_testing::SqlPatients {
    metrics::Registry registry;
    CachedPatientStore cache{slow, 2, registry};
    PatientService service{cache, audit, clock, nullptr};

    Patient add(std::string first) { return SqlPatients::add(service, std::move(first)); }
    Result<Patient> rename(const Patient& p, std::int64_t version, std::string first) {
        return SqlPatients::rename(service, p, version, std::move(first));
    }
    std::string metric(const std::string& name) { return cache_testing::metric(registry, name, "cache=\"patients\""); }
};

}  // namespace

TEST_F(PatientCache, AnswersRepeatedReadsFromMemory) {
    auto p = add("Anaïs");
    ASSERT_EQ(cache.find(p.id)->first_name, "Anaïs");
    ASSERT_EQ(cache.find(p.id)->first_name, "Anaïs");
    ASSERT_EQ(cache.find(p.id)->mrn, p.mrn);
    EXPECT_EQ(metric("medisecure_cache_misses_total"), "1");
    EXPECT_EQ(metric("medisecure_cache_hits_total"), "2");
    EXPECT_TRUE(cache.exists(p.id));
    EXPECT_FALSE(cache.exists("01900000-0000-7000-8000-000000000000"));
}

TEST_F(PatientCache, AWriteIsSeenByTheVeryNextRead) {
    auto p = add("Anaïs");
    ASSERT_TRUE(cache.find(p.id));  // cached at version 1
    auto changed = rename(p, 1, "Anne-Sophie");
    ASSERT_TRUE(changed) << changed.error().code;
    auto again = cache.find(p.id);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->first_name, "Anne-Sophie");
    EXPECT_EQ(again->version, 2);
    EXPECT_EQ(metric("medisecure_cache_invalidations_total"), "1");
    // Archiving is a write too.
    ASSERT_TRUE(service.archive(caller_of(Role::admin, "adm"), p.id));
    EXPECT_TRUE(cache.find(p.id)->archived);
}

TEST_F(PatientCache, AReadThatOverlapsAWriteDoesNotCacheWhatItRead) {
    auto p = add("Anaïs");
    // The read fetches version 1; before it reaches the cache, a rename commits.
    slow.during_find = [&] { ASSERT_TRUE(rename(p, 1, "Anne-Sophie")); };
    auto overlapping = cache.find(p.id);
    ASSERT_TRUE(overlapping);
    EXPECT_EQ(overlapping->version, 1);  // it began before the write: fine to answer once
    auto next = cache.find(p.id);         // but it was not kept
    EXPECT_EQ(next->first_name, "Anne-Sophie");
    EXPECT_EQ(next->version, 2);
    EXPECT_EQ(metric("medisecure_cache_hits_total"), "0");
}

TEST_F(PatientCache, HoldsNoMoreThanItsCapacity) {
    auto a = add("Anaïs"), b = add("Bérénice"), c = add("Cécile");
    for (const auto* p : {&a, &b, &c, &a}) ASSERT_TRUE(cache.find(p->id));
    EXPECT_EQ(cache.size(), 2u);
    EXPECT_EQ(metric("medisecure_cache_entries"), "2");
    EXPECT_EQ(metric("medisecure_cache_hits_total"), "0");  // a was evicted by c before its second read
}

TEST_F(PatientCache, SearchResultsAreCachedUntilAnyPatientChanges) {
    auto a = add("Anaïs");
    PatientQuery q;
    q.terms = {"lefevre"};
    ASSERT_EQ(cache.search(q).size(), 1u);
    ASSERT_EQ(cache.search(q).size(), 1u);
    auto text = registry.render();
    EXPECT_NE(text.find("medisecure_cache_hits_total{cache=\"patient_search\"} 1\n"), std::string::npos) << text;
    // A new namesake must appear in the very next search…
    add("Bérénice");
    EXPECT_EQ(cache.search(q).size(), 2u);
    // …and a renamed patient must leave it.
    ASSERT_TRUE(service.update(secretary, a.id, 1, [] {
        PatientPatch p;
        p.last_name = "Martin";
        return p;
    }()));
    auto after = cache.search(q);
    ASSERT_EQ(after.size(), 1u);
    EXPECT_EQ(after[0].first_name, "Bérénice");
}
