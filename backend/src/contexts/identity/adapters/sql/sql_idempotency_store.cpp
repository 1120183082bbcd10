// SPDX-License-Identifier: Apache-2.0
#include "contexts/identity/adapters/sql/sql_idempotency_store.hpp"

#include <boost/json.hpp>

#include "platform/db/query.hpp"

namespace medisecure::identity {
namespace json = boost::json;

namespace {

std::string encode(const http::StoredResponse& r) {
    json::array headers;
    for (const auto& [k, v] : r.headers) headers.push_back(json::array{json::string(k), json::string(v)});
    return json::serialize(json::object{
        {"status", r.status}, {"content_type", r.content_type}, {"headers", std::move(headers)}, {"body", r.body}});
}

std::optional<http::StoredResponse> decode(const std::string& text) {
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (ec || !v.is_object()) return std::nullopt;
    http::StoredResponse r;
    r.status = static_cast<int>(v.at("status").to_number<std::int64_t>());
    r.content_type = std::string(v.at("content_type").as_string());
    for (const auto& h : v.at("headers").as_array())
        r.headers.emplace_back(std::string(h.at(0).as_string()), std::string(h.at(1).as_string()));
    r.body = std::string(v.at("body").as_string());
    return r;
}

}  // namespace

SqlIdempotencyStore::SqlIdempotencyStore(db::Database& db, std::string key32) : db_(db), box_(std::move(key32)) {}

void SqlIdempotencyStore::purge(Timestamp now) {
    const auto now_us = static_cast<std::int64_t>(to_micros(now));
    auto last = last_purge_.load();
    if (now_us - last < 60'000'000 || !last_purge_.compare_exchange_strong(last, now_us)) return;
    const auto before = now_us - std::chrono::duration_cast<std::chrono::microseconds>(kKeep).count();
    db_.write([&](soci::session& sql) {
        db::Query("DELETE FROM idempotency_keys WHERE created_at < ").bind(static_cast<long long>(before)).execute(sql);
    });
}

http::Claim SqlIdempotencyStore::claim(const std::string& scope, const std::string& fingerprint, Timestamp now) {
    purge(now);
    const auto now_us = static_cast<long long>(to_micros(now));
    const auto oldest = now_us - std::chrono::duration_cast<std::chrono::microseconds>(kKeep).count();
    // A claim still pending this long was left by a process that died with its request (a
    // request runs after its whole body has arrived, and far within this): the retry may take it.
    const auto abandoned = now_us - std::chrono::duration_cast<std::chrono::microseconds>(kAbandoned).count();
    return db_.write([&](soci::session& sql) {
        // The first to insert claims the key; the others read what it left. A row older than
        // kKeep is taken over (the key is free again), and so is a claim abandoned pending; a
        // live one never is, also when two requests race (PostgreSQL re-checks the condition on
        // the row the other committed).
        const auto inserted = db::Query("INSERT INTO idempotency_keys (scope, fingerprint, state, response, created_at) "
                                        "VALUES (")
                                  .bind(scope)
                                  .sql(", ")
                                  .bind(fingerprint)
                                  .sql(", 'pending', '', ")
                                  .bind(now_us)
                                  .sql(") ON CONFLICT (scope) DO UPDATE SET fingerprint = excluded.fingerprint, state = "
                                       "'pending', response = '', created_at = excluded.created_at WHERE "
                                       "idempotency_keys.created_at < ")
                                  .bind(oldest)
                                  .sql(" OR (idempotency_keys.state = 'pending' AND idempotency_keys.created_at < ")
                                  .bind(abandoned)
                                  .sql(")")
                                  .execute(sql);
        http::Claim c;
        if (inserted == 1) return c;
        std::string stored_fingerprint, state, sealed;
        db::Query("SELECT fingerprint, state, response FROM idempotency_keys WHERE scope = ")
            .bind(scope)
            .for_each(sql, [&](const db::Row& r) {
                stored_fingerprint = db::as_string(r, 0);
                state = db::as_string(r, 1);
                sealed = db::as_string(r, 2);
            });
        if (stored_fingerprint != fingerprint) c.outcome = http::ClaimOutcome::mismatch;
        else if (state != "done") c.outcome = http::ClaimOutcome::in_progress;
        else if (auto plain = box_.open(sealed, scope)) {
            c.outcome = http::ClaimOutcome::replay;
            c.stored = decode(*plain);
            if (!c.stored) c.outcome = http::ClaimOutcome::in_progress;  // unreadable: never replay garbage
        } else {
            c.outcome = http::ClaimOutcome::in_progress;
        }
        return c;
    });
}

void SqlIdempotencyStore::complete(const std::string& scope, const http::StoredResponse& response) {
    const std::string sealed = box_.seal(encode(response), scope);
    db_.write([&](soci::session& sql) {
        db::Query("UPDATE idempotency_keys SET state = 'done', response = ")
            .bind(sealed)
            .sql(" WHERE scope = ")
            .bind(scope)
            .execute(sql);
    });
}

void SqlIdempotencyStore::release(const std::string& scope) {
    db_.write([&](soci::session& sql) {
        db::Query("DELETE FROM idempotency_keys WHERE scope = ").bind(scope).sql(" AND state = 'pending'").execute(sql);
    });
}

}  // namespace medisecure::identity
