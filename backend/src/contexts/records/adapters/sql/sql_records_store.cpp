// SPDX-License-Identifier: Apache-2.0
#include "contexts/records/adapters/sql/sql_records_store.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "platform/db/outbox.hpp"
#include "platform/db/query.hpp"

namespace medisecure::records {

namespace {

using db::as_int64;
using db::as_string;

constexpr const char* kEncounterColumns =
    "id, patient_id, author_id, appointment_id, occurred_at, reason, subjective, objective, assessment, plan, "
    "signed_at, signature, created_at, updated_at, version";
constexpr const char* kPrescriptionColumns =
    "p.id, p.encounter_id, p.patient_id, p.position, p.drug, p.dose, p.route, p.frequency, p.duration, "
    "p.instructions, p.status, p.status_changed_at, p.status_changed_by, p.status_reason, p.version, "
    "e.author_id, e.signed_at";
constexpr const char* kVitalsColumns =
    "id, patient_id, encounter_id, recorded_by, recorded_role, taken_at, created_at, systolic_mmhg, diastolic_mmhg, "
    "heart_rate_bpm, temperature_dc, weight_g, height_mm, spo2_pct, note";
constexpr const char* kAllergyColumns =
    "id, patient_id, substance, reaction, severity, status, noted_on, recorded_by, created_at, updated_at, version";
constexpr const char* kConditionColumns =
    "id, patient_id, code, label, onset_date, status, note, encounter_id, recorded_by, created_at, updated_at, version";

// Children are loaded for many owners at once, a bounded number of ids per statement.
constexpr std::size_t kIdsPerQuery = 200;

long long i64(std::int64_t v) { return static_cast<long long>(v); }
std::optional<Timestamp> opt_time(long long us) { return us ? std::optional<Timestamp>(from_micros(us)) : std::nullopt; }
long long micros_or_zero(const std::optional<Timestamp>& t) { return t ? to_micros(*t) : 0; }
std::string date_text(const std::optional<Date>& d) { return d ? format_date(*d) : std::string(); }

Encounter encounter_from(const db::Row& r) {
    Encounter e;
    std::size_t i = 0;
    e.id = as_string(r, i++);
    e.patient_id = as_string(r, i++);
    e.author_id = as_string(r, i++);
    e.appointment_id = as_string(r, i++);
    e.occurred_at = from_micros(as_int64(r, i++));
    e.reason = as_string(r, i++);
    e.notes.subjective = as_string(r, i++);
    e.notes.objective = as_string(r, i++);
    e.notes.assessment = as_string(r, i++);
    e.notes.plan = as_string(r, i++);
    e.signed_at = opt_time(as_int64(r, i++));
    e.signature = as_string(r, i++);
    e.created_at = from_micros(as_int64(r, i++));
    e.updated_at = from_micros(as_int64(r, i++));
    e.version = as_int64(r, i++);
    return e;
}

Prescription prescription_from(const db::Row& r) {
    Prescription p;
    std::size_t i = 0;
    p.id = as_string(r, i++);
    p.encounter_id = as_string(r, i++);
    p.patient_id = as_string(r, i++);
    p.position = static_cast<int>(as_int64(r, i++));
    p.drug = as_string(r, i++);
    p.dose = as_string(r, i++);
    p.route = parse_drug_route(as_string(r, i++)).value_or(DrugRoute::other);
    p.frequency = as_string(r, i++);
    p.duration = as_string(r, i++);
    p.instructions = as_string(r, i++);
    p.status = parse_prescription_status(as_string(r, i++)).value_or(PrescriptionStatus::active);
    p.status_changed_at = opt_time(as_int64(r, i++));
    p.status_changed_by = as_string(r, i++);
    p.status_reason = as_string(r, i++);
    p.version = as_int64(r, i++);
    p.prescriber_id = as_string(r, i++);
    p.prescribed_at = opt_time(as_int64(r, i++));
    return p;
}

VitalSigns vitals_from(const db::Row& r) {
    VitalSigns v;
    std::size_t i = 0;
    v.id = as_string(r, i++);
    v.patient_id = as_string(r, i++);
    v.encounter_id = as_string(r, i++);
    v.recorded_by = as_string(r, i++);
    v.recorded_role = as_string(r, i++);
    v.taken_at = from_micros(as_int64(r, i++));
    v.created_at = from_micros(as_int64(r, i++));
    auto int_at = [&](std::size_t k) { return db::is_null(r, k) ? std::nullopt : std::optional<int>(static_cast<int>(as_int64(r, k))); };
    auto scaled_at = [&](std::size_t k, double per_unit) {
        return db::is_null(r, k) ? std::nullopt : std::optional<double>(static_cast<double>(as_int64(r, k)) / per_unit);
    };
    v.systolic_mmhg = int_at(i++);
    v.diastolic_mmhg = int_at(i++);
    v.heart_rate_bpm = int_at(i++);
    v.temperature_c = scaled_at(i++, 10);
    v.weight_kg = scaled_at(i++, 1000);
    v.height_cm = scaled_at(i++, 10);
    v.spo2_pct = int_at(i++);
    v.note = as_string(r, i++);
    return v;
}

Allergy allergy_from(const db::Row& r) {
    Allergy a;
    std::size_t i = 0;
    a.id = as_string(r, i++);
    a.patient_id = as_string(r, i++);
    a.substance = as_string(r, i++);
    a.reaction = as_string(r, i++);
    a.severity = parse_severity(as_string(r, i++)).value_or(Severity::moderate);
    a.status = parse_chart_status(as_string(r, i++)).value_or(ChartStatus::active);
    a.noted_on = parse_date(as_string(r, i++));
    a.recorded_by = as_string(r, i++);
    a.created_at = from_micros(as_int64(r, i++));
    a.updated_at = from_micros(as_int64(r, i++));
    a.version = as_int64(r, i++);
    return a;
}

Condition condition_from(const db::Row& r) {
    Condition c;
    std::size_t i = 0;
    c.id = as_string(r, i++);
    c.patient_id = as_string(r, i++);
    c.code = as_string(r, i++);
    c.label = as_string(r, i++);
    c.onset_date = parse_date(as_string(r, i++));
    c.status = parse_chart_status(as_string(r, i++)).value_or(ChartStatus::active);
    c.note = as_string(r, i++);
    c.encounter_id = as_string(r, i++);
    c.recorded_by = as_string(r, i++);
    c.created_at = from_micros(as_int64(r, i++));
    c.updated_at = from_micros(as_int64(r, i++));
    c.version = as_int64(r, i++);
    return c;
}

/// Runs `make(ids)` for slices of `ids` and hands every row to `fn`.
void for_ids(soci::session& sql, const std::vector<std::string>& ids, const std::string& head,
             const std::string& tail, const std::function<void(const db::Row&)>& fn) {
    for (std::size_t start = 0; start < ids.size(); start += kIdsPerQuery) {
        db::Query q(head + " IN (");
        for (std::size_t k = start; k < std::min(ids.size(), start + kIdsPerQuery); ++k) q.sql(k > start ? ", " : "").bind(ids[k]);
        q.sql(")").sql(tail);
        q.for_each(sql, fn);
    }
}

std::map<std::string, std::vector<Diagnosis>> diagnoses_of(soci::session& sql, const std::vector<std::string>& owners) {
    std::map<std::string, std::vector<Diagnosis>> out;
    for_ids(sql, owners, "SELECT owner_id, position, code, label, is_primary FROM diagnoses WHERE owner_id",
            " ORDER BY owner_id, position", [&](const db::Row& r) {
                out[as_string(r, 0)].push_back({as_string(r, 2), as_string(r, 3), as_int64(r, 4) != 0});
            });
    return out;
}

/// Fills diagnoses, prescriptions and (when asked) amendments of `list` in a few queries.
void load_children(soci::session& sql, std::vector<Encounter>& list, bool with_amendments) {
    if (list.empty()) return;
    std::vector<std::string> ids;
    std::map<std::string, Encounter*> by_id;
    for (auto& e : list) {
        ids.push_back(e.id);
        by_id[e.id] = &e;
    }
    std::vector<std::string> owners = ids;
    std::vector<Amendment> amendments;
    if (with_amendments) {
        for_ids(sql, ids,
                "SELECT id, encounter_id, patient_id, author_id, text, signed_at, signature FROM amendments WHERE encounter_id",
                " ORDER BY signed_at, id", [&](const db::Row& r) {
                    Amendment a;
                    a.id = as_string(r, 0);
                    a.encounter_id = as_string(r, 1);
                    a.patient_id = as_string(r, 2);
                    a.author_id = as_string(r, 3);
                    a.text = as_string(r, 4);
                    a.signed_at = from_micros(as_int64(r, 5));
                    a.signature = as_string(r, 6);
                    owners.push_back(a.id);
                    amendments.push_back(std::move(a));
                });
    }
    auto diagnoses = diagnoses_of(sql, owners);
    for (auto& e : list)
        if (auto it = diagnoses.find(e.id); it != diagnoses.end()) e.diagnoses = std::move(it->second);
    for (auto& a : amendments) {
        if (auto it = diagnoses.find(a.id); it != diagnoses.end()) a.diagnoses = std::move(it->second);
        by_id.at(a.encounter_id)->amendments.push_back(std::move(a));
    }
    for_ids(sql, ids,
            std::string("SELECT ") + kPrescriptionColumns +
                " FROM prescriptions p JOIN encounters e ON e.id = p.encounter_id WHERE p.encounter_id",
            " ORDER BY p.encounter_id, p.position",
            [&](const db::Row& r) {
                auto p = prescription_from(r);
                by_id.at(p.encounter_id)->prescriptions.push_back(std::move(p));
            });
}

std::optional<Encounter> find_encounter_in(soci::session& sql, const std::string& id, bool with_amendments) {
    std::vector<Encounter> found;
    db::Query q(std::string("SELECT ") + kEncounterColumns + " FROM encounters WHERE id = ");
    q.bind(id);
    q.for_each(sql, [&](const db::Row& r) { found.push_back(encounter_from(r)); });
    if (found.empty()) return std::nullopt;
    load_children(sql, found, with_amendments);
    return std::move(found.front());
}

void insert_diagnoses(soci::session& sql, const std::string& owner, const std::vector<Diagnosis>& list) {
    for (std::size_t i = 0; i < list.size(); ++i) {
        db::Query q("INSERT INTO diagnoses (owner_id, position, code, label, is_primary) VALUES (");
        q.bind(owner).sql(", ").bind(static_cast<long long>(i)).sql(", ").bind(list[i].code).sql(", ");
        q.bind(list[i].label).sql(", ").bind(list[i].primary ? 1LL : 0LL).sql(")");
        q.execute(sql);
    }
}

void insert_prescriptions(soci::session& sql, const std::vector<Prescription>& list) {
    for (const auto& p : list) {
        db::Query q(
            "INSERT INTO prescriptions (id, encounter_id, patient_id, position, drug, dose, route, frequency, duration, "
            "instructions, status, status_changed_at, status_changed_by, status_reason, version) VALUES (");
        q.bind(p.id).sql(", ").bind(p.encounter_id).sql(", ").bind(p.patient_id).sql(", ");
        q.bind(static_cast<long long>(p.position)).sql(", ").bind(p.drug).sql(", ").bind(p.dose).sql(", ");
        q.bind(std::string(to_string(p.route))).sql(", ").bind(p.frequency).sql(", ").bind(p.duration).sql(", ");
        q.bind(p.instructions).sql(", ").bind(std::string(to_string(p.status))).sql(", ");
        q.bind(micros_or_zero(p.status_changed_at)).sql(", ").bind(p.status_changed_by).sql(", ");
        q.bind(p.status_reason).sql(", ").bind(i64(p.version)).sql(")");
        q.execute(sql);
    }
}

void delete_children(soci::session& sql, const std::string& encounter_id) {
    std::string id = encounter_id;
    sql << "DELETE FROM diagnoses WHERE owner_id = :id", soci::use(id);
    sql << "DELETE FROM prescriptions WHERE encounter_id = :id", soci::use(id);
}

template <class T, class From>
std::optional<T> find_one(soci::session& sql, const char* columns, const char* table, const std::string& id, From from) {
    std::optional<T> out;
    db::Query q(std::string("SELECT ") + columns + " FROM " + table + " WHERE id = ");
    q.bind(id);
    q.for_each(sql, [&](const db::Row& r) { out = from(r); });
    return out;
}

class SqlUnit final : public RecordsUnit {
public:
    explicit SqlUnit(soci::session& sql) : sql_(sql) {}

