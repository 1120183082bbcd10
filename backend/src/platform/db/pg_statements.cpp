// SPDX-License-Identifier: Apache-2.0
#include "platform/db/pg_statements.hpp"

#include <mutex>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

namespace medisecure::db::detail {

namespace {
std::mutex registry_mu;
std::unordered_map<PGconn*, std::unique_ptr<PgStatements>>& registry() {
    static std::unordered_map<PGconn*, std::unique_ptr<PgStatements>> r;
    return r;
}
}  // namespace

PGconn* pg_conn(soci::session& sql) {
    auto* be = sql.get_backend();
    if (!be || be->get_backend_name() != "postgresql") return nullptr;
    return static_cast<soci::postgresql_session_backend*>(be)->conn_;
}

void pg_check(PGconn* conn, PGresult* res, const char* what) {
    auto status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        PQclear(res);
        return;
    }
    std::string msg = std::string(what) + ": " + (res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string sqlstate = state ? state : "08006";  // no result at all: the connection failed
    PQclear(res);
    throw soci::postgresql_soci_error(msg, sqlstate.c_str());
}

std::string pg_placeholders(const std::string& sql) {
    std::string out;
    out.reserve(sql.size());
    for (std::size_t i = 0; i < sql.size(); ++i) {
        char c = sql[i];
        if (c == '\'') {  // a quoted literal, '' included, is copied as it is
            std::size_t end = i + 1;
            while (end < sql.size() && (sql[end] != '\'' || (end + 1 < sql.size() && sql[end + 1] == '\''))) {
                end += sql[end] == '\'' ? 2 : 1;
            }
            out.append(sql, i, end + 1 - i);
            i = end;
            continue;
        }
        if (c == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {  // a cast
            out += "::";
            ++i;
            continue;
        }
        if (c == ':' && i + 2 < sql.size() && sql[i + 1] == 'p' && sql[i + 2] >= '0' && sql[i + 2] <= '9') {
            out += '$';
            i += 2;
            while (i < sql.size() && sql[i] >= '0' && sql[i] <= '9') out += sql[i++];
            --i;
            continue;
        }
        out += c;
    }
    return out;
}

const std::string& PgStatements::prepared(const std::string& sql) {
    if (auto it = names_.find(sql); it != names_.end()) return it->second;
    if (names_.size() >= kMaxStatements) {
        // Statements built at run time (optional filters) are many but few are hot: start over.
        pg_check(conn_, PQexec(conn_, "DEALLOCATE ALL"), "deallocate");
        names_.clear();
    }
    std::string name = "ms" + std::to_string(next_++);
    pg_check(conn_, PQprepare(conn_, name.c_str(), pg_placeholders(sql).c_str(), 0, nullptr), "prepare");
    return names_.emplace(sql, std::move(name)).first->second;
}

PgStatements* PgStatements::of(PGconn* conn) {
    std::lock_guard lock(registry_mu);
    auto it = registry().find(conn);
    return it == registry().end() ? nullptr : it->second.get();
}

void PgStatements::attach(PGconn* conn) {
    std::lock_guard lock(registry_mu);
    registry()[conn] = std::make_unique<PgStatements>(conn);
}

void PgStatements::detach(PGconn* conn) {
    std::lock_guard lock(registry_mu);
    registry().erase(conn);
}

}  // namespace medisecure::db::detail
