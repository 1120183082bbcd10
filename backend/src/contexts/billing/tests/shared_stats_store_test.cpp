// SPDX-License-Identifier: Apache-2.0
// The billing statistics in the shared cache: two SharedStatsBillingStore over one SQLite store
// and one in-process cache model two instances sharing a database and a Redis. What one writes
// the other never reads stale; values are sealed; a cache that cannot be reached is read past,
// and the invalidations it missed are applied when it is back. And the rows' codec.
#include <gtest/gtest.h>

#include "contexts/billing/adapters/cache/shared_stats_store.hpp"
#include "contexts/billing/app/act_catalogue.hpp"
#include "contexts/billing/app/invoice_service.hpp"
#include "contexts/billing/tests/billing_fixture.hpp"
#include "platform/crypto/digest.hpp"
#include "shared_cache_testing.hpp"

using namespace medisecure;
using namespace medisecure::billing;
using namespace medisecure::billing::sql_testing;

namespace {

const std::string kLabel = "cache=\"billing_stats_shared\"";
const std::string kNovember = "bs:2026-11-01:2026-11-30";

/// Instance A reaches the shared cache through `link` (which the test may cut), B directly.
struct SharedStats : ::testing::Test, SqlBilling, testkit::SharedCacheInstances {
    SharedStats() : SharedCacheInstances(clock) {}
    std::string seal_key = crypto::derive_key("a master key for the tests", "medisecure billing stats cache");
    SharedStatsBillingStore a{store, link, seal_key, registry_a};
    SharedStatsBillingStore b{store, redis, seal_key, registry_b};
    InvoiceService service_a{a, audit, clock, tz, directory(), PracticeInfo{}};
    InvoiceService service_b{b, audit, clock, tz, directory(), PracticeInfo{}};
    Caller accountant = testkit::caller_of(Role::accountant, "acc");
    Caller admin = testkit::caller_of(Role::admin, "adm");

    static Directory directory() {
        Directory d;
        d.patient_exists = [](const std::string& id) { return id == kPatient; };
        d.is_practitioner = [](const std::string& id) { return id == kDoctor; };
        return d;
    }

    // The catalogue straight into the database: the cache starts empty, without a generation.
    void SetUp() override {
        ActCatalogue acts{store, audit, clock};
        ASSERT_GT(acts.seed_if_empty(starter_acts_csv()), 10);
    }

    /// A consultation (30 €) issued through `service`.
    InvoiceView issue(InvoiceService& service) {
        clock.advance(std::chrono::seconds(1));
        NewInvoice in;
        in.patient_id = kPatient;
        in.practitioner_id = kDoctor;
        in.lines = {LineInput{.code = "G"}};
        auto d = service.create(accountant, in);
        EXPECT_TRUE(d) << d.error().code;
        auto v = service.issue(accountant, d->invoice.id);
        EXPECT_TRUE(v) << v.error().code;
        return *v;
    }
    Payment pay(InvoiceService& service, const InvoiceView& v, Cents amount) {
        NewPayment p;
        p.method = PaymentMethod::cheque;
        p.amount_cents = amount;
        auto r = service.add_payment(accountant, v.invoice.id, p);
        EXPECT_TRUE(r) << r.error().code;
        return r->payment;
    }
    /// November's totals as `service` reads them.
    StatsLine november(InvoiceService& service) {
        auto s = service.stats(accountant, 2026, 11u);
        EXPECT_TRUE(s) << s.error().code;
        return s->totals;
    }
    static std::string metric(const metrics::Registry& r, const std::string& name, const std::string& labels = kLabel) {
        return testkit::metric(r, name, labels);
    }
};

}  // namespace