    std::optional<Encounter> find_encounter(const std::string& id) override { return find_encounter_in(sql_, id, false); }

    void insert_encounter(const Encounter& e) override {
        // Children go in while the row is still a draft: the schema refuses them under a
        // signed encounter. An imported signed encounter is signed right after.
        db::Query q(std::string("INSERT INTO encounters (") + kEncounterColumns + ") VALUES (");
        q.bind(e.id).sql(", ").bind(e.patient_id).sql(", ").bind(e.author_id).sql(", ").bind(e.appointment_id).sql(", ");
        q.bind(to_micros(e.occurred_at)).sql(", ").bind(e.reason).sql(", ").bind(e.notes.subjective).sql(", ");
        q.bind(e.notes.objective).sql(", ").bind(e.notes.assessment).sql(", ").bind(e.notes.plan).sql(", 0, '', ");
        q.bind(to_micros(e.created_at)).sql(", ").bind(to_micros(e.updated_at)).sql(", ");
        q.bind(i64(e.signed_at ? e.version - 1 : e.version)).sql(")");
        q.execute(sql_);
        insert_diagnoses(sql_, e.id, e.diagnoses);
        insert_prescriptions(sql_, e.prescriptions);
        if (e.signed_at && !sign(e)) throw std::logic_error("imported encounter could not be signed");
    }

