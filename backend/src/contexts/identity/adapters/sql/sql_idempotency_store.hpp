// SPDX-License-Identifier: Apache-2.0
// Idempotency keys in the identity database (they belong to a signed-in user, as sessions do).
// The stored answer is sealed with a key derived from the master key, bound to its scope: it may
// name a patient, and the identity database otherwise holds no patient data.
#pragma once

#include <atomic>
#include <memory>

#include "platform/crypto/sealed_box.hpp"
#include "platform/db/database.hpp"
#include "platform/http/idempotency.hpp"

namespace medisecure::identity {

class SqlIdempotencyStore final : public http::IdempotencyStore {
public:
    SqlIdempotencyStore(db::Database& db, std::string key32);
    http::Claim claim(const std::string& scope, const std::string& fingerprint, Timestamp now) override;
    void complete(const std::string& scope, const http::StoredResponse& response) override;
    void release(const std::string& scope) override;

private:
    /// Deletes rows older than kKeep, at most once a minute.
    void purge(Timestamp now);
    db::Database& db_;
    crypto::SealedBox box_;
    std::atomic<std::int64_t> last_purge_{0};
};

}  // namespace medisecure::identity
