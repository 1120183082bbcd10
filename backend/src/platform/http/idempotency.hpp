// SPDX-License-Identifier: Apache-2.0
// Idempotency-Key (IETF draft-ietf-httpapi-idempotency-key-header): a client that may send a
// creating request twice (a timeout, a backend that died mid-request, a retry through the load
// balancer) sends the same key both times; the change is made once and both get the same answer.
// The pipeline claims the key before the handler runs, stores the answer after it, and answers a
// repeat from the store. Keys are scoped to the signed-in user and kept 24 hours.
// Implementation: identity's SqlIdempotencyStore (the stored answers are sealed). Blocking: yes.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace medisecure::http {

/// What is kept of an answer to replay it.
struct StoredResponse {
    int status = 0;
    std::string content_type;
    std::vector<std::pair<std::string, std::string>> headers;  // Location, ETag
    std::string body;
};

enum class ClaimOutcome {
    claimed,      // first use: run the request, then complete() or release()
    replay,       // answered before: `stored` is the answer
    in_progress,  // the first request with this key is still running
    mismatch,     // the key was used for another request
};

struct Claim {
    ClaimOutcome outcome = ClaimOutcome::claimed;
    std::optional<StoredResponse> stored;
};

class IdempotencyStore {
public:
    virtual ~IdempotencyStore() = default;
    /// `scope`: the user and the key; `fingerprint`: the request's method, path, query and body.
    virtual Claim claim(const std::string& scope, const std::string& fingerprint, Timestamp now) = 0;
    virtual void complete(const std::string& scope, const StoredResponse& response) = 0;
    /// Forgets a claim whose request failed on the server's side (5xx, an exception): the client
    /// may retry with the same key.
    virtual void release(const std::string& scope) = 0;
    static constexpr std::chrono::hours kKeep{24};
    /// A claim still pending after this was left by a process that died mid-request: a retry
    /// takes it over instead of waiting 24 hours.
    static constexpr std::chrono::seconds kAbandoned{120};
};

}  // namespace medisecure::http
