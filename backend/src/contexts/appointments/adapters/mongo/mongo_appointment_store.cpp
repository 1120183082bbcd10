// SPDX-License-Identifier: Apache-2.0
#include "contexts/appointments/adapters/mongo/mongo_appointment_store.hpp"

#include "platform/mongo/outbox.hpp"

namespace medisecure::appointments {

namespace {

using mongo::Bson;
using mongo::Connection;
using mongo::FindOptions;

constexpr const char* kAppointments = "appointments";
constexpr const char* kAbsences = "absences";
constexpr const char* kTypes = "types";
constexpr const char* kHours = "hours";
constexpr const char* kCalendarTokens = "calendar_tokens";
constexpr const char* kLocks = "practitioner_locks";

std::int64_t micros(Timestamp t) {
    return to_micros(t);
}
std::int64_t micros_or_zero(const std::optional<Timestamp>& t) {
    return t ? micros(*t) : 0;
}
std::optional<Timestamp> optional_time(std::int64_t v) {
    if (v == 0) return std::nullopt;
    return from_micros(v);
}

/// The order of every list of the SQL adapter: start, then id.
FindOptions by_start(std::int64_t limit = 0) {
    FindOptions o;
    o.sort = {{"start_at", 1}, {"_id", 1}};
    o.limit = limit;
    return o;
}

Bson id_is(const std::string& id) {
    Bson filter;
    filter.add("_id", id);
    return filter;
}

/// Every field of an appointment but its id, as the SQL adapter's columns.
Bson fields_of(const Appointment& a) {
    Bson d;
    d.add("practitioner_id", a.practitioner_id)
        .add("patient_id", a.patient_id)
        .add("type_id", a.type_id)
        .add("type_label", a.type_label)
        .add("type_color", a.type_color)
        .add("start_at", micros(a.start))
        .add("end_at", micros(a.end))
        .add("status", to_string(a.status))
        .add("booked_via", to_string(a.booked_via))
        .add("booked_by", a.booked_by)
        .add("cancel_reason", a.cancel_reason)
        .add("cancelled_by", a.cancelled_by)
        .add("cancelled_by_role", a.cancelled_by_role)
        .add("cancelled_at", micros_or_zero(a.cancelled_at))
        .add("checked_in_at", micros_or_zero(a.checked_in_at))
        .add("completed_at", micros_or_zero(a.completed_at))
        .add("created_at", micros(a.created_at))
        .add("updated_at", micros(a.updated_at))
        .add("version", a.version);
    return d;
}

Appointment appointment_from(const Bson& d) {
    Appointment a;
    a.id = d.str("_id");
    a.practitioner_id = d.str("practitioner_id");
    a.patient_id = d.str("patient_id");
    a.type_id = d.str("type_id");
    a.type_label = d.str("type_label");
    a.type_color = d.str("type_color");
    a.start = from_micros(d.int64("start_at"));
    a.end = from_micros(d.int64("end_at"));
    a.status = parse_status(d.str("status")).value_or(Status::booked);
    a.booked_via = parse_channel(d.str("booked_via")).value_or(Channel::staff);
    a.booked_by = d.str("booked_by");
    a.cancel_reason = d.str("cancel_reason");
    a.cancelled_by = d.str("cancelled_by");
    a.cancelled_by_role = d.str("cancelled_by_role");
    a.cancelled_at = optional_time(d.int64("cancelled_at"));
    a.checked_in_at = optional_time(d.int64("checked_in_at"));
    a.completed_at = optional_time(d.int64("completed_at"));
    a.created_at = from_micros(d.int64("created_at"));
    a.updated_at = from_micros(d.int64("updated_at"));
    a.version = d.int64("version");
    return a;
}

Absence absence_from(const Bson& d) {
    Absence a;
    a.id = d.str("_id");
    a.practitioner_id = d.str("practitioner_id");
    a.start = from_micros(d.int64("start_at"));
    a.end = from_micros(d.int64("end_at"));
    a.reason = d.str("reason");
    a.created_by = d.str("created_by");
    a.created_at = from_micros(d.int64("created_at"));
    return a;
}

AppointmentType type_from(const Bson& d) {
    AppointmentType t;
    t.id = d.str("_id");
    t.practitioner_id = d.str("practitioner_id");
    t.label = d.str("label");
    t.duration_minutes = static_cast<int>(d.int64("duration_minutes"));
    t.color = d.str("color");
    t.active = d.flag("active");
    t.portal_bookable = d.flag("portal_bookable");
    t.created_at = from_micros(d.int64("created_at"));
    t.updated_at = from_micros(d.int64("updated_at"));
    t.version = d.int64("version");
    return t;
}

/// The fields of a type that an update may change.
Bson mutable_fields_of(const AppointmentType& t) {
    Bson d;
    d.add("label", t.label)
        .add("duration_minutes", t.duration_minutes)
        .add("color", t.color)
        .add("active", t.active)
        .add("portal_bookable", t.portal_bookable)
        .add("updated_at", micros(t.updated_at))
        .add("version", t.version);
    return d;
}

std::vector<Appointment> appointments_in(Connection& c, const Bson& filter,
                                         const FindOptions& options) {
    std::vector<Appointment> out;
    for (const auto& d : c.find(kAppointments, filter, options))
        out.push_back(appointment_from(d));
    return out;
}

std::optional<Appointment> find_in(Connection& c, const std::string& id) {
    auto found = appointments_in(c, id_is(id), {});
    if (found.empty()) return std::nullopt;
    return found.front();
}

/// Appointments that keep their slot and overlap [start, end). Appointments are at most
/// kMaxDurationMinutes long, so an overlap starts after start - that: the bound lets the
/// (owner, start_at) index narrow the scan, as in the SQL adapter.
std::vector<Appointment> overlapping(Connection& c, const char* owner_field,
                                     const std::string& owner, Timestamp start, Timestamp end) {
    const auto earliest = start - std::chrono::minutes(kMaxDurationMinutes);
    Bson filter;
    filter.add(owner_field, owner)
        .add("status", Bson().add("$ne", to_string(Status::cancelled)))
        .add("start_at", Bson().add("$lt", micros(end)).add("$gt", micros(earliest)))
        .add("end_at", Bson().add("$gt", micros(start)));
    return appointments_in(c, filter, by_start());
}

/// Absences of a practitioner that meet [from, to), by start.
std::vector<Absence> absences_in(Connection& c, const std::string& practitioner_id, Timestamp from,
                                 Timestamp to) {
    Bson filter;
    filter.add("practitioner_id", practitioner_id)
        .add("start_at", Bson().add("$lt", micros(to)))
        .add("end_at", Bson().add("$gt", micros(from)));
    std::vector<Absence> out;
    for (const auto& d : c.find(kAbsences, filter, by_start()))
        out.push_back(absence_from(d));
    return out;
}

class MongoUnit final : public AppointmentUnit {
public:
    explicit MongoUnit(Connection& c) : c_(c) {}

