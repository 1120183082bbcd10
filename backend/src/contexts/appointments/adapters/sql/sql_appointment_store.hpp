// SPDX-License-Identifier: Apache-2.0
// AppointmentStore on SQLite and PostgreSQL. Bookings of one practitioner are serialised by
// locking that practitioner's `schedules` row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's
// BEGIN IMMEDIATE already admits one writer at a time).
#pragma once

#include "contexts/appointments/ports/appointment_store.hpp"
#include "platform/db/database.hpp"

namespace medisecure::appointments {

class SqlAppointmentStore final : public AppointmentStore {
public:
    explicit SqlAppointmentStore(db::Database& db) : db_(db) {}

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
    bool ping() override { return db_.ping(); }

private:
    db::Database& db_;
};

}  // namespace medisecure::appointments
