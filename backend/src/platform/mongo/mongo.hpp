// SPDX-License-Identifier: Apache-2.0
// MongoDB through the C driver (libmongoc): a pool of clients per context database, majority
// reads and writes, and multi-document transactions retried, bounded and with jitter, on the
// driver's TransientTransactionError and UnknownTransactionCommitResult labels. Stores build
// their documents with Bson and run their operations on a Connection: a leased client, inside a
// transaction with its session. Blocking: yes, call from the worker pool. Thread safety: Pool is
// safe; a Connection belongs to one thread for one read or one transaction.
#pragma once

#include "core/error.hpp"

#include <bson/bson.h>
#include <cstdint>
#include <functional>
#include <mongoc/mongoc.h>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace medisecure::mongo {

/// mongodb://… or mongodb+srv://…
bool is_mongodb_url(std::string_view url);

struct MongoUrl {
    std::string url;       // as configured (holds the password)
    std::string redacted;  // safe to print: the password replaced by ***
    std::string database;  // the path of the URL: every context has a database of its own
    std::string hosts;     // host:port,… as written (for logs and the connection budget)
};
/// Accepts mongodb:// and mongodb+srv:// URLs that name a database.
Result<MongoUrl> parse_url(std::string_view url);

/// A failed operation: the driver's error domain and code, the server's error labels, and a
/// message cut before the first `{` (MongoDB quotes the offending key's value after it).
class Error : public std::runtime_error {
public:
    Error(const bson_error_t& e, const bson_t* reply);
    std::uint32_t domain() const { return domain_; }
    std::uint32_t code() const { return code_; }
    bool has_label(const std::string& label) const { return labels_.count(label) > 0; }
    bool duplicate_key() const { return code_ == 11000; }
    /// Marks the error as one that running the transaction again may cure.
    void add_label(const std::string& label) { labels_.insert(label); }

private:
    std::uint32_t domain_;
    std::uint32_t code_;
    std::set<std::string> labels_;
};

/// An owned BSON document.
class Bson {
public:
    Bson() : doc_(bson_new()) {}
    /// A copy of a document the driver owns (a cursor's current document, a reply).
    explicit Bson(const bson_t* borrowed) : doc_(bson_copy(borrowed)) {}
    ~Bson();
    Bson(Bson&& other) noexcept : doc_(std::exchange(other.doc_, nullptr)) {}
    Bson& operator=(Bson&& other) noexcept;
    Bson(const Bson&) = delete;
    Bson& operator=(const Bson&) = delete;

    Bson& add(const char* key, std::string_view v);
    Bson& add(const char* key, const char* v) { return add(key, std::string_view(v)); }
    Bson& add(const char* key, const std::string& v) { return add(key, std::string_view(v)); }
    Bson& add(const char* key, std::int64_t v);
    Bson& add(const char* key, int v) { return add(key, static_cast<std::int64_t>(v)); }
    Bson& add(const char* key, bool v);
    Bson& add(const char* key, const Bson& sub);  // a sub-document
    Bson& add_array(const char* key, const std::vector<Bson>& items);
    Bson& add_array(const char* key, const std::vector<std::string>& items);
    /// Appends every field of `other`.
    Bson& append(const Bson& other);

    /// Readers: a missing field (or one of another type) reads as empty, 0 or false.
    std::string str(const char* key) const;
    std::int64_t int64(const char* key) const;  // int32, int64 or double
    bool flag(const char* key) const;
    std::vector<Bson> array(const char* key) const;  // the sub-documents of an array
    bool has(const char* key) const;

    const bson_t* get() const { return doc_; }
    bson_t* get() { return doc_; }
    std::string json() const;  // canonical extended JSON, for checksums and tests

private:
    bson_t* doc_;  // heap-allocated, so that a move is a pointer's
};

/// Options of a find: sort keys (1 ascending, -1 descending) and a limit (0: none).
struct FindOptions {
    std::vector<std::pair<std::string, int>> sort;
    std::int64_t limit = 0;
};

/// One leased client (and, inside a transaction, its session): the operations stores use.
/// Each throws Error when the driver or the server reports a failure.
class Connection {
public:
    Connection(mongoc_client_t* client, const std::string& database,
               mongoc_client_session_t* session)
        : client_(client), database_(database), session_(session) {}

    void insert_one(const char* collection, const Bson& doc);
    /// How many documents matched the filter (an upserted one counts).
    std::int64_t update_one(const char* collection, const Bson& filter, const Bson& update,
                            bool upsert = false);
    std::int64_t delete_one(const char* collection, const Bson& filter) {
        return remove(collection, filter, true);
    }
    std::int64_t delete_many(const char* collection, const Bson& filter) {
        return remove(collection, filter, false);
    }
    std::vector<Bson> find(const char* collection, const Bson& filter,
                           const FindOptions& options = {});
    std::int64_t count(const char* collection, const Bson& filter);
    /// Runs a database command and returns the server's reply.
    Bson command(const Bson& command);

private:
    std::int64_t remove(const char* collection, const Bson& filter, bool just_one);
    /// `opts` with this connection's session appended, when there is one.
    Bson with_session(Bson opts) const;
    mongoc_collection_t* collection(const char* name) const;

    mongoc_client_t* client_;
    const std::string& database_;
    mongoc_client_session_t* session_;
};

/// The clients of one context database: at most `size` connections, opened as needed.
class Pool {
public:
    /// Majority write concern everywhere; majority reads outside transactions and snapshot
    /// reads inside them. A URL without serverSelectionTimeoutMS gets 5 s, so that a server
    /// that is down fails requests (and readiness) fast instead of after the driver's 30 s.
    Pool(const MongoUrl& url, std::size_t size);
    ~Pool();
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    const MongoUrl& url() const { return url_; }
    std::size_t size() const { return size_; }
    /// True when the server answers `ping`.
    bool ping();

    /// Runs fn on a leased client, outside any transaction.
    void read(const std::function<void(Connection&)>& fn);
    /// Runs fn in one multi-document transaction and commits it, or aborts it when fn returns
    /// false or throws. A transaction that fails with TransientTransactionError (a write
    /// conflict with a concurrent transaction, a primary that stepped down) runs fn again,
    /// bounded and with jitter; a commit whose outcome is unknown is committed again. Returns
    /// whether fn's changes were committed.
    bool transaction(const std::function<bool(Connection&)>& fn);

    /// Drops the whole database (tests, each of which has a database of its own).
    void drop_database_for_test();

private:
    class Lease;
    static constexpr int kMaxAttempts = 25;
    enum class Attempt { committed, aborted, conflicted };
    Attempt attempt(mongoc_client_t* client, mongoc_client_session_t* session,
                    const std::function<bool(Connection&)>& fn);

    MongoUrl url_;
    std::size_t size_;
    mongoc_uri_t* uri_ = nullptr;
    mongoc_client_pool_t* pool_ = nullptr;
    mongoc_transaction_opt_t* txn_opts_ = nullptr;
};

}  // namespace medisecure::mongo