    bool update_draft(const Encounter& e) override {
        db::Query q("UPDATE encounters SET appointment_id = ");
        q.bind(e.appointment_id).sql(", occurred_at = ").bind(to_micros(e.occurred_at)).sql(", reason = ").bind(e.reason);
        q.sql(", subjective = ").bind(e.notes.subjective).sql(", objective = ").bind(e.notes.objective);
        q.sql(", assessment = ").bind(e.notes.assessment).sql(", plan = ").bind(e.notes.plan);
        q.sql(", updated_at = ").bind(to_micros(e.updated_at)).sql(", version = ").bind(i64(e.version));
        q.sql(" WHERE id = ").bind(e.id).sql(" AND version = ").bind(i64(e.version - 1)).sql(" AND signed_at = 0");
        if (q.execute(sql_) != 1) return false;
        delete_children(sql_, e.id);
        insert_diagnoses(sql_, e.id, e.diagnoses);
        insert_prescriptions(sql_, e.prescriptions);
        return true;
    }

    bool sign(const Encounter& e) override {
        db::Query q("UPDATE encounters SET signed_at = ");
        q.bind(micros_or_zero(e.signed_at)).sql(", signature = ").bind(e.signature);
        q.sql(", updated_at = ").bind(to_micros(e.updated_at)).sql(", version = ").bind(i64(e.version));
        q.sql(" WHERE id = ").bind(e.id).sql(" AND version = ").bind(i64(e.version - 1)).sql(" AND signed_at = 0");
        return q.execute(sql_) == 1;
    }

