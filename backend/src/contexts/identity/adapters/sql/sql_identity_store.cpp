// SPDX-License-Identifier: Apache-2.0
#include "contexts/identity/adapters/sql/sql_identity_store.hpp"

#include "platform/db/query.hpp"

namespace medisecure::identity {

namespace {

constexpr const char* kUserColumns =
    "id, email, display_name, role, patient_id, password_hash, active, totp_secret, totp_enabled, totp_last_step, "
    "password_changed_at, created_at, updated_at, version";

User user_from(const db::Row& r) {
    User u;
    u.id = db::as_string(r, 0);
    u.email = db::as_string(r, 1);
    u.display_name = db::as_string(r, 2);
    u.role = parse_role(db::as_string(r, 3)).value_or(Role::patient);
    u.patient_id = db::as_string(r, 4);
    u.password_hash = db::as_string(r, 5);
    u.active = db::as_int64(r, 6) != 0;
    u.totp_secret_sealed = db::as_string(r, 7);
    u.totp_enabled = db::as_int64(r, 8) != 0;
    u.totp_last_step = db::as_int64(r, 9);
    u.password_changed_at = from_micros(db::as_int64(r, 10));
    u.created_at = from_micros(db::as_int64(r, 11));
    u.updated_at = from_micros(db::as_int64(r, 12));
    u.version = db::as_int64(r, 13);
    return u;
}

Session session_from(const db::Row& r) {
    Session s;
    s.id = db::as_string(r, 0);
    s.user_id = db::as_string(r, 1);
    s.created_at = from_micros(db::as_int64(r, 2));
    s.last_used_at = from_micros(db::as_int64(r, 3));
    s.expires_at = from_micros(db::as_int64(r, 4));
    if (!db::is_null(r, 5)) s.revoked_at = from_micros(db::as_int64(r, 5));
    s.revoke_reason = db::as_string(r, 6);
    s.client_ip = db::as_string(r, 7);
    return s;
}

constexpr const char* kSessionColumns =
    "id, user_id, created_at, last_used_at, expires_at, revoked_at, revoke_reason, client_ip";

}  // namespace

Result<void> SqlIdentityStore::insert_user(const User& u) {
    try {
        return db_.write([&](soci::session& sql) -> Result<void> {
            int n = 0;
            sql << "SELECT count(*) FROM users WHERE email = :e", soci::use(u.email), soci::into(n);
            if (n > 0) return conflict("email_taken", "An account with this e-mail address exists.");
            if (!u.patient_id.empty()) {
                sql << "SELECT count(*) FROM users WHERE patient_id = :p", soci::use(u.patient_id), soci::into(n);
                if (n > 0) return conflict("patient_already_linked", "This patient record already has an account.");
            }
            db::Query q("INSERT INTO users (");
            q.sql(kUserColumns).sql(") VALUES (");
            q.bind(u.id).sql(", ").bind(u.email).sql(", ").bind(u.display_name).sql(", ");
            q.bind(std::string(to_string(u.role))).sql(", ");
            if (u.patient_id.empty()) q.sql("NULL");
            else q.bind(u.patient_id);
            q.sql(", ").bind(u.password_hash).sql(", ").bind(static_cast<long long>(u.active)).sql(", ");
            if (u.totp_secret_sealed.empty()) q.sql("NULL");
            else q.bind(u.totp_secret_sealed);
            q.sql(", ").bind(static_cast<long long>(u.totp_enabled)).sql(", ").bind(static_cast<long long>(u.totp_last_step));
            q.sql(", ").bind(static_cast<long long>(to_micros(u.password_changed_at)));
            q.sql(", ").bind(static_cast<long long>(to_micros(u.created_at)));
            q.sql(", ").bind(static_cast<long long>(to_micros(u.updated_at)));
            q.sql(", ").bind(static_cast<long long>(u.version)).sql(")");
            q.execute(sql);
            return {};
        });
    } catch (const std::exception&) {
        if (db::is_unique_violation(std::current_exception()))
            return conflict("email_taken", "An account with this e-mail address exists.");
        throw;
    }
}

std::optional<User> SqlIdentityStore::find_where(const std::string& column, const std::string& value) {
    std::optional<User> out;
    db::Query q(std::string("SELECT ") + kUserColumns + " FROM users WHERE " + column + " = ");
    q.bind(value);
    db_.read([&](soci::session& sql) { q.for_each(sql, [&](const db::Row& r) { out = user_from(r); }); });
    return out;
}

std::optional<User> SqlIdentityStore::find_user(const std::string& id) { return find_where("id", id); }

std::optional<User> SqlIdentityStore::find_user_by_email(const std::string& email) { return find_where("email", email); }

std::optional<User> SqlIdentityStore::find_user_by_patient(const std::string& patient_id) {
    return find_where("patient_id", patient_id);
}

Result<void> SqlIdentityStore::update_user(const User& u) {
    try {
        return db_.write([&](soci::session& sql) -> Result<void> {
            db::Query q("UPDATE users SET email = ");
            q.bind(u.email).sql(", display_name = ").bind(u.display_name);
            q.sql(", role = ").bind(std::string(to_string(u.role))).sql(", patient_id = ");
            if (u.patient_id.empty()) q.sql("NULL");
            else q.bind(u.patient_id);
            q.sql(", password_hash = ").bind(u.password_hash).sql(", active = ").bind(static_cast<long long>(u.active));
            q.sql(", totp_secret = ");
            if (u.totp_secret_sealed.empty()) q.sql("NULL");
            else q.bind(u.totp_secret_sealed);
            q.sql(", totp_enabled = ").bind(static_cast<long long>(u.totp_enabled));
            q.sql(", totp_last_step = ").bind(static_cast<long long>(u.totp_last_step));
            q.sql(", password_changed_at = ").bind(static_cast<long long>(to_micros(u.password_changed_at)));
            q.sql(", updated_at = ").bind(static_cast<long long>(to_micros(u.updated_at)));
            q.sql(", version = ").bind(static_cast<long long>(u.version));
            q.sql(" WHERE id = ").bind(u.id).sql(" AND version = ").bind(static_cast<long long>(u.version - 1));
            if (q.execute(sql) != 1)
                return Error{ErrorKind::precondition_failed, "stale_version", "The account was changed meanwhile; reload it."};
            return {};
        });
    } catch (const std::exception&) {
        if (db::is_unique_violation(std::current_exception()))
            return conflict("patient_already_linked", "This patient record already has an account.");
        throw;
    }
}

std::vector<User> SqlIdentityStore::list_users(const UserFilter& f) {
    db::Query q(std::string("SELECT ") + kUserColumns + " FROM users WHERE 1 = 1");
    if (f.role) q.sql(" AND role = ").bind(std::string(to_string(*f.role)));
    if (f.active) q.sql(" AND active = ").bind(static_cast<long long>(*f.active));
    if (!f.email_prefix.empty()) {
        // A range on the unique index instead of LIKE, whose escaping differs per dialect.
        q.sql(" AND email >= ").bind(f.email_prefix).sql(" AND email < ").bind(f.email_prefix + "\x7f");
    }
    if (!f.after_email.empty()) q.sql(" AND email > ").bind(f.after_email);
    q.sql(" ORDER BY email LIMIT ").bind(static_cast<long long>(f.limit));
    std::vector<User> out;
    db_.read([&](soci::session& sql) { q.for_each(sql, [&](const db::Row& r) { out.push_back(user_from(r)); }); });
    return out;
}

std::int64_t SqlIdentityStore::count_users() {
    return db_.read([&](soci::session& sql) {
        long long n = 0;
        sql << "SELECT count(*) FROM users", soci::into(n);
        return static_cast<std::int64_t>(n);
    });
}

std::int64_t SqlIdentityStore::count_active_admins() {
    return db_.read([&](soci::session& sql) {
        long long n = 0;
        sql << "SELECT count(*) FROM users WHERE role = 'admin' AND active = 1", soci::into(n);
        return static_cast<std::int64_t>(n);
    });
}

std::map<std::string, std::string> SqlIdentityStore::display_names(const std::set<std::string>& ids) {
    std::map<std::string, std::string> out;
    if (ids.empty()) return out;
    db::Query q("SELECT id, display_name FROM users WHERE id IN (");
    bool first = true;
    for (const auto& id : ids) {
        if (!first) q.sql(", ");
        q.bind(id);
        first = false;
    }
    q.sql(")");
    db_.read([&](soci::session& sql) {
        q.for_each(sql, [&](const db::Row& r) { out[db::as_string(r, 0)] = db::as_string(r, 1); });
    });
    return out;
}

void SqlIdentityStore::create_session(const Session& s, const RefreshToken& first) {
    db_.write([&](soci::session& sql) {
        long long created = to_micros(s.created_at), used = to_micros(s.last_used_at), exp = to_micros(s.expires_at);
        sql << "INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, revoked_at, revoke_reason, "
               "client_ip) VALUES (:id, :u, :c, :l, :e, NULL, NULL, :ip)",
            soci::use(s.id), soci::use(s.user_id), soci::use(created), soci::use(used), soci::use(exp),
            soci::use(s.client_ip);
        long long issued = to_micros(first.issued_at), texp = to_micros(first.expires_at);
        sql << "INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at, used_at) VALUES (:h, :s, "
               ":i, :e, NULL)",
            soci::use(first.hash), soci::use(s.id), soci::use(issued), soci::use(texp);
    });
}

std::optional<Session> SqlIdentityStore::load_session(soci::session& sql, const std::string& id) {
    std::optional<Session> out;
    db::Query q(std::string("SELECT ") + kSessionColumns + " FROM sessions WHERE id = ");
    q.bind(id);
    q.for_each(sql, [&](const db::Row& r) { out = session_from(r); });
    return out;
}

RotateResult SqlIdentityStore::rotate(const std::string& token_hash, const RefreshToken& next, Timestamp now) {
    const bool pg = db_.dialect() == db::Dialect::postgresql;
    return db_.write([&](soci::session& sql) -> RotateResult {
        RotateResult out;
        std::string session_id;
        long long used_at = 0, expires_at = 0;
        soci::indicator used_ind = soci::i_null;
        sql << (pg ? "SELECT session_id, used_at, expires_at FROM refresh_tokens WHERE token_hash = :h FOR UPDATE"
                   : "SELECT session_id, used_at, expires_at FROM refresh_tokens WHERE token_hash = :h"),
            soci::use(token_hash), soci::into(session_id), soci::into(used_at, used_ind), soci::into(expires_at);
        if (!sql.got_data()) return out;  // unknown
        auto session = load_session(sql, session_id);
        if (!session) return out;
        out.session = *session;
        long long now_us = to_micros(now);
        if (session->revoked_at) {
            out.status = RotateStatus::revoked;
            return out;
        }
        if (used_ind == soci::i_ok) {
            std::string reason = "refresh_reuse";
            sql << "UPDATE sessions SET revoked_at = :t, revoke_reason = :r WHERE id = :id", soci::use(now_us),
                soci::use(reason), soci::use(session_id);
            out.session.revoked_at = now;
            out.status = RotateStatus::reused;
            return out;
        }
        if (expires_at <= now_us || to_micros(session->expires_at) <= now_us) {
            out.status = RotateStatus::expired;
            return out;
        }
        sql << "UPDATE refresh_tokens SET used_at = :t WHERE token_hash = :h", soci::use(now_us), soci::use(token_hash);
        long long exp = to_micros(session->expires_at);
        sql << "INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at, used_at) VALUES (:h, :s, "
               ":i, :e, NULL)",
            soci::use(next.hash), soci::use(session_id), soci::use(now_us), soci::use(exp);
        sql << "UPDATE sessions SET last_used_at = :t WHERE id = :id", soci::use(now_us), soci::use(session_id);
        out.session.last_used_at = now;
        out.status = RotateStatus::rotated;
        return out;
    });
}

std::optional<Session> SqlIdentityStore::find_session(const std::string& id) {
    return db_.read([&](soci::session& sql) { return load_session(sql, id); });
}

std::optional<Session> SqlIdentityStore::session_of_token(const std::string& token_hash) {
    return db_.read([&](soci::session& sql) -> std::optional<Session> {
        std::string sid;
        sql << "SELECT session_id FROM refresh_tokens WHERE token_hash = :h", soci::use(token_hash), soci::into(sid);
        if (!sql.got_data()) return std::nullopt;
        return load_session(sql, sid);
    });
}

void SqlIdentityStore::revoke_session(const std::string& id, Timestamp now, const std::string& reason) {
    db_.write([&](soci::session& sql) {
        long long t = to_micros(now);
        sql << "UPDATE sessions SET revoked_at = :t, revoke_reason = :r WHERE id = :id AND revoked_at IS NULL",
            soci::use(t), soci::use(reason), soci::use(id);
    });
}

std::vector<std::string> SqlIdentityStore::revoke_user_sessions(const std::string& user_id, Timestamp now,
                                                                const std::string& reason, const std::string& keep) {
    return db_.write([&](soci::session& sql) {
        std::vector<std::string> ids;
        long long t = to_micros(now);
        db::Query q("SELECT id FROM sessions WHERE user_id = ");
        q.bind(user_id).sql(" AND revoked_at IS NULL AND expires_at > ").bind(t).sql(" AND id <> ").bind(keep);
        q.for_each(sql, [&](const db::Row& r) { ids.push_back(db::as_string(r, 0)); });
        for (const auto& id : ids)
            sql << "UPDATE sessions SET revoked_at = :t, revoke_reason = :r WHERE id = :id", soci::use(t),
                soci::use(reason), soci::use(id);
        return ids;
    });
}

std::vector<std::string> SqlIdentityStore::revoked_since(Timestamp since) {
    std::vector<std::string> ids;
    db::Query q("SELECT id FROM sessions WHERE revoked_at >= ");
    q.bind(static_cast<long long>(to_micros(since)));
    db_.read([&](soci::session& sql) { q.for_each(sql, [&](const db::Row& r) { ids.push_back(db::as_string(r, 0)); }); });
    return ids;
}

Throttle SqlIdentityStore::throttle(const std::string& key) {
    return db_.read([&](soci::session& sql) {
        Throttle t;
        long long failures = 0, start = 0, locked = 0;
        sql << "SELECT failures, window_start, locked_until FROM login_throttle WHERE key = :k", soci::use(key),
            soci::into(failures), soci::into(start), soci::into(locked);
        if (sql.got_data()) {
            t.failures = static_cast<int>(failures);
            t.window_start = from_micros(start);
            t.locked_until = from_micros(locked);
        }
        return t;
    });
}

Throttle SqlIdentityStore::record_failure(const std::string& key, Timestamp now, int threshold,
                                          std::chrono::seconds window, std::chrono::seconds lock) {
    const bool pg = db_.dialect() == db::Dialect::postgresql;
    return db_.write([&](soci::session& sql) {
        Throttle t;
        long long failures = 0, start = 0, locked = 0;
        sql << (pg ? "SELECT failures, window_start, locked_until FROM login_throttle WHERE key = :k FOR UPDATE"
                   : "SELECT failures, window_start, locked_until FROM login_throttle WHERE key = :k"),
            soci::use(key), soci::into(failures), soci::into(start), soci::into(locked);
        long long now_us = to_micros(now);
        long long window_us = std::chrono::duration_cast<std::chrono::microseconds>(window).count();
        if (!sql.got_data() || now_us - start > window_us) {
            failures = 0;
            start = now_us;
        }
        failures += 1;
        if (failures >= threshold) {
            locked = now_us + std::chrono::duration_cast<std::chrono::microseconds>(lock).count();
            failures = 0;
            start = locked;  // the next window opens when the lock ends: `threshold` tries, no more
        }
        sql << "INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES (:k, :f, :s, :l) "
               "ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start, "
               "locked_until = excluded.locked_until",
            soci::use(key), soci::use(failures), soci::use(start), soci::use(locked);
        t.failures = static_cast<int>(failures);
        t.window_start = from_micros(start);
        t.locked_until = from_micros(locked);
        return t;
    });
}

void SqlIdentityStore::clear_throttle(const std::string& key) {
    db_.write([&](soci::session& sql) { sql << "DELETE FROM login_throttle WHERE key = :k", soci::use(key); });
}

void SqlIdentityStore::clear_throttles(const std::string& key) {
    // "<key>|…" is the range ["<key>|", "<key>}"): '}' follows '|' in byte order, and a range
    // needs no escaping of the LIKE wildcards an e-mail address may hold.
    const std::string from = key + "|", to = key + "}";
    db_.write([&](soci::session& sql) {
        sql << "DELETE FROM login_throttle WHERE key = :k OR (key >= :f AND key < :t)", soci::use(key), soci::use(from),
            soci::use(to);
    });
}

}  // namespace medisecure::identity