    void lock_practitioner(const std::string& practitioner_id) override {
        // A write, not a read: MongoDB has no SELECT … FOR UPDATE, but two transactions that
        // write one document conflict, and the later one runs again from the start.
        try {
            c_.update_one(kLocks, id_is(practitioner_id),
                          Bson().add("$inc", Bson().add("bookings", 1)), true);
        } catch (mongo::Error& e) {
            // The first booking of a practitioner creates the document; two transactions
            // creating it at once may end in a duplicate key rather than a write conflict: the
            // same contention, cured the same way.
            if (e.duplicate_key()) e.add_label("TransientTransactionError");
            throw;
        }
    }

    std::optional<Appointment> find(const std::string& id) override { return find_in(c_, id); }

    std::vector<Appointment> overlapping_for_practitioner(const std::string& practitioner_id,
                                                          Timestamp start, Timestamp end) override {
        return overlapping(c_, "practitioner_id", practitioner_id, start, end);
    }

    std::vector<Appointment> overlapping_for_patient(const std::string& patient_id, Timestamp start,
                                                     Timestamp end) override {
        return overlapping(c_, "patient_id", patient_id, start, end);
    }

    std::vector<Absence> absences_overlapping(const std::string& practitioner_id, Timestamp start,
                                              Timestamp end) override {
        return absences_in(c_, practitioner_id, start, end);
    }