    bool delete_draft(const std::string& id, std::int64_t version) override {
        int n = 0;
        long long v = version;
        std::string key = id;
        sql_ << "SELECT count(*) FROM encounters WHERE id = :id AND version = :v AND signed_at = 0", soci::use(key),
            soci::use(v), soci::into(n);
        if (n != 1) return false;
        delete_children(sql_, id);
        sql_ << "DELETE FROM encounters WHERE id = :id", soci::use(key);
        return true;
    }

    void insert_amendment(const Amendment& a) override {
        insert_diagnoses(sql_, a.id, a.diagnoses);  // first: the schema freezes an amendment's children
        db::Query q("INSERT INTO amendments (id, encounter_id, patient_id, author_id, text, signed_at, signature) VALUES (");
        q.bind(a.id).sql(", ").bind(a.encounter_id).sql(", ").bind(a.patient_id).sql(", ").bind(a.author_id).sql(", ");
        q.bind(a.text).sql(", ").bind(to_micros(a.signed_at)).sql(", ").bind(a.signature).sql(")");
        q.execute(sql_);
    }

    std::optional<Prescription> find_prescription(const std::string& id) override {
        std::optional<Prescription> out;
        db::Query q(std::string("SELECT ") + kPrescriptionColumns +
                    " FROM prescriptions p JOIN encounters e ON e.id = p.encounter_id WHERE p.id = ");
        q.bind(id);
        q.for_each(sql_, [&](const db::Row& r) { out = prescription_from(r); });
        return out;
    }

