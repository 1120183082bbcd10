// SPDX-License-Identifier: Apache-2.0
#include "contexts/appointments/adapters/sql/sql_appointment_store.hpp"

#include "platform/db/outbox.hpp"
#include "platform/db/query.hpp"

#include <variant>

namespace medisecure::appointments {

namespace {

using db::as_int64;
using db::as_string;

constexpr const char* kAppointmentColumns =
    "id, practitioner_id, patient_id, type_id, type_label, type_color, start_at, end_at, status, "
    "booked_via, "
    "booked_by, cancel_reason, cancelled_by, cancelled_by_role, cancelled_at, checked_in_at, "
    "completed_at, "
    "created_at, updated_at, version";

constexpr const char* kTypeColumns = "id, practitioner_id, label, duration_minutes, color, active, "
                                     "portal_bookable, created_at, updated_at, version";

constexpr const char* kAbsenceColumns =
    "id, practitioner_id, start_at, end_at, reason, created_by, created_at";

long long micros(Timestamp t) {
    return static_cast<long long>(to_micros(t));
}
long long micros_or_zero(const std::optional<Timestamp>& t) {
    return t ? micros(*t) : 0;
}
std::optional<Timestamp> optional_time(long long v) {
    if (v == 0) return std::nullopt;
    return from_micros(v);
}

Appointment appointment_from(const db::Row& r) {
    Appointment a;
    std::size_t i = 0;
    auto s = [&] { return as_string(r, i++); };
    auto n = [&] { return as_int64(r, i++); };
    a.id = s();
    a.practitioner_id = s();
    a.patient_id = s();
    a.type_id = s();
    a.type_label = s();
    a.type_color = s();
    a.start = from_micros(n());
    a.end = from_micros(n());
    a.status = parse_status(s()).value_or(Status::booked);
    a.booked_via = parse_channel(s()).value_or(Channel::staff);
    a.booked_by = s();
    a.cancel_reason = s();
    a.cancelled_by = s();
    a.cancelled_by_role = s();
    a.cancelled_at = optional_time(n());
    a.checked_in_at = optional_time(n());
    a.completed_at = optional_time(n());
    a.created_at = from_micros(n());
    a.updated_at = from_micros(n());
    a.version = n();
    return a;
}

using Value = std::variant<std::string, long long>;

/// Every column after the id, in kAppointmentColumns' order.
std::vector<std::pair<const char*, Value>> columns_of(const Appointment& a) {
    return {{"practitioner_id", a.practitioner_id},
            {"patient_id", a.patient_id},
            {"type_id", a.type_id},
            {"type_label", a.type_label},
            {"type_color", a.type_color},
            {"start_at", micros(a.start)},
            {"end_at", micros(a.end)},
            {"status", std::string(to_string(a.status))},
            {"booked_via", std::string(to_string(a.booked_via))},
            {"booked_by", a.booked_by},
            {"cancel_reason", a.cancel_reason},
            {"cancelled_by", a.cancelled_by},
            {"cancelled_by_role", a.cancelled_by_role},
            {"cancelled_at", micros_or_zero(a.cancelled_at)},
            {"checked_in_at", micros_or_zero(a.checked_in_at)},
            {"completed_at", micros_or_zero(a.completed_at)},
            {"created_at", micros(a.created_at)},
            {"updated_at", micros(a.updated_at)},
            {"version", static_cast<long long>(a.version)}};
}

void bind_value(db::Query& q, const Value& v) {
    std::visit([&](const auto& x) { q.bind(x); }, v);
}

AppointmentType type_from(const db::Row& r) {
    AppointmentType t;
    t.id = as_string(r, 0);
    t.practitioner_id = as_string(r, 1);
    t.label = as_string(r, 2);
    t.duration_minutes = static_cast<int>(as_int64(r, 3));
    t.color = as_string(r, 4);
    t.active = as_int64(r, 5) != 0;
    t.portal_bookable = as_int64(r, 6) != 0;
    t.created_at = from_micros(as_int64(r, 7));
    t.updated_at = from_micros(as_int64(r, 8));
    t.version = as_int64(r, 9);
    return t;
}

Absence absence_from(const db::Row& r) {
    Absence a;
    a.id = as_string(r, 0);
    a.practitioner_id = as_string(r, 1);
    a.start = from_micros(as_int64(r, 2));
    a.end = from_micros(as_int64(r, 3));
    a.reason = as_string(r, 4);
    a.created_by = as_string(r, 5);
    a.created_at = from_micros(as_int64(r, 6));
    return a;
}

/// Appointments are at most kMaxDurationMinutes long, so an overlap with [start, end) starts
/// after start - that: the bound lets the (owner, start_at) index narrow the scan.
db::Query overlapping_query(const char* owner_column, const std::string& owner, Timestamp start,
                            Timestamp end) {
    db::Query q(std::string("SELECT ") + kAppointmentColumns + " FROM appointments WHERE " +
                owner_column + " = ");
    q.bind(owner);
    q.sql(" AND status <> 'cancelled' AND start_at < ").bind(micros(end));
    q.sql(" AND start_at > ").bind(micros(start - std::chrono::minutes(kMaxDurationMinutes)));
    q.sql(" AND end_at > ").bind(micros(start)).sql(" ORDER BY start_at, id");
    return q;
}

std::vector<Appointment> run_appointments(soci::session& sql, db::Query& q) {
    std::vector<Appointment> out;
    q.for_each(sql, [&](const db::Row& r) { out.push_back(appointment_from(r)); });
    return out;
}

std::optional<Appointment> find_in(soci::session& sql, const std::string& id) {
    db::Query q(std::string("SELECT ") + kAppointmentColumns + " FROM appointments WHERE id = ");
    q.bind(id);
    auto rows = run_appointments(sql, q);
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

/// The practitioner's schedules row exists from now on (it carries versions and the lock).
void ensure_schedule_row(soci::session& sql, const std::string& practitioner_id) {
    db::Query q("INSERT INTO schedules (practitioner_id, hours_version, hours_updated_at, "
                "calendar_token_hash, "
                "calendar_token_set_at) VALUES (");
    q.bind(practitioner_id).sql(", 0, 0, '', 0) ON CONFLICT (practitioner_id) DO NOTHING");
    q.execute(sql);
}

class SqlUnit final : public AppointmentUnit {
public:
    SqlUnit(soci::session& sql, db::Dialect dialect) : sql_(sql), dialect_(dialect) {}

    void lock_practitioner(const std::string& practitioner_id) override {
        ensure_schedule_row(sql_, practitioner_id);
        // SQLite: BEGIN IMMEDIATE already holds the database's single write lock.
        if (dialect_ != db::Dialect::postgresql) return;
        db::Query q("SELECT practitioner_id FROM schedules WHERE practitioner_id = ");
        q.bind(practitioner_id).sql(" FOR UPDATE");
        q.for_each(sql_, [](const db::Row&) {});
    }

    std::optional<Appointment> find(const std::string& id) override { return find_in(sql_, id); }

    std::vector<Appointment> overlapping_for_practitioner(const std::string& practitioner_id,
                                                          Timestamp start, Timestamp end) override {
        auto q = overlapping_query("practitioner_id", practitioner_id, start, end);
        return run_appointments(sql_, q);
    }

    std::vector<Appointment> overlapping_for_patient(const std::string& patient_id, Timestamp start,
                                                     Timestamp end) override {
        auto q = overlapping_query("patient_id", patient_id, start, end);
        return run_appointments(sql_, q);
    }

    std::vector<Absence> absences_overlapping(const std::string& practitioner_id, Timestamp start,
                                              Timestamp end) override {
        db::Query q(std::string("SELECT ") + kAbsenceColumns +
                    " FROM absences WHERE practitioner_id = ");
        q.bind(practitioner_id)
            .sql(" AND start_at < ")
            .bind(micros(end))
            .sql(" AND end_at > ")
            .bind(micros(start));
        q.sql(" ORDER BY start_at, id");
        std::vector<Absence> out;
        q.for_each(sql_, [&](const db::Row& r) { out.push_back(absence_from(r)); });
        return out;
    }

    void insert(const Appointment& a) override {
        db::Query q(std::string("INSERT INTO appointments (") + kAppointmentColumns + ") VALUES (");
        q.bind(a.id);
        for (const auto& [name, value] : columns_of(a))
            bind_value(q.sql(", "), value);
        q.sql(")");
        q.execute(sql_);
    }

    bool update(const Appointment& a) override {
        db::Query q("UPDATE appointments SET ");
        bool first = true;
        for (const auto& [name, value] : columns_of(a)) {
            bind_value(q.sql(first ? "" : ", ").sql(name).sql(" = "), value);
            first = false;
        }
        q.sql(" WHERE id = ")
            .bind(a.id)
            .sql(" AND version = ")
            .bind(static_cast<long long>(a.version - 1));
        return q.execute(sql_) == 1;
    }

    void insert_absence(const Absence& a) override {
        db::Query q(std::string("INSERT INTO absences (") + kAbsenceColumns + ") VALUES (");
        q.bind(a.id)
            .sql(", ")
            .bind(a.practitioner_id)
            .sql(", ")
            .bind(micros(a.start))
            .sql(", ")
            .bind(micros(a.end));
        q.sql(", ")
            .bind(a.reason)
            .sql(", ")
            .bind(a.created_by)
            .sql(", ")
            .bind(micros(a.created_at))
            .sql(")");
        q.execute(sql_);
    }

    void enqueue(const jobs::JobRequest& job, Timestamp now) override {
        db::enqueue_job(sql_, job, now);
    }

private:
    soci::session& sql_;
    db::Dialect dialect_;
};

}  // namespace

Result<void> SqlAppointmentStore::write(const std::function<Result<void>(AppointmentUnit&)>& fn) {
    return db_.write([&](soci::session& sql) {
        SqlUnit unit(sql, db_.dialect());
        return fn(unit);
    });
}

std::optional<Appointment> SqlAppointmentStore::find(const std::string& id) {
    return db_.read([&](soci::session& sql) { return find_in(sql, id); });
}

std::vector<Appointment> SqlAppointmentStore::list(const AppointmentFilter& f) {
    db::Query q(std::string("SELECT ") + kAppointmentColumns + " FROM appointments WHERE 1 = 1");
    if (!f.practitioner_id.empty()) q.sql(" AND practitioner_id = ").bind(f.practitioner_id);
    if (!f.patient_id.empty()) q.sql(" AND patient_id = ").bind(f.patient_id);
    if (f.to) q.sql(" AND start_at < ").bind(micros(*f.to));
    if (f.from) q.sql(" AND end_at > ").bind(micros(*f.from));
    q.sql(" ORDER BY start_at, id LIMIT ").bind(static_cast<long long>(f.limit));
    return db_.read([&](soci::session& sql) { return run_appointments(sql, q); });
}

WeeklyHours SqlAppointmentStore::hours(const std::string& practitioner_id) {
    WeeklyHours h;
    h.practitioner_id = practitioner_id;
    db_.read([&](soci::session& sql) {
        db::Query head(
            "SELECT hours_version, hours_updated_at FROM schedules WHERE practitioner_id = ");
        head.bind(practitioner_id);
        head.for_each(sql, [&](const db::Row& r) {
            h.version = as_int64(r, 0);
            h.updated_at = from_micros(as_int64(r, 1));
        });
        db::Query q(
            "SELECT weekday, start_minute, end_minute FROM opening_hours WHERE practitioner_id = ");
        q.bind(practitioner_id).sql(" ORDER BY weekday, start_minute");
        q.for_each(sql, [&](const db::Row& r) {
            h.ranges.push_back({static_cast<int>(as_int64(r, 0)), static_cast<int>(as_int64(r, 1)),
                                static_cast<int>(as_int64(r, 2))});
        });
    });
    return h;
}

bool SqlAppointmentStore::save_hours(const WeeklyHours& h) {
    return db_.write([&](soci::session& sql) {
        ensure_schedule_row(sql, h.practitioner_id);
        db::Query up("UPDATE schedules SET hours_version = ");
        up.bind(static_cast<long long>(h.version))
            .sql(", hours_updated_at = ")
            .bind(micros(h.updated_at));
        up.sql(" WHERE practitioner_id = ").bind(h.practitioner_id).sql(" AND hours_version = ");
        up.bind(static_cast<long long>(h.version - 1));
        if (up.execute(sql) != 1) return false;
        db::Query del("DELETE FROM opening_hours WHERE practitioner_id = ");
        del.bind(h.practitioner_id).execute(sql);
        for (const auto& r : h.ranges) {
            db::Query ins("INSERT INTO opening_hours (practitioner_id, weekday, start_minute, "
                          "end_minute) VALUES (");
            ins.bind(h.practitioner_id).sql(", ").bind(static_cast<long long>(r.weekday)).sql(", ");
            ins.bind(static_cast<long long>(r.start_minute))
                .sql(", ")
                .bind(static_cast<long long>(r.end_minute))
                .sql(")");
            ins.execute(sql);
        }
        return true;
    });
}

std::vector<Absence> SqlAppointmentStore::absences(const std::string& practitioner_id,
                                                   Timestamp from, Timestamp to) {
    db::Query q(std::string("SELECT ") + kAbsenceColumns +
                " FROM absences WHERE practitioner_id = ");
    q.bind(practitioner_id)
        .sql(" AND start_at < ")
        .bind(micros(to))
        .sql(" AND end_at > ")
        .bind(micros(from));
    q.sql(" ORDER BY start_at, id");
    std::vector<Absence> out;
    db_.read([&](soci::session& sql) {
        q.for_each(sql, [&](const db::Row& r) { out.push_back(absence_from(r)); });
    });
    return out;
}

bool SqlAppointmentStore::remove_absence(const std::string& practitioner_id,
                                         const std::string& absence_id) {
    return db_.write([&](soci::session& sql) {
        db::Query q("DELETE FROM absences WHERE id = ");
        q.bind(absence_id).sql(" AND practitioner_id = ").bind(practitioner_id);
        return q.execute(sql) == 1;
    });
}

std::vector<AppointmentType>
SqlAppointmentStore::types(const std::set<std::string>& practitioner_ids) {
    db::Query q(std::string("SELECT ") + kTypeColumns + " FROM appointment_types");
    if (!practitioner_ids.empty()) {
        q.sql(" WHERE practitioner_id IN (");
        bool first = true;
        for (const auto& id : practitioner_ids) {
            q.sql(first ? "" : ", ").bind(id);
            first = false;
        }
        q.sql(")");
    }
    q.sql(" ORDER BY practitioner_id, label, id");
    std::vector<AppointmentType> out;
    db_.read([&](soci::session& sql) {
        q.for_each(sql, [&](const db::Row& r) { out.push_back(type_from(r)); });
    });
    return out;
}

std::optional<AppointmentType> SqlAppointmentStore::find_type(const std::string& id) {
    db::Query q(std::string("SELECT ") + kTypeColumns + " FROM appointment_types WHERE id = ");
    q.bind(id);
    std::optional<AppointmentType> out;
    db_.read([&](soci::session& sql) {
        q.for_each(sql, [&](const db::Row& r) { out = type_from(r); });
    });
    return out;
}

void SqlAppointmentStore::insert_type(const AppointmentType& t) {
    db::Query q(std::string("INSERT INTO appointment_types (") + kTypeColumns + ") VALUES (");
    q.bind(t.id).sql(", ").bind(t.practitioner_id).sql(", ").bind(t.label).sql(", ");
    q.bind(static_cast<long long>(t.duration_minutes)).sql(", ").bind(t.color).sql(", ");
    q.bind(static_cast<long long>(t.active))
        .sql(", ")
        .bind(static_cast<long long>(t.portal_bookable))
        .sql(", ");
    q.bind(micros(t.created_at))
        .sql(", ")
        .bind(micros(t.updated_at))
        .sql(", ")
        .bind(static_cast<long long>(t.version));
    q.sql(")");
    db_.write([&](soci::session& sql) { q.execute(sql); });
}

bool SqlAppointmentStore::update_type(const AppointmentType& t) {
    db::Query q("UPDATE appointment_types SET label = ");
    q.bind(t.label).sql(", duration_minutes = ").bind(static_cast<long long>(t.duration_minutes));
    q.sql(", color = ").bind(t.color).sql(", active = ").bind(static_cast<long long>(t.active));
    q.sql(", portal_bookable = ").bind(static_cast<long long>(t.portal_bookable));
    q.sql(", updated_at = ")
        .bind(micros(t.updated_at))
        .sql(", version = ")
        .bind(static_cast<long long>(t.version));
    q.sql(" WHERE id = ")
        .bind(t.id)
        .sql(" AND version = ")
        .bind(static_cast<long long>(t.version - 1));
    return db_.write([&](soci::session& sql) { return q.execute(sql) == 1; });
}

void SqlAppointmentStore::set_calendar_token(const std::string& practitioner_id,
                                             const std::string& token_hash, Timestamp now) {
    db_.write([&](soci::session& sql) {
        ensure_schedule_row(sql, practitioner_id);
        db::Query q("UPDATE schedules SET calendar_token_hash = ");
        q.bind(token_hash).sql(", calendar_token_set_at = ").bind(micros(now));
        q.sql(" WHERE practitioner_id = ").bind(practitioner_id);
        q.execute(sql);
    });
}

std::optional<std::string>
SqlAppointmentStore::practitioner_of_calendar_token(const std::string& token_hash) {
    if (token_hash.empty()) return std::nullopt;
    db::Query q("SELECT practitioner_id FROM schedules WHERE calendar_token_hash = ");
    q.bind(token_hash);
    std::optional<std::string> out;
    db_.read([&](soci::session& sql) {
        q.for_each(sql, [&](const db::Row& r) { out = as_string(r, 0); });
    });
    return out;
}

}  // namespace medisecure::appointments
