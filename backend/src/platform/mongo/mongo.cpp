// SPDX-License-Identifier: Apache-2.0
#include "platform/mongo/mongo.hpp"

#include "core/random.hpp"
#include "platform/log/log.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

namespace medisecure::mongo {

namespace {

constexpr std::int32_t kServerSelectionTimeoutMs = 5000;
constexpr int kMaxCommitAttempts = 5;

/// The driver's own log lines, into ours: its warnings and errors only (its debug lines, one
/// per failed heartbeat while a server is down, would drown the log).
void driver_log(mongoc_log_level_t level, const char* domain, const char* message, void*) {
    if (level > MONGOC_LOG_LEVEL_WARNING) return;
    const auto ours = level == MONGOC_LOG_LEVEL_WARNING ? log::Level::warn : log::Level::error;
    log::write(ours, "mongodb.driver", {{"domain", domain}, {"message", message}});
}

void init_driver() {
    // The driver's global state (TLS, SASL, the handshake's metadata): once per process.
    static std::once_flag once;
    std::call_once(once, [] {
        mongoc_log_set_handler(driver_log, nullptr);
        mongoc_init();
    });
}

/// The reply a driver function initialised, destroyed on every path.
struct Reply {
    bson_t doc;
    ~Reply() { bson_destroy(&doc); }
};

void check(bool ok, const bson_error_t& error, const bson_t* reply) {
    if (!ok) throw Error(error, reply);
}

std::int64_t count_in(const bson_t* reply, const char* key) {
    bson_iter_t it;
    if (!bson_iter_init_find(&it, reply, key)) return 0;
    return BSON_ITER_HOLDS_INT32(&it) ? bson_iter_int32(&it) : bson_iter_as_int64(&it);
}

struct CollectionDeleter {
    void operator()(mongoc_collection_t* c) const { mongoc_collection_destroy(c); }
};
struct CursorDeleter {
    void operator()(mongoc_cursor_t* c) const { mongoc_cursor_destroy(c); }
};
struct SessionDeleter {
    // Ends the session; an open transaction is aborted first.
    void operator()(mongoc_client_session_t* s) const { mongoc_client_session_destroy(s); }
};
using CollectionPtr = std::unique_ptr<mongoc_collection_t, CollectionDeleter>;

void backoff(int attempt) {
    // Exponential with full jitter, 0..2^attempt ms, capped at 64 ms: concurrent bookings of
    // one practitioner retry spread out instead of colliding again in lock step.
    const unsigned cap = 1u << std::min(attempt, 6);
    std::this_thread::sleep_for(std::chrono::microseconds(random_u64() % (cap * 1000u)));
}

/// Appends `items` as an array under `key`; `put` writes one item under its index ("0", "1"…).
template <class Item, class Put>
void append_array(bson_t* doc, const char* key, const std::vector<Item>& items, Put put) {
    bson_t array;
    bson_append_array_begin(doc, key, -1, &array);
    char buf[16];
    for (std::uint32_t i = 0; i < items.size(); ++i) {
        const char* index = nullptr;
        bson_uint32_to_string(i, &index, buf, sizeof buf);
        put(&array, index, items[i]);
    }
    bson_append_array_end(doc, &array);
}

void abort_quietly(mongoc_client_session_t* session) noexcept {
    if (!mongoc_client_session_in_transaction(session)) return;
    bson_error_t ignored;
    mongoc_client_session_abort_transaction(session, &ignored);
}

}  // namespace

bool is_mongodb_url(std::string_view url) {
    return url.rfind("mongodb://", 0) == 0 || url.rfind("mongodb+srv://", 0) == 0;
}

Result<MongoUrl> parse_url(std::string_view url) {
    auto invalid = [](std::string detail) -> medisecure::Error {
        return {ErrorKind::invalid_input, "config.mongodb_url", std::move(detail)};
    };
    if (!is_mongodb_url(url)) return invalid("expected mongodb://… or mongodb+srv://…");
    MongoUrl out;
    out.url = std::string(url);
    const auto start = url.find("://") + 3;
    const auto slash = url.find('/', start);
    if (slash == std::string_view::npos)
        return invalid("name the database: mongodb://host:27017/medisecure_appointments");
    std::string_view authority = url.substr(start, slash - start);
    const auto query = url.find('?', slash);
    out.database = std::string(url.substr(
        slash + 1, query == std::string_view::npos ? std::string_view::npos : query - slash - 1));
    if (out.database.empty())
        return invalid("name the database: mongodb://host:27017/medisecure_appointments");
    out.redacted = out.url;
    if (auto at = authority.rfind('@'); at != std::string_view::npos) {
        out.hosts = std::string(authority.substr(at + 1));
        if (auto colon = authority.find(':'); colon != std::string_view::npos && colon < at)
            out.redacted.replace(start + colon + 1, at - colon - 1, "***");
    } else {
        out.hosts = std::string(authority);
    }
    return out;
}

Error::Error(const bson_error_t& e, const bson_t* reply)
    : std::runtime_error("mongodb error " + std::to_string(e.code) + ": " +
                         std::string(e.message).substr(0, std::string(e.message).find('{'))),
      domain_(e.domain), code_(e.code) {
    bson_iter_t it, label;
    if (reply && bson_iter_init_find(&it, reply, "errorLabels") && BSON_ITER_HOLDS_ARRAY(&it) &&
        bson_iter_recurse(&it, &label)) {
        while (bson_iter_next(&label))
            if (BSON_ITER_HOLDS_UTF8(&label)) labels_.insert(bson_iter_utf8(&label, nullptr));
    }
}

Bson::~Bson() {
    if (doc_) bson_destroy(doc_);
}

Bson& Bson::operator=(Bson&& other) noexcept {
    if (this != &other) {
        if (doc_) bson_destroy(doc_);
        doc_ = std::exchange(other.doc_, nullptr);
    }
    return *this;
}

Bson& Bson::add(const char* key, std::string_view v) {
    bson_append_utf8(doc_, key, -1, v.data(), static_cast<int>(v.size()));
    return *this;
}

Bson& Bson::add(const char* key, std::int64_t v) {
    bson_append_int64(doc_, key, -1, v);
    return *this;
}

Bson& Bson::add(const char* key, bool v) {
    bson_append_bool(doc_, key, -1, v);
    return *this;
}

Bson& Bson::add(const char* key, const Bson& sub) {
    bson_append_document(doc_, key, -1, sub.get());
    return *this;
}

Bson& Bson::add_array(const char* key, const std::vector<Bson>& items) {
    append_array(doc_, key, items, [](bson_t* array, const char* index, const Bson& item) {
        bson_append_document(array, index, -1, item.get());
    });
    return *this;
}

Bson& Bson::add_array(const char* key, const std::vector<std::string>& items) {
    append_array(doc_, key, items, [](bson_t* array, const char* index, const std::string& item) {
        bson_append_utf8(array, index, -1, item.data(), static_cast<int>(item.size()));
    });
    return *this;
}

Bson& Bson::append(const Bson& other) {
    bson_concat(doc_, other.get());
    return *this;
}

std::string Bson::str(const char* key) const {
    bson_iter_t it;
    if (!bson_iter_init_find(&it, doc_, key) || !BSON_ITER_HOLDS_UTF8(&it)) return {};
    std::uint32_t len = 0;
    const char* s = bson_iter_utf8(&it, &len);
    return std::string(s, len);
}

std::int64_t Bson::int64(const char* key) const {
    bson_iter_t it;
    if (!bson_iter_init_find(&it, doc_, key)) return 0;
    // A server or a test double may store a small number as int32 or double.
    if (BSON_ITER_HOLDS_INT32(&it)) return bson_iter_int32(&it);
    if (BSON_ITER_HOLDS_INT64(&it)) return bson_iter_int64(&it);
    if (BSON_ITER_HOLDS_DOUBLE(&it)) return static_cast<std::int64_t>(bson_iter_double(&it));
    return 0;
}

bool Bson::flag(const char* key) const {
    bson_iter_t it;
    return bson_iter_init_find(&it, doc_, key) && bson_iter_as_bool(&it);
}

std::vector<Bson> Bson::array(const char* key) const {
    std::vector<Bson> out;
    bson_iter_t it, child;
    if (!bson_iter_init_find(&it, doc_, key) || !BSON_ITER_HOLDS_ARRAY(&it) ||
        !bson_iter_recurse(&it, &child))
        return out;
    while (bson_iter_next(&child)) {
        if (!BSON_ITER_HOLDS_DOCUMENT(&child)) continue;
        std::uint32_t len = 0;
        const std::uint8_t* data = nullptr;
        bson_iter_document(&child, &len, &data);
        bson_t sub;
        if (bson_init_static(&sub, data, len)) out.emplace_back(&sub);
    }
    return out;
}

bool Bson::has(const char* key) const {
    return bson_has_field(doc_, key);
}

std::string Bson::json() const {
    std::size_t len = 0;
    char* s = bson_as_canonical_extended_json(doc_, &len);
    std::string out(s, len);
    bson_free(s);
    return out;
}

// --- Connection ---

mongoc_collection_t* Connection::collection(const char* name) const {
    return mongoc_client_get_collection(client_, database_.c_str(), name);
}

Bson Connection::with_session(Bson opts) const {
    bson_error_t error;
    if (session_) check(mongoc_client_session_append(session_, opts.get(), &error), error, nullptr);
    return opts;
}

void Connection::insert_one(const char* name, const Bson& doc) {
    CollectionPtr c(collection(name));
    Reply reply;
    bson_error_t error;
    const bool ok = mongoc_collection_insert_one(c.get(), doc.get(), with_session(Bson()).get(),
                                                 &reply.doc, &error);
    check(ok, error, &reply.doc);
}

std::int64_t Connection::update_one(const char* name, const Bson& filter, const Bson& update,
                                    bool upsert) {
    CollectionPtr c(collection(name));
    Bson opts;
    if (upsert) opts.add("upsert", true);
    Reply reply;
    bson_error_t error;
    const bool ok =
        mongoc_collection_update_one(c.get(), filter.get(), update.get(),
                                     with_session(std::move(opts)).get(), &reply.doc, &error);
    check(ok, error, &reply.doc);
    return count_in(&reply.doc, "matchedCount") + count_in(&reply.doc, "upsertedCount");
}

std::int64_t Connection::remove(const char* name, const Bson& filter, bool just_one) {
    CollectionPtr c(collection(name));
    Reply reply;
    bson_error_t error;
    auto* remove = just_one ? mongoc_collection_delete_one : mongoc_collection_delete_many;
    const bool ok = remove(c.get(), filter.get(), with_session(Bson()).get(), &reply.doc, &error);
    check(ok, error, &reply.doc);
    return count_in(&reply.doc, "deletedCount");
}

std::vector<Bson> Connection::find(const char* name, const Bson& filter,
                                   const FindOptions& options) {
    Bson opts;
    if (!options.sort.empty()) {
        Bson sort;
        for (const auto& [field, direction] : options.sort)
            sort.add(field.c_str(), direction);
        opts.add("sort", sort);
    }
    if (options.limit > 0) opts.add("limit", options.limit);
    CollectionPtr c(collection(name));
    std::unique_ptr<mongoc_cursor_t, CursorDeleter> cursor(mongoc_collection_find_with_opts(
        c.get(), filter.get(), with_session(std::move(opts)).get(), nullptr));
    std::vector<Bson> out;
    const bson_t* doc = nullptr;
    while (mongoc_cursor_next(cursor.get(), &doc))
        out.emplace_back(doc);
    bson_error_t error;
    const bson_t* reply = nullptr;
    if (mongoc_cursor_error_document(cursor.get(), &error, &reply)) throw Error(error, reply);
    return out;
}

std::int64_t Connection::count(const char* name, const Bson& filter) {
    CollectionPtr c(collection(name));
    Reply reply;
    bson_error_t error;
    const std::int64_t n = mongoc_collection_count_documents(
        c.get(), filter.get(), with_session(Bson()).get(), nullptr, &reply.doc, &error);
    check(n >= 0, error, &reply.doc);
    return n;
}

Bson Connection::command(const Bson& command) {
    Reply reply;
    bson_error_t error;
    const bool ok =
        mongoc_client_command_with_opts(client_, database_.c_str(), command.get(), nullptr,
                                        with_session(Bson()).get(), &reply.doc, &error);
    check(ok, error, &reply.doc);
    return Bson(&reply.doc);
}

// --- Pool ---

class Pool::Lease {
public:
    explicit Lease(Pool& pool) : pool_(pool), client_(mongoc_client_pool_pop(pool.pool_)) {}
    ~Lease() { mongoc_client_pool_push(pool_.pool_, client_); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    mongoc_client_t* client() const { return client_; }

private:
    Pool& pool_;
    mongoc_client_t* client_;
};

Pool::Pool(const MongoUrl& url, std::size_t size)
    : url_(url), size_(std::max<std::size_t>(1, size)) {
    init_driver();
    bson_error_t error;
    uri_ = mongoc_uri_new_with_error(url_.url.c_str(), &error);
    if (!uri_) throw Error(error, nullptr);
    if (!mongoc_uri_has_option(uri_, MONGOC_URI_MAXPOOLSIZE))
        mongoc_uri_set_option_as_int32(uri_, MONGOC_URI_MAXPOOLSIZE,
                                       static_cast<std::int32_t>(size_));
    if (!mongoc_uri_has_option(uri_, MONGOC_URI_SERVERSELECTIONTIMEOUTMS))
        mongoc_uri_set_option_as_int32(uri_, MONGOC_URI_SERVERSELECTIONTIMEOUTMS,
                                       kServerSelectionTimeoutMs);
    // Acknowledged by a majority: a write the API confirmed survives the primary's failover.
    mongoc_write_concern_t* wc = mongoc_write_concern_new();
    mongoc_write_concern_set_w(wc, MONGOC_WRITE_CONCERN_W_MAJORITY);
    mongoc_uri_set_write_concern(uri_, wc);
    mongoc_read_concern_t* rc = mongoc_read_concern_new();
    mongoc_read_concern_set_level(rc, MONGOC_READ_CONCERN_LEVEL_MAJORITY);
    mongoc_uri_set_read_concern(uri_, rc);

    pool_ = mongoc_client_pool_new_with_error(uri_, &error);
    if (!pool_) {
        mongoc_write_concern_destroy(wc);
        mongoc_read_concern_destroy(rc);
        mongoc_uri_destroy(uri_);
        throw Error(error, nullptr);
    }
    mongoc_client_pool_set_error_api(pool_, MONGOC_ERROR_API_VERSION_2);
    mongoc_client_pool_set_appname(pool_, "medisecure");

    // Inside a transaction every read sees one snapshot, and the commit waits for a majority.
    mongoc_read_concern_t* snapshot = mongoc_read_concern_new();
    mongoc_read_concern_set_level(snapshot, MONGOC_READ_CONCERN_LEVEL_SNAPSHOT);
    txn_opts_ = mongoc_transaction_opts_new();
    mongoc_transaction_opts_set_read_concern(txn_opts_, snapshot);
    mongoc_transaction_opts_set_write_concern(txn_opts_, wc);
    mongoc_read_concern_destroy(snapshot);
    mongoc_write_concern_destroy(wc);
    mongoc_read_concern_destroy(rc);
}

Pool::~Pool() {
    mongoc_transaction_opts_destroy(txn_opts_);
    mongoc_client_pool_destroy(pool_);
    mongoc_uri_destroy(uri_);
}

bool Pool::ping() {
    try {
        read([](Connection& c) { c.command(Bson().add("ping", 1)); });
        return true;
    } catch (const Error&) {
        return false;
    }
}

void Pool::read(const std::function<void(Connection&)>& fn) {
    Lease lease(*this);
    Connection c(lease.client(), url_.database, nullptr);
    fn(c);
}

Pool::Attempt Pool::attempt(mongoc_client_t* client, mongoc_client_session_t* session,
                            const std::function<bool(Connection&)>& fn) {
    bson_error_t error;
    check(mongoc_client_session_start_transaction(session, txn_opts_, &error), error, nullptr);
    Connection c(client, url_.database, session);
    bool keep = false;
    try {
        keep = fn(c);
    } catch (...) {
        abort_quietly(session);
        throw;
    }
    if (!keep) {
        abort_quietly(session);
        return Attempt::aborted;
    }
    for (int commit = 1;; ++commit) {
        Reply reply;
        if (mongoc_client_session_commit_transaction(session, &reply.doc, &error))
            return Attempt::committed;
        Error failed(error, &reply.doc);
        // The commit may have been applied: committing again is safe and says which.
        if (failed.has_label("UnknownTransactionCommitResult") && commit < kMaxCommitAttempts)
            continue;
        if (failed.has_label("TransientTransactionError")) return Attempt::conflicted;
        throw failed;
    }
}

bool Pool::transaction(const std::function<bool(Connection&)>& fn) {
    Lease lease(*this);
    bson_error_t error;
    std::unique_ptr<mongoc_client_session_t, SessionDeleter> session(
        mongoc_client_start_session(lease.client(), nullptr, &error));
    if (!session) throw Error(error, nullptr);
    for (int attempt_no = 1;; ++attempt_no) {
        try {
            const Attempt outcome = attempt(lease.client(), session.get(), fn);
            if (outcome != Attempt::conflicted) return outcome == Attempt::committed;
        } catch (const Error& e) {
            if (!e.has_label("TransientTransactionError") || attempt_no >= kMaxAttempts) throw;
        }
        abort_quietly(session.get());
        if (attempt_no >= kMaxAttempts)
            throw std::runtime_error("mongodb: a transaction kept conflicting; given up");
        backoff(attempt_no);
    }
}

void Pool::drop_database_for_test() {
    read([](Connection& c) { c.command(Bson().add("dropDatabase", 1)); });
}

}  // namespace medisecure::mongo
