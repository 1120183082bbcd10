// SPDX-License-Identifier: Apache-2.0
// AppointmentStore on MongoDB, the specification's engine for this context. A unit of work is a
// multi-document transaction (snapshot reads, majority commit, retried on write conflicts);
// bookings of one practitioner are serialised by writing that practitioner's document in
// `practitioner_locks` first: a concurrent transaction writing it too gets a write conflict and
// runs again, and then sees the booking that won. Collections: appointments, absences, types,
// hours, calendar_tokens, outbox, practitioner_locks, and schema_migrations (schema()).
// Times are int64 microseconds since the epoch, as in the SQL adapter.
#pragma once

#include "contexts/appointments/ports/appointment_store.hpp"
#include "platform/mongo/migrator.hpp"
#include "platform/mongo/mongo.hpp"

#include <vector>

namespace medisecure::appointments {

class MongoAppointmentStore final : public AppointmentStore {
public:
    explicit MongoAppointmentStore(mongo::Pool& pool) : pool_(pool) {}

    /// The versioned schema steps (indexes) of the appointments database.
    static std::vector<mongo::Migration> schema();

    Result<void> write(const std::function<Result<void>(AppointmentUnit&)>& fn) override;
    std::optional<Appointment> find(const std::string& id) override;
    std::vector<Appointment> list(const AppointmentFilter& f) override;
    WeeklyHours hours(const std::string& practitioner_id) override;
    bool save_hours(const WeeklyHours& h) override;
    std::vector<Absence> absences(const std::string& practitioner_id, Timestamp from,
                                  Timestamp to) override;
    bool remove_absence(const std::string& practitioner_id, const std::string& absence_id) override;
    std::vector<AppointmentType> types(const std::set<std::string>& practitioner_ids) override;
    std::optional<AppointmentType> find_type(const std::string& id) override;
    void insert_type(const AppointmentType& t) override;
    bool update_type(const AppointmentType& t) override;
    void set_calendar_token(const std::string& practitioner_id, const std::string& token_hash,
                            Timestamp now) override;
    std::optional<std::string>
    practitioner_of_calendar_token(const std::string& token_hash) override;
    bool ping() override { return pool_.ping(); }

private:
    mongo::Pool& pool_;
};

}  // namespace medisecure::appointments
