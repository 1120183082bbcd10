// SPDX-License-Identifier: Apache-2.0
#include "contexts/notifications/adapters/sql/sql_stores.hpp"

#include "core/random.hpp"
#include "platform/db/outbox.hpp"
#include "platform/db/query.hpp"

namespace medisecure::notifications {

namespace {

constexpr const char* kJobColumns =
    "id, type, payload, dedupe_key, owner_user_id, patient_id, status, attempts, max_attempts, run_at, lease_until, "
    "last_error, result, result_taken, created_at, updated_at";

JobRecord job_from(const db::Row& r) {
    JobRecord j;
    j.id = db::as_string(r, 0);
    j.type = db::as_string(r, 1);
    j.payload_json = db::as_string(r, 2);
    j.dedupe_key = db::as_string(r, 3);
    j.owner_user_id = db::as_string(r, 4);
    j.patient_id = db::as_string(r, 5);
    j.status = parse_job_status(db::as_string(r, 6)).value_or(JobStatus::dead);
    j.attempts = static_cast<int>(db::as_int64(r, 7));
    j.max_attempts = static_cast<int>(db::as_int64(r, 8));
    j.run_at = from_micros(db::as_int64(r, 9));
    j.lease_until = from_micros(db::as_int64(r, 10));
    j.last_error = db::as_string(r, 11);
    j.result_json = db::as_string(r, 12);
    j.result_taken = db::as_int64(r, 13) != 0;
    j.created_at = from_micros(db::as_int64(r, 14));
    j.updated_at = from_micros(db::as_int64(r, 15));
    return j;
}

/// Inserts the job unless its id or dedupe key is known; returns 1 when it was inserted, else 0.
long long insert_job(soci::session& sql, const std::string& id, const jobs::JobRequest& r, Timestamp created,
                     Timestamp now) {
    db::Query q(std::string("INSERT INTO jobs (") + kJobColumns + ") VALUES (");
    q.bind(id).sql(", ").bind(r.type).sql(", ").bind(r.payload_json).sql(", ").bind(r.dedupe_key).sql(", ");
    q.bind(r.owner_user_id).sql(", ").bind(r.patient_id).sql(", 'pending', 0, ");
    q.bind(static_cast<long long>(std::max(1, r.max_attempts))).sql(", ");
    q.bind(static_cast<long long>(to_micros(r.run_at.value_or(now)))).sql(", 0, '', '{}', 0, ");
    q.bind(static_cast<long long>(to_micros(created))).sql(", ").bind(static_cast<long long>(to_micros(now)));
    // Known ids and dedupe keys are skipped: relaying the same outbox row twice is harmless.
    q.sql(") ON CONFLICT DO NOTHING");
    return q.execute(sql);
}

}  // namespace

int SqlJobStore::import(const std::vector<jobs::QueuedRequest>& requests, Timestamp now) {
    if (requests.empty()) return 0;
    return db_.write([&](soci::session& sql) {
        // Counted by the rows each insert added, not by counting the table before and after
        // (which read every job ever run, twice a batch).
        long long added = 0;
        for (const auto& r : requests) added += insert_job(sql, r.id, r.request, r.created_at, now);
        return static_cast<int>(added);
    });
}

std::string SqlJobStore::enqueue(const jobs::JobRequest& r, Timestamp now) {
    std::string id = new_uuid_v7(now);
    db_.write([&](soci::session& sql) { insert_job(sql, id, r, now, now); });
    return id;
}

std::optional<JobRecord> SqlJobStore::claim(Timestamp now, Timestamp lease_until) {
    const bool pg = db_.dialect() == db::Dialect::postgresql;
    return db_.write([&](soci::session& sql) -> std::optional<JobRecord> {
        std::optional<JobRecord> job;
        // The earliest due job, else the earliest whose lease ran out (its worker died): two
        // index ranges of jobs_due (status, run_at), where one query with OR read every job ever
        // run. Several instances share the queue on PostgreSQL: each takes a different job.
        const long long t_now = to_micros(now);
        db::Query due(std::string("SELECT ") + kJobColumns +
                      " FROM jobs WHERE status IN ('pending', 'retrying') AND run_at <= ");
        due.bind(t_now).sql(" ORDER BY run_at, id LIMIT 1");
        db::Query expired(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE status = 'running' AND lease_until <= ");
        expired.bind(t_now).sql(" ORDER BY run_at, id LIMIT 1");
        for (auto* q : {&due, &expired}) {
            if (pg) q->sql(" FOR UPDATE SKIP LOCKED");
            q->for_each(sql, [&](const db::Row& r) { job = job_from(r); });
            if (job) break;
        }
        if (!job) return std::nullopt;
        long long lease = to_micros(lease_until), t = to_micros(now);
        sql << "UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_until = :l, updated_at = :t WHERE id = :id",
            soci::use(lease), soci::use(t), soci::use(job->id);
        job->status = JobStatus::running;
        job->attempts += 1;
        job->lease_until = lease_until;
        return job;
    });
}

std::optional<JobRecord> SqlJobStore::claim_id(const std::string& id, Timestamp now, Timestamp lease_until,
                                               Timestamp due_by) {
    return db_.write([&](soci::session& sql) -> std::optional<JobRecord> {
        // One statement: of two deliveries of one job racing on two instances, the row lock lets
        // one update it; the other finds it running and updates nothing.
        const long long t = to_micros(now);
        db::Query q("UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_until = ");
        q.bind(static_cast<long long>(to_micros(lease_until))).sql(", updated_at = ").bind(t);
        q.sql(" WHERE id = ").bind(id).sql(" AND ((status IN ('pending', 'retrying') AND run_at <= ");
        q.bind(static_cast<long long>(to_micros(due_by))).sql(") OR (status = 'running' AND lease_until <= ").bind(t);
        q.sql(")) RETURNING ").sql(kJobColumns);
        std::optional<JobRecord> job;
        q.for_each(sql, [&](const db::Row& r) { job = job_from(r); });
        return job;
    });
}

std::vector<JobRecord> SqlJobStore::take_undispatched(Timestamp now, Timestamp stale, int limit) {
    const bool pg = db_.dialect() == db::Dialect::postgresql;
    const long long t_now = to_micros(now), t_stale = to_micros(stale);
    db::Query due(std::string("SELECT ") + kJobColumns +
                  " FROM jobs WHERE status IN ('pending', 'retrying') AND run_at <= ");
    due.bind(t_now).sql(" AND (dispatched_at < run_at OR dispatched_at <= ").bind(t_stale);
    due.sql(") ORDER BY run_at, id LIMIT ").bind(static_cast<long long>(limit));
    db::Query expired(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE status = 'running' AND lease_until <= ");
    expired.bind(t_now).sql(" AND dispatched_at <= ").bind(t_stale);
    expired.sql(" ORDER BY run_at, id LIMIT ").bind(static_cast<long long>(limit));
    return db_.write([&](soci::session& sql) {
        // Taken in the transaction that marks them: two instances' relays hand each job over
        // once (SKIP LOCKED leaves one instance's rows to it on PostgreSQL).
        std::vector<JobRecord> out;
        for (auto* q : {&due, &expired}) {
            if (pg) q->sql(" FOR UPDATE SKIP LOCKED");
            q->for_each(sql, [&](const db::Row& r) { out.push_back(job_from(r)); });
        }
        if (!out.empty()) {
            db::Query mark("UPDATE jobs SET dispatched_at = ");
            mark.bind(t_now).sql(" WHERE id IN (");
            for (std::size_t i = 0; i < out.size(); ++i) {
                if (i) mark.sql(", ");
                mark.bind(out[i].id);
            }
            mark.sql(")").execute(sql);
        }
        return out;
    });
}

void SqlJobStore::mark_dispatched(const std::vector<std::string>& ids, Timestamp at) {
    if (ids.empty()) return;
    db_.write([&](soci::session& sql) {
        db::Query q("UPDATE jobs SET dispatched_at = ");
        q.bind(static_cast<long long>(to_micros(at))).sql(" WHERE id IN (");
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (i) q.sql(", ");
            q.bind(ids[i]);
        }
        q.sql(")");
        q.execute(sql);
    });
}

void SqlJobStore::succeed(const std::string& id, const std::string& result_json, Timestamp now) {
    db_.write([&](soci::session& sql) {
        long long t = to_micros(now);
        sql << "UPDATE jobs SET status = 'succeeded', result = :r, last_error = '', updated_at = :t WHERE id = :id",
            soci::use(result_json), soci::use(t), soci::use(id);
    });
}

void SqlJobStore::reschedule(const std::string& id, const std::string& error, Timestamp run_at, Timestamp now) {
    db_.write([&](soci::session& sql) {
        long long t = to_micros(now), r = to_micros(run_at);
        sql << "UPDATE jobs SET status = 'retrying', last_error = :e, run_at = :r, updated_at = :t WHERE id = :id",
            soci::use(error), soci::use(r), soci::use(t), soci::use(id);
    });
}

void SqlJobStore::bury(const std::string& id, const std::string& error, Timestamp now) {
    db_.write([&](soci::session& sql) {
        long long t = to_micros(now);
        sql << "UPDATE jobs SET status = 'dead', last_error = :e, updated_at = :t WHERE id = :id", soci::use(error),
            soci::use(t), soci::use(id);
    });
}

std::optional<JobRecord> SqlJobStore::find(const std::string& id) {
    std::optional<JobRecord> out;
    db::Query q(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ");
    q.bind(id);
    db_.read([&](soci::session& sql) { q.for_each(sql, [&](const db::Row& r) { out = job_from(r); }); });
    return out;
}

bool SqlJobStore::take_result(const std::string& id, Timestamp now) {
    return db_.write([&](soci::session& sql) {
        db::Query q("UPDATE jobs SET result_taken = 1, updated_at = ");
        q.bind(static_cast<long long>(to_micros(now))).sql(" WHERE id = ").bind(id).sql(" AND result_taken = 0");
        return q.execute(sql) == 1;
    });
}

std::vector<JobRecord> SqlJobStore::untaken_results_before(Timestamp before) {
    std::vector<JobRecord> out;
    db::Query q(std::string("SELECT ") + kJobColumns +
                " FROM jobs WHERE status = 'succeeded' AND result_taken = 0 AND result <> '{}' AND updated_at < ");
    q.bind(static_cast<long long>(to_micros(before)));
    db_.read([&](soci::session& sql) { q.for_each(sql, [&](const db::Row& r) { out.push_back(job_from(r)); }); });
    return out;
}

std::map<JobStatus, std::int64_t> SqlJobStore::counts() {
    std::map<JobStatus, std::int64_t> out;
    db::Query q("SELECT status, count(*) FROM jobs GROUP BY status");
    db_.read([&](soci::session& sql) {
        q.for_each(sql, [&](const db::Row& r) {
            if (auto s = parse_job_status(db::as_string(r, 0))) out[*s] = db::as_int64(r, 1);
        });
    });
    return out;
}

void SqlNotificationStore::insert(const Notification& n) {
    db_.write([&](soci::session& sql) {
        long long t = to_micros(n.created_at);
        sql << "INSERT INTO notifications (id, user_id, kind, data, link, created_at, read_at) VALUES (:i, :u, :k, :d, :l, "
               ":t, NULL)",
            soci::use(n.id), soci::use(n.user_id), soci::use(n.kind), soci::use(n.data_json), soci::use(n.link), soci::use(t);
    });
}

std::vector<Notification> SqlNotificationStore::list(const std::string& user_id, bool unread_only,
                                                     std::optional<Timestamp> before, int limit) {
    std::vector<Notification> out;
    db::Query q("SELECT id, user_id, kind, data, link, created_at, read_at FROM notifications WHERE user_id = ");
    q.bind(user_id);
    if (unread_only) q.sql(" AND read_at IS NULL");
    if (before) q.sql(" AND created_at < ").bind(static_cast<long long>(to_micros(*before)));
    q.sql(" ORDER BY created_at DESC, id DESC LIMIT ").bind(static_cast<long long>(limit));
    db_.read([&](soci::session& sql) {
        q.for_each(sql, [&](const db::Row& r) {
            Notification n;
            n.id = db::as_string(r, 0);
            n.user_id = db::as_string(r, 1);
            n.kind = db::as_string(r, 2);
            n.data_json = db::as_string(r, 3);
            n.link = db::as_string(r, 4);
            n.created_at = from_micros(db::as_int64(r, 5));
            if (!db::is_null(r, 6)) n.read_at = from_micros(db::as_int64(r, 6));
            out.push_back(std::move(n));
        });
    });
    return out;
}

bool SqlNotificationStore::mark_read(const std::string& user_id, const std::string& id, Timestamp now) {
    return db_.write([&](soci::session& sql) {
        db::Query exists("SELECT count(*) FROM notifications WHERE id = ");
        long long n = 0;
        exists.bind(id).sql(" AND user_id = ").bind(user_id);
        exists.for_each(sql, [&](const db::Row& r) { n = db::as_int64(r, 0); });
        if (n == 0) return false;
        db::Query q("UPDATE notifications SET read_at = ");
        q.bind(static_cast<long long>(to_micros(now))).sql(" WHERE id = ").bind(id).sql(" AND read_at IS NULL");
        q.execute(sql);
        return true;
    });
}

void SqlNotificationStore::mark_all_read(const std::string& user_id, Timestamp now) {
    db_.write([&](soci::session& sql) {
        db::Query q("UPDATE notifications SET read_at = ");
        q.bind(static_cast<long long>(to_micros(now))).sql(" WHERE user_id = ").bind(user_id).sql(" AND read_at IS NULL");
        q.execute(sql);
    });
}

std::int64_t SqlNotificationStore::unread_count(const std::string& user_id) {
    return db_.read([&](soci::session& sql) {
        long long n = 0;
        sql << "SELECT count(*) FROM notifications WHERE user_id = :u AND read_at IS NULL", soci::use(user_id), soci::into(n);
        return static_cast<std::int64_t>(n);
    });
}

std::vector<jobs::QueuedRequest> SqlOutboxSource::peek(int limit) {
    return db_.read([&](soci::session& sql) { return db::peek_outbox(sql, limit); });
}

void SqlOutboxSource::remove(const std::vector<std::string>& ids) {
    if (ids.empty()) return;
    db_.write([&](soci::session& sql) { db::remove_from_outbox(sql, ids); });
}

std::int64_t SqlOutboxSource::depth() {
    return db_.read([&](soci::session& sql) {
        long long n = 0;
        sql << "SELECT count(*) FROM outbox", soci::into(n);
        return static_cast<std::int64_t>(n);
    });
}

}  // namespace medisecure::notifications