    bool update_prescription_status(const Prescription& p) override {
        db::Query q("UPDATE prescriptions SET status = ");
        q.bind(std::string(to_string(p.status))).sql(", status_changed_at = ").bind(micros_or_zero(p.status_changed_at));
        q.sql(", status_changed_by = ").bind(p.status_changed_by).sql(", status_reason = ").bind(p.status_reason);
        q.sql(", version = ").bind(i64(p.version)).sql(" WHERE id = ").bind(p.id).sql(" AND version = ").bind(i64(p.version - 1));
        return q.execute(sql_) == 1;
    }

    void insert_vitals(const VitalSigns& v) override {
        auto value = [](auto opt, double scale, long long& out, soci::indicator& ind) {
            ind = opt ? soci::i_ok : soci::i_null;
            out = opt ? static_cast<long long>(std::llround(static_cast<double>(*opt) * scale)) : 0;
        };
        long long sys, dia, hr, temp, weight, height, spo2;
        soci::indicator sys_i, dia_i, hr_i, temp_i, weight_i, height_i, spo2_i;
        value(v.systolic_mmhg, 1, sys, sys_i);
        value(v.diastolic_mmhg, 1, dia, dia_i);
        value(v.heart_rate_bpm, 1, hr, hr_i);
        value(v.temperature_c, 10, temp, temp_i);
        value(v.weight_kg, 1000, weight, weight_i);
        value(v.height_cm, 10, height, height_i);
        value(v.spo2_pct, 1, spo2, spo2_i);
        long long taken = to_micros(v.taken_at), created = to_micros(v.created_at);
        sql_ << "INSERT INTO vitals (id, patient_id, encounter_id, recorded_by, recorded_role, taken_at, created_at, "
                "systolic_mmhg, diastolic_mmhg, heart_rate_bpm, temperature_dc, weight_g, height_mm, spo2_pct, note) "
                "VALUES (:id, :p, :e, :by, :role, :t, :c, :sys, :dia, :hr, :temp, :w, :h, :spo2, :note)",
            soci::use(v.id), soci::use(v.patient_id), soci::use(v.encounter_id), soci::use(v.recorded_by),
            soci::use(v.recorded_role), soci::use(taken), soci::use(created), soci::use(sys, sys_i), soci::use(dia, dia_i),
            soci::use(hr, hr_i), soci::use(temp, temp_i), soci::use(weight, weight_i), soci::use(height, height_i),
            soci::use(spo2, spo2_i), soci::use(v.note);
    }

    std::optional<Allergy> find_allergy(const std::string& id) override {
        return find_one<Allergy>(sql_, kAllergyColumns, "allergies", id, allergy_from);
    }

    void insert_allergy(const Allergy& a) override {
        db::Query q(std::string("INSERT INTO allergies (") + kAllergyColumns + ") VALUES (");
        q.bind(a.id).sql(", ").bind(a.patient_id).sql(", ").bind(a.substance).sql(", ").bind(a.reaction).sql(", ");
        q.bind(std::string(to_string(a.severity))).sql(", ").bind(std::string(to_string(a.status))).sql(", ");
        q.bind(date_text(a.noted_on)).sql(", ").bind(a.recorded_by).sql(", ").bind(to_micros(a.created_at)).sql(", ");
        q.bind(to_micros(a.updated_at)).sql(", ").bind(i64(a.version)).sql(")");
        q.execute(sql_);
    }