TEST_F(SharedStats, AnswersRepeatedStatisticsFromTheSharedCache) {
    auto v = issue(service_a);
    pay(service_a, v, 1000);
    EXPECT_EQ(november(service_a).issued_cents, 3000);  // from the database, filled
    auto through_b = november(service_b);               // filled by A, read by B
    EXPECT_EQ(through_b.issued_cents, 3000);
    EXPECT_EQ(through_b.collected_cents, 1000);
    EXPECT_EQ(through_b.outstanding_cents, 2000);
    EXPECT_EQ(november(service_a).invoice_count, 1);
    EXPECT_EQ(metric(registry_a, "medisecure_cache_misses_total"), "1");
    EXPECT_EQ(metric(registry_a, "medisecure_cache_hits_total"), "1");
    EXPECT_EQ(metric(registry_b, "medisecure_cache_hits_total"), "1");
    EXPECT_EQ(metric(registry_b, "medisecure_cache_misses_total"), "0");
    // What the cache answers is what the database does.
    auto from = *parse_date("2026-11-01"), to = *parse_date("2026-11-30");
    EXPECT_EQ(encode_stats_rows(b.stats(from, to)), encode_stats_rows(store.stats(from, to)));
    EXPECT_EQ(metric(registry_b, "medisecure_cache_hits_total"), "2");
    // Another period is another entry.
    EXPECT_EQ(service_b.stats(accountant, 2026, std::nullopt)->totals.issued_cents, 3000);
    EXPECT_EQ(metric(registry_b, "medisecure_cache_misses_total"), "1");
    // Every other read goes to the database.
    EXPECT_EQ(b.find_invoice(v.invoice.id)->number, v.invoice.number);
    EXPECT_EQ(b.list_invoices({}).size(), 1u);
    EXPECT_TRUE(b.find_act("G"));
    EXPECT_EQ(b.count_acts(), store.count_acts());
    EXPECT_TRUE(b.ping());
}

TEST_F(SharedStats, WithoutAGenerationTheFirstReadPutsOneAndFillsNothing) {
    EXPECT_FALSE(redis.get("bs:g"));  // nothing written since the cache started
    for (int i = 0; i < 3; ++i) EXPECT_EQ(november(service_a).invoice_count, 0) << i;
    EXPECT_TRUE(redis.get("bs:g"));
    EXPECT_EQ(metric(registry_a, "medisecure_cache_misses_total"), "2");
    EXPECT_EQ(metric(registry_a, "medisecure_cache_hits_total"), "1");  // the third read
}

TEST_F(SharedStats, AnInvoiceOrAPaymentOnOneInstanceChangesTheStatisticsOfTheOtherAtOnce) {
    auto first = issue(service_a);
    ASSERT_EQ(november(service_b).issued_cents, 3000);  // cached by the instance that will read the change
    ASSERT_EQ(november(service_b).issued_cents, 3000);
    auto second = issue(service_a);
    EXPECT_EQ(november(service_b).issued_cents, 6000);
    auto payment = pay(service_a, first, 3000);
    auto seen = november(service_b);
    EXPECT_EQ(seen.collected_cents, 3000);
    EXPECT_EQ(seen.outstanding_cents, 3000);
    pay(service_b, second, 500);  // and the other way round
    EXPECT_EQ(november(service_a).collected_cents, 3500);
    EXPECT_EQ(november(service_a).collected_cents, 3500);
    ASSERT_TRUE(service_a.void_payment(admin, first.invoice.id, payment.id, "Chèque sans provision"));
    seen = november(service_b);
    EXPECT_EQ(seen.collected_cents, 500);
    EXPECT_EQ(seen.outstanding_cents, 6000 - 500);
    ASSERT_TRUE(service_b.cancel(accountant, first.invoice.id, "Erreur de cotation"));
    seen = november(service_a);
    EXPECT_EQ(seen.credited_cents, -3000);
    EXPECT_EQ(seen.credit_note_count, 1);
    EXPECT_EQ(seen.outstanding_cents, 3000 - 500);
    // Each change was read from the database first; the second reads came from the cache.
    EXPECT_EQ(metric(registry_a, "medisecure_cache_hits_total"), "1");
    EXPECT_EQ(metric(registry_b, "medisecure_cache_hits_total"), "1");
    EXPECT_EQ(metric(registry_a, "medisecure_cache_misses_total"), "2");
    EXPECT_EQ(metric(registry_b, "medisecure_cache_misses_total"), "4");
}

