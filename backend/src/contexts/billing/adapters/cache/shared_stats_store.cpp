// SPDX-License-Identifier: Apache-2.0
#include "contexts/billing/adapters/cache/shared_stats_store.hpp"

#include <boost/json.hpp>

#include "platform/json/json_util.hpp"

namespace medisecure::billing {

namespace json = boost::json;

namespace {

const std::string kGeneration = "bs:g";

StatsRows from_json(const json::value& v) {
    using jsonu::exact_object, jsonu::required, jsonu::string_at;
    const auto& top = exact_object(v, 2);
    StatsRows out;
    for (const auto& item : top.at("issued").as_array()) {
        const auto& o = exact_object(item, 6);
        out.issued.push_back(IssuedGroup{string_at(o, "practitioner_id"), string_at(o, "month"),
                                         required(parse_invoice_kind(o.at("kind").as_string())),
                                         o.at("count").as_int64(), o.at("total_cents").as_int64(),
                                         o.at("outstanding_cents").as_int64()});
    }
    for (const auto& item : top.at("collected").as_array()) {
        const auto& o = exact_object(item, 5);
        out.collected.push_back(CollectedGroup{string_at(o, "practitioner_id"), string_at(o, "month"),
                                               required(parse_payment_method(o.at("method").as_string())),
                                               o.at("count").as_int64(), o.at("amount_cents").as_int64()});
    }
    return out;
}

}  // namespace

std::string encode_stats_rows(const StatsRows& rows) {
    json::array issued, collected;
    for (const auto& g : rows.issued)
        issued.push_back(json::object{{"practitioner_id", g.practitioner_id},
                                      {"month", g.month},
                                      {"kind", to_string(g.kind)},
                                      {"count", g.count},
                                      {"total_cents", g.total_cents},
                                      {"outstanding_cents", g.outstanding_cents}});
    for (const auto& g : rows.collected)
        collected.push_back(json::object{{"practitioner_id", g.practitioner_id},
                                         {"month", g.month},
                                         {"method", to_string(g.method)},
                                         {"count", g.count},
                                         {"amount_cents", g.amount_cents}});
    return json::serialize(json::object{{"issued", std::move(issued)}, {"collected", std::move(collected)}});
}

std::optional<StatsRows> decode_stats_rows(std::string_view text) {
    return jsonu::decode_exact<StatsRows>(text, [](const json::value& v) { return from_json(v); });
}

SharedStatsBillingStore::SharedStatsBillingStore(BillingStore& inner, Cache& cache, std::string seal_key32,
                                                 metrics::Registry& registry, std::chrono::seconds ttl)
    : inner_(inner), shared_(cache, std::move(seal_key32), registry, {"billing_stats_shared", "billing_stats"}),
      stats_(shared_.family("billing_stats_shared", ttl)) {}

Result<void> SharedStatsBillingStore::write(const std::function<Result<void>(BillingUnit&)>& fn) {
    shared_.flush_pending();
    // After the commit, the rollback or the exception alike, and before returning. A write that
    // changed no invoice or payment (the catalogue, a refused operation) drops the statistics
    // all the same: rare, and cheaper than telling them apart.
    struct Bump {
        SharedReadThrough& shared;
        ~Bump() { shared.bump({kGeneration}); }  // counted: one invalidation a write
    } bump{shared_};
    return inner_.write(fn);
}

StatsRows SharedStatsBillingStore::stats(const Date& from, const Date& to) {
    return shared_.read<StatsRows>(
        stats_, kGeneration, "bs:" + format_date(from) + ":" + format_date(to), [&] { return inner_.stats(from, to); },
        [](const StatsRows& rows) { return std::optional(encode_stats_rows(rows)); },
        [](std::string_view text) { return decode_stats_rows(text); });
}

}  // namespace medisecure::billing