    bool update_allergy(const Allergy& a) override {
        db::Query q("UPDATE allergies SET substance = ");
        q.bind(a.substance).sql(", reaction = ").bind(a.reaction).sql(", severity = ").bind(std::string(to_string(a.severity)));
        q.sql(", status = ").bind(std::string(to_string(a.status))).sql(", noted_on = ").bind(date_text(a.noted_on));
        q.sql(", updated_at = ").bind(to_micros(a.updated_at)).sql(", version = ").bind(i64(a.version));
        q.sql(" WHERE id = ").bind(a.id).sql(" AND version = ").bind(i64(a.version - 1));
        return q.execute(sql_) == 1;
    }

    std::optional<Condition> find_condition(const std::string& id) override {
        return find_one<Condition>(sql_, kConditionColumns, "conditions", id, condition_from);
    }

    void insert_condition(const Condition& c) override {
        db::Query q(std::string("INSERT INTO conditions (") + kConditionColumns + ") VALUES (");
        q.bind(c.id).sql(", ").bind(c.patient_id).sql(", ").bind(c.code).sql(", ").bind(c.label).sql(", ");
        q.bind(date_text(c.onset_date)).sql(", ").bind(std::string(to_string(c.status))).sql(", ").bind(c.note).sql(", ");
        q.bind(c.encounter_id).sql(", ").bind(c.recorded_by).sql(", ").bind(to_micros(c.created_at)).sql(", ");
        q.bind(to_micros(c.updated_at)).sql(", ").bind(i64(c.version)).sql(")");
        q.execute(sql_);
    }

    bool update_condition(const Condition& c) override {
        db::Query q("UPDATE conditions SET code = ");
        q.bind(c.code).sql(", label = ").bind(c.label).sql(", onset_date = ").bind(date_text(c.onset_date));
        q.sql(", status = ").bind(std::string(to_string(c.status))).sql(", note = ").bind(c.note);
        q.sql(", updated_at = ").bind(to_micros(c.updated_at)).sql(", version = ").bind(i64(c.version));
        q.sql(" WHERE id = ").bind(c.id).sql(" AND version = ").bind(i64(c.version - 1));
        return q.execute(sql_) == 1;
    }