    void insert(const Appointment& a) override {
        Bson doc = id_is(a.id);
        doc.append(fields_of(a));
        c_.insert_one(kAppointments, doc);
    }

    bool update(const Appointment& a) override {
        Bson filter = id_is(a.id);
        filter.add("version", a.version - 1);
        return c_.update_one(kAppointments, filter, Bson().add("$set", fields_of(a))) == 1;
    }

    void insert_absence(const Absence& a) override {
        Bson doc = id_is(a.id);
        doc.add("practitioner_id", a.practitioner_id)
            .add("start_at", micros(a.start))
            .add("end_at", micros(a.end))
            .add("reason", a.reason)
            .add("created_by", a.created_by)
            .add("created_at", micros(a.created_at));
        c_.insert_one(kAbsences, doc);
    }

    void enqueue(const jobs::JobRequest& job, Timestamp now) override {
        mongo::enqueue_job(c_, job, now);
    }

private:
    Connection& c_;
};

mongo::IndexSpec index(const char* collection, const char* name,
                       std::vector<std::pair<std::string, int>> keys, bool unique = false) {
    return {collection, name, std::move(keys), unique};
}

}  // namespace

std::vector<mongo::Migration> MongoAppointmentStore::schema() {
    // The SQL migration's indexes (V0001__appointments.sql); documents need no other schema.
    return {
        {1,
         "appointments",
         {index(kAppointments, "appointments_practitioner_start",
                {{"practitioner_id", 1}, {"start_at", 1}}),
          index(kAppointments, "appointments_patient_start", {{"patient_id", 1}, {"start_at", 1}}),
          index(kAbsences, "absences_practitioner", {{"practitioner_id", 1}, {"start_at", 1}}),
          index(kTypes, "types_practitioner", {{"practitioner_id", 1}, {"label", 1}}),
          // One feed per token: a turned-off feed has no document, so no empty hash is
          // indexed twice.
          index(kCalendarTokens, "calendar_tokens_hash", {{"token_hash", 1}}, true),
          index(mongo::kOutbox, "outbox_created", {{"created_at", 1}, {"_id", 1}})}}};
}

Result<void> MongoAppointmentStore::write(const std::function<Result<void>(AppointmentUnit&)>& fn) {
    Result<void> out;
    pool_.transaction([&](Connection& c) {
        MongoUnit unit(c);
        out = fn(unit);
        return out.has_value();
    });
    return out;
}

std::optional<Appointment> MongoAppointmentStore::find(const std::string& id) {
    std::optional<Appointment> out;
    pool_.read([&](Connection& c) { out = find_in(c, id); });
    return out;
}

std::vector<Appointment> MongoAppointmentStore::list(const AppointmentFilter& f) {
    Bson filter;
    if (!f.practitioner_id.empty()) filter.add("practitioner_id", f.practitioner_id);
    if (!f.patient_id.empty()) filter.add("patient_id", f.patient_id);
    if (f.to) filter.add("start_at", Bson().add("$lt", micros(*f.to)));
    if (f.from) filter.add("end_at", Bson().add("$gt", micros(*f.from)));
    std::vector<Appointment> out;
    pool_.read([&](Connection& c) { out = appointments_in(c, filter, by_start(f.limit)); });
    return out;
}

WeeklyHours MongoAppointmentStore::hours(const std::string& practitioner_id) {
    WeeklyHours h;
    h.practitioner_id = practitioner_id;
    pool_.read([&](Connection& c) {
        for (const auto& d : c.find(kHours, id_is(practitioner_id))) {
            h.version = d.int64("version");
            h.updated_at = from_micros(d.int64("updated_at"));
            for (const auto& r : d.array("ranges"))
                h.ranges.push_back({static_cast<int>(r.int64("weekday")),
                                    static_cast<int>(r.int64("start_minute")),
                                    static_cast<int>(r.int64("end_minute"))});
        }
    });
    return h;
}

bool MongoAppointmentStore::save_hours(const WeeklyHours& h) {
    // One document per practitioner, ranges embedded: replacing them is one atomic write.
    std::vector<Bson> ranges;
    for (const auto& r : h.ranges)
        ranges.emplace_back()
            .add("weekday", r.weekday)
            .add("start_minute", r.start_minute)
            .add("end_minute", r.end_minute);
    Bson fields;
    fields.add("version", h.version).add("updated_at", micros(h.updated_at));
    fields.add_array("ranges", ranges);
    bool saved = false;
    pool_.read([&](Connection& c) {
        if (h.version == 1) {
            // First save: the document must not exist yet; a duplicate _id means it does.
            Bson doc = id_is(h.practitioner_id);
            doc.append(fields);
            try {
                c.insert_one(kHours, doc);
                saved = true;
            } catch (const mongo::Error& e) {
                if (!e.duplicate_key()) throw;
            }
            return;
        }
        Bson filter = id_is(h.practitioner_id);
        filter.add("version", h.version - 1);
        saved = c.update_one(kHours, filter, Bson().add("$set", fields)) == 1;
    });
    return saved;
}

std::vector<Absence> MongoAppointmentStore::absences(const std::string& practitioner_id,
                                                     Timestamp from, Timestamp to) {
    std::vector<Absence> out;
    pool_.read([&](Connection& c) { out = absences_in(c, practitioner_id, from, to); });
    return out;
}

bool MongoAppointmentStore::remove_absence(const std::string& practitioner_id,
                                           const std::string& absence_id) {
    Bson filter = id_is(absence_id);
    filter.add("practitioner_id", practitioner_id);
    std::int64_t removed = 0;
    pool_.read([&](Connection& c) { removed = c.delete_one(kAbsences, filter); });
    return removed == 1;
}

std::vector<AppointmentType>
MongoAppointmentStore::types(const std::set<std::string>& practitioner_ids) {
    Bson filter;
    if (!practitioner_ids.empty())
        filter.add("practitioner_id",
                   Bson().add_array("$in", std::vector<std::string>(practitioner_ids.begin(),
                                                                    practitioner_ids.end())));
    FindOptions by_label;
    by_label.sort = {{"practitioner_id", 1}, {"label", 1}, {"_id", 1}};
    std::vector<AppointmentType> out;
    pool_.read([&](Connection& c) {
        for (const auto& d : c.find(kTypes, filter, by_label))
            out.push_back(type_from(d));
    });
    return out;
}

std::optional<AppointmentType> MongoAppointmentStore::find_type(const std::string& id) {
    std::optional<AppointmentType> out;
    pool_.read([&](Connection& c) {
        for (const auto& d : c.find(kTypes, id_is(id)))
            out = type_from(d);
    });
    return out;
}

void MongoAppointmentStore::insert_type(const AppointmentType& t) {
    Bson doc = id_is(t.id);
    doc.add("practitioner_id", t.practitioner_id).add("created_at", micros(t.created_at));
    doc.append(mutable_fields_of(t));
    pool_.read([&](Connection& c) { c.insert_one(kTypes, doc); });
}

bool MongoAppointmentStore::update_type(const AppointmentType& t) {
    Bson filter = id_is(t.id);
    filter.add("version", t.version - 1);
    std::int64_t matched = 0;
    pool_.read([&](Connection& c) {
        matched = c.update_one(kTypes, filter, Bson().add("$set", mutable_fields_of(t)));
    });
    return matched == 1;
}

void MongoAppointmentStore::set_calendar_token(const std::string& practitioner_id,
                                               const std::string& token_hash, Timestamp now) {
    pool_.read([&](Connection& c) {
        // A feed turned off has no document: the unique index then holds real hashes only.
        if (token_hash.empty()) {
            c.delete_one(kCalendarTokens, id_is(practitioner_id));
            return;
        }
        Bson fields;
        fields.add("token_hash", token_hash).add("set_at", micros(now));
        c.update_one(kCalendarTokens, id_is(practitioner_id), Bson().add("$set", fields), true);
    });
}

std::optional<std::string>
MongoAppointmentStore::practitioner_of_calendar_token(const std::string& token_hash) {
    if (token_hash.empty()) return std::nullopt;
    std::optional<std::string> out;
    pool_.read([&](Connection& c) {
        for (const auto& d : c.find(kCalendarTokens, Bson().add("token_hash", token_hash)))
            out = d.str("_id");
    });
    return out;
}

}  // namespace medisecure::appointments
