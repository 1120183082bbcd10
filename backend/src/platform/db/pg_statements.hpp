// SPDX-License-Identifier: Apache-2.0
// PostgreSQL queries run straight through libpq, one round trip each: a query the server runs
// thousands of times a second is parsed and planned once per connection (a named prepared
// statement) and then only executed. SOCI's own path prepares, executes and deallocates every
// query: three round trips. Each Database registers the connections it opens; a connection it
// did not open, or one behind a transaction pooler (PgBouncer in transaction mode keeps no
// statement from one transaction to the next), runs each query as an unnamed statement, still
// in one round trip. Internal to platform/db.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>

#include <libpq-fe.h>

namespace soci {
class session;
}

namespace medisecure::db::detail {

/// The native connection under a SOCI session on PostgreSQL; null on another engine.
PGconn* pg_conn(soci::session& sql);

/// Throws soci::postgresql_soci_error (with the SQLSTATE, so that retries and unique
/// violations are recognised as on SOCI's path) unless `res` succeeded; takes ownership of res.
void pg_check(PGconn* conn, PGresult* res, const char* what);

/// `:p1, :p2…` (as db::Query writes them) become `$1, $2…`; casts (`::`) and quoted text stay.
std::string pg_placeholders(const std::string& sql);

class PgStatements {
public:
    explicit PgStatements(PGconn* conn) : conn_(conn) {}
    PgStatements(const PgStatements&) = delete;
    PgStatements& operator=(const PgStatements&) = delete;

    /// The name of the statement prepared for `sql` (written with :pN) on this connection,
    /// preparing it on first use. Throws when PostgreSQL refuses it.
    const std::string& prepared(const std::string& sql);

    /// Registry by connection: the statements of `conn`, or null (then: unnamed statements).
    static PgStatements* of(PGconn* conn);
    static void attach(PGconn* conn);
    static void detach(PGconn* conn);

private:
    static constexpr std::size_t kMaxStatements = 512;
    PGconn* conn_;
    std::unordered_map<std::string, std::string> names_;  // query text -> statement name
    std::size_t next_ = 0;
};

}  // namespace medisecure::db::detail