    void enqueue(const jobs::JobRequest& job, Timestamp now) override { db::enqueue_job(sql_, job, now); }

private:
    soci::session& sql_;
};

}  // namespace

Result<void> SqlRecordsStore::write(const std::function<Result<void>(RecordsUnit&)>& fn) {
    return db_.write([&](soci::session& sql) {
        SqlUnit unit(sql);
        return fn(unit);
    });
}

std::optional<Encounter> SqlRecordsStore::find_encounter(const std::string& id) {
    return db_.read([&](soci::session& sql) { return find_encounter_in(sql, id, true); });
}

std::vector<Encounter> SqlRecordsStore::list_encounters(const EncounterQuery& eq) {
    db::Query q(std::string("SELECT ") + kEncounterColumns + " FROM encounters WHERE 1 = 1");
    if (!eq.patient_id.empty()) q.sql(" AND patient_id = ").bind(eq.patient_id);
    if (!eq.author_id.empty()) q.sql(" AND author_id = ").bind(eq.author_id);
    if (eq.which == EncounterQuery::Which::signed_only) q.sql(" AND signed_at <> 0");
    if (eq.which == EncounterQuery::Which::drafts_only) q.sql(" AND signed_at = 0");
    if (eq.before) {
        long long at = to_micros(eq.before->at);
        q.sql(" AND (occurred_at < ").bind(at).sql(" OR (occurred_at = ").bind(at).sql(" AND id < ").bind(eq.before->id).sql("))");
    }
    q.sql(" ORDER BY occurred_at DESC, id DESC LIMIT ").bind(static_cast<long long>(eq.limit));
    return db_.read([&](soci::session& sql) {
        std::vector<Encounter> out;
        q.for_each(sql, [&](const db::Row& r) { out.push_back(encounter_from(r)); });
        load_children(sql, out, true);
        return out;
    });
}

std::vector<Prescription> SqlRecordsStore::list_prescriptions(const std::string& patient_id,
                                                              std::optional<PrescriptionStatus> status) {
    db::Query q(std::string("SELECT ") + kPrescriptionColumns +
                " FROM prescriptions p JOIN encounters e ON e.id = p.encounter_id WHERE p.patient_id = ");
    q.bind(patient_id).sql(" AND e.signed_at <> 0");
    if (status) q.sql(" AND p.status = ").bind(std::string(to_string(*status)));
    q.sql(" ORDER BY e.signed_at DESC, p.encounter_id, p.position");
    return db_.read([&](soci::session& sql) {
        std::vector<Prescription> out;
        q.for_each(sql, [&](const db::Row& r) { out.push_back(prescription_from(r)); });
        return out;
    });
}

std::vector<VitalSigns> SqlRecordsStore::list_vitals(const VitalsQuery& vq) {
    db::Query q(std::string("SELECT ") + kVitalsColumns + " FROM vitals WHERE patient_id = ");
    q.bind(vq.patient_id);
    if (vq.from) q.sql(" AND taken_at >= ").bind(to_micros(*vq.from));
    if (vq.to) q.sql(" AND taken_at <= ").bind(to_micros(*vq.to));
    q.sql(" ORDER BY taken_at DESC, id DESC LIMIT ").bind(static_cast<long long>(vq.limit));
    return db_.read([&](soci::session& sql) {
        std::vector<VitalSigns> out;
        q.for_each(sql, [&](const db::Row& r) { out.push_back(vitals_from(r)); });
        std::reverse(out.begin(), out.end());
        return out;
    });
}

std::vector<VitalSigns> SqlRecordsStore::latest_vitals(const std::string& patient_id) {
    return db_.read([&](soci::session& sql) {
        std::vector<VitalSigns> out;
        // Systolic stands for the blood pressure (both or neither are stored).
        for (const char* column : {"systolic_mmhg", "heart_rate_bpm", "temperature_dc", "weight_g", "height_mm", "spo2_pct"}) {
            db::Query q(std::string("SELECT ") + kVitalsColumns + " FROM vitals WHERE patient_id = ");
            q.bind(patient_id).sql(" AND ").sql(column).sql(" IS NOT NULL ORDER BY taken_at DESC, id DESC LIMIT 1");
            q.for_each(sql, [&](const db::Row& r) {
                auto v = vitals_from(r);
                bool seen = std::any_of(out.begin(), out.end(), [&](const VitalSigns& o) { return o.id == v.id; });
                if (!seen) out.push_back(std::move(v));
            });
        }
        return out;
    });
}

std::vector<std::pair<Timestamp, double>> SqlRecordsStore::heights(const std::string& patient_id) {
    db::Query q("SELECT taken_at, height_mm FROM vitals WHERE patient_id = ");
    q.bind(patient_id).sql(" AND height_mm IS NOT NULL ORDER BY taken_at, id");
    return db_.read([&](soci::session& sql) {
        std::vector<std::pair<Timestamp, double>> out;
        q.for_each(sql, [&](const db::Row& r) {
            out.emplace_back(from_micros(as_int64(r, 0)), static_cast<double>(as_int64(r, 1)) / 10.0);
        });
        return out;
    });
}

std::vector<Allergy> SqlRecordsStore::list_allergies(const std::string& patient_id) {
    db::Query q(std::string("SELECT ") + kAllergyColumns + " FROM allergies WHERE patient_id = ");
    q.bind(patient_id).sql(" ORDER BY CASE status WHEN 'active' THEN 0 ELSE 1 END, created_at, id");
    return db_.read([&](soci::session& sql) {
        std::vector<Allergy> out;
        q.for_each(sql, [&](const db::Row& r) { out.push_back(allergy_from(r)); });
        return out;
    });
}

std::vector<Condition> SqlRecordsStore::list_conditions(const std::string& patient_id) {
    db::Query q(std::string("SELECT ") + kConditionColumns + " FROM conditions WHERE patient_id = ");
    q.bind(patient_id).sql(" ORDER BY CASE status WHEN 'active' THEN 0 ELSE 1 END, created_at, id");
    return db_.read([&](soci::session& sql) {
        std::vector<Condition> out;
        q.for_each(sql, [&](const db::Row& r) { out.push_back(condition_from(r)); });
        return out;
    });
}

}  // namespace medisecure::records
