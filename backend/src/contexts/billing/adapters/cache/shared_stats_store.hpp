// SPDX-License-Identifier: Apache-2.0
// The billing statistics (the dashboard's, and the revenue reports') in the cache every
// instance shares (the Cache port on Redis). Every other operation goes to the inner store.
//
// Keys: `bs:<from>:<to>` (dates YYYY-MM-DD) the rows of a period, `bs:g` a generation token
// that validates them all (platform/cache/shared_read_through.hpp): a cached value is served
// only while the generation that was current when its database read began still is. Every
// write replaces the generation after its commit, rollback or exception, before it returns
// (so before its HTTP response): once an invoice is issued or a payment recorded on one
// instance, no instance serves statistics that precede it. Nothing else changes the invoices
// and payments the statistics read: SqlBillingStore changes them only through write().
//
// When the cache cannot be reached, the statistics are read from the database. A write whose
// invalidation fails leaves the generation pending here: until it is applied (retried at the
// start of each later call) this instance reads past the cache; another instance that still
// reaches Redis may serve what it cached before the write for at most `ttl` (5 minutes).
//
// Values are sealed (XChaCha20-Poly1305, bound to their key). Blocking: yes (the cache and the
// inner store). Thread safety: safe. PHI: no (amounts and counts by practitioner, month and
// payment method; sealed all the same, being the practice's accounts).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "contexts/billing/ports/billing_store.hpp"
#include "platform/cache/shared_read_through.hpp"

namespace medisecure::billing {

class SharedStatsBillingStore final : public BillingStore {
public:
    static constexpr std::chrono::seconds kTtl{std::chrono::minutes{5}};

    /// `seal_key32`: 32 bytes, derived from the master key for this use only. `ttl`: of the
    /// statistics of a period (the generation token is kept a day).
    SharedStatsBillingStore(BillingStore& inner, Cache& cache, std::string seal_key32, metrics::Registry& registry,
                            std::chrono::seconds ttl = kTtl);

    Result<void> write(const std::function<Result<void>(BillingUnit&)>& fn) override;
    std::optional<Act> find_act(const std::string& code) override { return inner_.find_act(code); }
    std::vector<Act> search_acts(const ActQuery& q) override { return inner_.search_acts(q); }
    std::int64_t count_acts() override { return inner_.count_acts(); }
    std::optional<Invoice> find_invoice(const std::string& id) override { return inner_.find_invoice(id); }
    std::vector<Invoice> list_invoices(const InvoiceQuery& q) override { return inner_.list_invoices(q); }
    StatsRows stats(const Date& from, const Date& to) override;
    bool ping() override { return inner_.ping(); }

    /// Token keys whose invalidation has not reached the cache yet (while any: reads bypass it).
    std::size_t pending_invalidations() { return shared_.pending_invalidations(); }

private:
    BillingStore& inner_;
    SharedReadThrough shared_;
    SharedReadThrough::Family stats_;
};

/// Statistics rows as JSON for the cache, every field kept: what is decoded equals what was
/// encoded. nullopt for anything that is not exactly what the encoder writes.
std::string encode_stats_rows(const StatsRows& rows);
std::optional<StatsRows> decode_stats_rows(std::string_view text);

}  // namespace medisecure::billing