TEST_F(SharedStats, AReadThatOverlapsAWriteOnAnotherInstanceDoesNotCacheWhatItRead) {
    auto v = issue(service_a);
    // A reads the generation, then the database; before it fills the cache, B records a
    // payment, commits and replaces the generation.
    link.after_next_read = [&] { pay(service_b, v, 1200); };
    EXPECT_EQ(november(service_a).collected_cents, 0);  // it began before the write: fine to answer once
    ASSERT_FALSE(link.after_next_read);
    EXPECT_TRUE(redis.get(kNovember));  // filled, under the generation it read
    for (auto* instance : {&service_a, &service_b})  // but what it filled is never served
        EXPECT_EQ(november(*instance).collected_cents, 1200);
    EXPECT_EQ(metric(registry_a, "medisecure_cache_hits_total"), "0");
    EXPECT_EQ(metric(registry_b, "medisecure_cache_hits_total"), "1");  // what A's second read filled
}

TEST_F(SharedStats, SealsWhatItStoresToItsKey) {
    issue(service_a);
    ASSERT_EQ(november(service_a).issued_cents, 3000);
    auto stored = redis.get(kNovember);
    ASSERT_TRUE(stored);
    for (const std::string& clear : {kDoctor, std::string("2026-11"), std::string("invoice"), std::string("3000")})
        EXPECT_EQ(stored->find(clear), std::string::npos) << clear;
    // A value moved under another period's key does not open there: a miss, from the database.
    const std::string october = "bs:2026-10-01:2026-10-31";
    ASSERT_EQ(service_b.stats(accountant, 2026, 10u)->totals.issued_cents, 0);  // cached
    redis.put(october, *stored, std::chrono::seconds(60));
    EXPECT_EQ(service_b.stats(accountant, 2026, 10u)->totals.issued_cents, 0);
    EXPECT_EQ(metric(registry_b, "medisecure_cache_rejected_total"), "1");
    EXPECT_EQ(service_b.stats(accountant, 2026, 10u)->totals.issued_cents, 0);  // refilled
    EXPECT_EQ(metric(registry_b, "medisecure_cache_hits_total"), "1");
    // Nor does one sealed with another key.
    SharedStatsBillingStore other{
        store, redis, crypto::derive_key("another master key", "medisecure billing stats cache"), registry_b};
    InvoiceService service_other{other, audit, clock, tz, directory(), PracticeInfo{}};
    EXPECT_EQ(november(service_other).issued_cents, 3000);
    EXPECT_EQ(metric(registry_b, "medisecure_cache_rejected_total"), "2");
}

TEST_F(SharedStats, AnUnreachableCacheIsReadPastAndMissedInvalidationsAreAppliedWhenItIsBack) {
    auto v = issue(service_a);
    ASSERT_EQ(november(service_a).collected_cents, 0);  // cached
    ASSERT_EQ(november(service_b).collected_cents, 0);
    link.down = true;

    EXPECT_EQ(november(service_a).collected_cents, 0);  // from the database
    EXPECT_EQ(metric(registry_a, "medisecure_cache_fallbacks_total", "use=\"billing_stats\""), "1");
    pay(service_a, v, 700);  // committed; its invalidation failed
    EXPECT_EQ(metric(registry_a, "medisecure_cache_invalidation_failures_total"), "1");
    EXPECT_EQ(a.pending_invalidations(), 1u);
    EXPECT_EQ(metric(registry_a, "medisecure_cache_pending_invalidations"), "1");
    // A answers from the database meanwhile.
    EXPECT_EQ(november(service_a).collected_cents, 700);
    // The window that remains, documented: B, which reaches the cache, still serves what was
    // cached before the write, for at most the TTL.
    EXPECT_EQ(november(service_b).collected_cents, 0);

    // Back: the next call applies the pending invalidation before it reads.
    link.down = false;
    EXPECT_EQ(november(service_a).collected_cents, 700);
    EXPECT_EQ(a.pending_invalidations(), 0u);
    EXPECT_EQ(november(service_b).collected_cents, 700);
    EXPECT_EQ(november(service_a).collected_cents, 700);
    EXPECT_EQ(metric(registry_a, "medisecure_cache_hits_total"), "1");  // the cache is used again
}

TEST_F(SharedStats, TheWindowOfAnInstanceCutFromTheCacheIsBoundedByTheTtl) {
    auto v = issue(service_a);
    ASSERT_EQ(november(service_b).collected_cents, 0);
    link.down = true;
    pay(service_a, v, 700);
    EXPECT_EQ(november(service_b).collected_cents, 0);  // the window
    clock.advance(SharedStatsBillingStore::kTtl);
    EXPECT_EQ(november(service_b).collected_cents, 700);
}

namespace {
/// Every field of the rows, comparable and printable at once.
auto fields(const IssuedGroup& g) {
    return std::tie(g.practitioner_id, g.month, g.kind, g.count, g.total_cents, g.outstanding_cents);
}
auto fields(const CollectedGroup& g) { return std::tie(g.practitioner_id, g.month, g.method, g.count, g.amount_cents); }
template <class G> void expect_same(const std::vector<G>& got, const std::vector<G>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(fields(got[i]), fields(want[i])) << i;
}
}  // namespace

TEST(StatsRowsCodec, KeepsEveryField) {
    StatsRows rows;
    rows.issued = {{kDoctor, "2026-11", InvoiceKind::invoice, 12, 36'000, 4'250},
                   {"u-\"2\"\n", "2026-12", InvoiceKind::credit_note, 1, -3'000, 0},
                   {"", "", InvoiceKind::invoice, 0, 0, 0}};
    for (auto m : all_payment_methods())
        rows.collected.push_back({kDoctor, "2026-11", m, 3, 9'223'372'036'854'775'807});
    rows.collected.push_back({"Dr Lefèvre", "2026-01", PaymentMethod::card, -1, -42});
    auto text = encode_stats_rows(rows);
    auto back = decode_stats_rows(text);
    ASSERT_TRUE(back) << text;
    expect_same(back->issued, rows.issued);
    expect_same(back->collected, rows.collected);
    auto empty = decode_stats_rows(encode_stats_rows({}));
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->issued.empty());
    EXPECT_TRUE(empty->collected.empty());
}

TEST(StatsRowsCodec, RejectsWhatItDidNotWrite) {
    StatsRows rows;
    rows.issued = {{kDoctor, "2026-11", InvoiceKind::invoice, 1, 3000, 0}};
    rows.collected = {{kDoctor, "2026-11", PaymentMethod::card, 1, 3000}};
    auto text = encode_stats_rows(rows);
    ASSERT_TRUE(decode_stats_rows(text));
    auto replace = [&](const std::string& from, const std::string& to) {
        auto t = text;
        auto at = t.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        return at == std::string::npos ? t : t.replace(at, from.size(), to);
    };
    EXPECT_FALSE(decode_stats_rows("not json"));
    EXPECT_FALSE(decode_stats_rows("[]"));
    EXPECT_FALSE(decode_stats_rows(text.substr(0, text.size() - 1)));
    EXPECT_FALSE(decode_stats_rows(replace("\"kind\":\"invoice\"", "\"kind\":\"receipt\"")));
    EXPECT_FALSE(decode_stats_rows(replace("\"method\":\"card\"", "\"method\":\"barter\"")));
    EXPECT_FALSE(decode_stats_rows(replace("\"count\":1", "\"count\":\"1\"")));
    EXPECT_FALSE(decode_stats_rows(replace("\"amount_cents\":3000", "\"amount_cent\":3000")));
    EXPECT_FALSE(decode_stats_rows(replace("\"count\":1,", "")));
    EXPECT_FALSE(decode_stats_rows(replace("\"count\":1,", "\"count\":1,\"more\":2,")));
    EXPECT_FALSE(decode_stats_rows(replace("\"issued\":[", "\"issue\":[")));
}
