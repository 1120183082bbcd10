// SPDX-License-Identifier: Apache-2.0
#include "contexts/patients/app/patient_service.hpp"

#include <boost/json.hpp>

#include "contexts/patients/domain/mrn.hpp"
#include "contexts/patients/domain/nir.hpp"
#include "core/random.hpp"
#include "core/text.hpp"

namespace medisecure::patients {

using audit::Outcome;

namespace {
Error patient_not_found() { return not_found("patient_not_found", "No such patient."); }

const std::vector<std::string>& patient_editable_by_patient() {
    static const std::vector<std::string> f = {"email", "phone", "address", "emergency_contact", "preferred_language"};
    return f;
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}
}  // namespace

PatientService::PatientService(PatientStore& store, audit::AuditTrail& audit, const Clock& clock,
                               std::function<bool(const std::string&)> practitioner_exists)
    : store_(store), audit_(audit), clock_(clock), practitioner_exists_(std::move(practitioner_exists)) {}

bool PatientService::may_read(const Caller& c, const std::string& id) const {
    if (c.is(Role::patient)) return c.patient_id == id;
    return c.any_of({Role::admin, Role::doctor, Role::nurse, Role::secretary, Role::accountant, Role::system});
}

Result<void> PatientService::check_fields(Patient& p, bool check_practitioner) {
    std::vector<FieldIssue> issues;
    p.first_name = trim(p.first_name);
    p.last_name = trim(p.last_name);
    p.birth_name = trim(p.birth_name);
    p.email = to_lower_ascii(trim(p.email));
    if (!p.nir.empty())
        if (auto n = parse_nir(p.nir)) p.nir = n->value;
    auto domain = validate(p, date_of(clock_.now()));
    issues.insert(issues.end(), domain.begin(), domain.end());
    if (check_practitioner && !p.primary_practitioner_id.empty() && practitioner_exists_ &&
        !practitioner_exists_(p.primary_practitioner_id))
        issues.push_back({"/primary_practitioner_id", "unknown_practitioner", "does not name an active doctor"});
    if (!issues.empty()) return invalid_input("validation_failed", "The request has invalid fields.", std::move(issues));
    return {};
}

Result<Patient> PatientService::register_patient(const Caller& caller, Patient p, bool allow_duplicate) {
    if (!caller.any_of({Role::admin, Role::doctor, Role::nurse, Role::secretary, Role::system}))
        return forbidden("role_not_allowed", "Your role does not allow registering patients.");
    if (auto v = check_fields(p, true); !v) return v.error();
    auto now = clock_.now();
    p.id = new_uuid_v7(now);
    p.created_at = p.updated_at = now;
    p.version = 1;
    p.archived = false;
    std::vector<DuplicateCandidate> duplicates;
    auto created = store_.write([&](PatientUnit& unit) -> Result<Patient> {
        duplicates.clear();
        if (!allow_duplicate) {
            duplicates = unit.find_duplicates(p);
            if (!duplicates.empty()) return conflict("patient.possible_duplicate", "");
        }
        p.mrn = make_mrn(unit.next_mrn_sequence());
        unit.insert(p);
        return p;
    });
    if (!created) {
        if (created.error().code == "patient.possible_duplicate") {
            audit_.record(caller, {"patient.create", "patient", "", "", Outcome::failure, "possible_duplicate"});
            namespace json = boost::json;
            json::array candidates;
            // Staff who may register may see who the candidates are; nothing else is disclosed.
            for (const auto& d : duplicates)
                candidates.push_back(json::object{{"id", d.patient.id},
                                                  {"mrn", d.patient.mrn},
                                                  {"first_name", d.patient.first_name},
                                                  {"last_name", d.patient.last_name},
                                                  {"birth_date", format_date(d.patient.birth_date)},
                                                  {"reason", d.reason}});
            Error e = conflict("patient.possible_duplicate",
                               "A patient with the same identity exists. Open the existing record, or send "
                               "allow_duplicate=true if this is a different person.");
            e.extensions_json = json::serialize(json::object{{"candidates", std::move(candidates)}});
            return e;
        }
        return created.error();
    }
    audit_.record(caller, {"patient.create", "patient", created->id, created->id, Outcome::success, ""});
    return created;
}

Result<std::vector<Patient>> PatientService::import_patients(const Caller& caller, std::vector<Patient> input) {
    if (!caller.any_of({Role::admin, Role::system}))
        return forbidden("role_not_allowed", "Only administrators import patients.");
    std::vector<FieldIssue> issues;
    for (std::size_t i = 0; i < input.size(); ++i) {
        if (auto v = check_fields(input[i], true); !v) {
            for (auto issue : v.error().fields) {
                issue.field = "/" + std::to_string(i) + issue.field;
                issues.push_back(std::move(issue));
            }
        }
    }
    if (!issues.empty()) return invalid_input("validation_failed", "Some imported records are invalid.", std::move(issues));
    auto now = clock_.now();
    for (auto& p : input) {
        p.id = new_uuid_v7(now);
        p.created_at = p.updated_at = now;
        p.version = 1;
        p.archived = false;
    }
    auto stored = store_.write([&](PatientUnit& unit) -> Result<Patient> {
        for (auto& p : input) {
            p.mrn = make_mrn(unit.next_mrn_sequence());
            unit.insert(p);
        }
        return input.empty() ? Patient{} : input.back();
    });
    if (!stored) return stored.error();
    for (const auto& p : input) audit_.record(caller, {"patient.create", "patient", p.id, p.id, Outcome::success, "import"});
    return input;
}

Result<Patient> PatientService::get(const Caller& caller, const std::string& id) {
    if (!may_read(caller, id)) {
        audit_.record(caller, {"patient.read", "patient", id, id, Outcome::denied, ""});
        return patient_not_found();
    }
    auto p = store_.find(id);
    if (!p) {
        audit_.record(caller, {"patient.read", "patient", id, id, Outcome::not_found, ""});
        return patient_not_found();
    }
    audit_.record(caller, {"patient.read", "patient", id, id, Outcome::success,
                           view_for(caller.role) == PatientView::billing ? "view=billing" : ""});
    return *p;
}

Result<Patient> PatientService::update(const Caller& caller, const std::string& id, std::int64_t expected_version,
                                       const PatientPatch& patch) {
    bool staff = caller.any_of({Role::admin, Role::doctor, Role::nurse, Role::secretary, Role::system});
    bool self = caller.is(Role::patient) && caller.patient_id == id;
    if (!staff && !self) {
        audit_.record(caller, {"patient.update", "patient", id, id, Outcome::denied, ""});
        if (caller.is(Role::patient)) return patient_not_found();
        return forbidden("role_not_allowed", "Your role does not allow editing patients.");
    }
    if (self) {
        std::vector<FieldIssue> refused;
        for (const auto& f : patch.fields)
            if (std::find(patient_editable_by_patient().begin(), patient_editable_by_patient().end(), f) ==
                patient_editable_by_patient().end())
                refused.push_back({"/" + f, "not_editable", "is changed by the practice, not through the portal"});
        if (!refused.empty()) {
            audit_.record(caller, {"patient.update", "patient", id, id, Outcome::denied, "fields=" + join(patch.fields)});
            Error e = forbidden("fields_not_editable", "Some of these fields are changed by the practice only.");
            e.fields = std::move(refused);
            return e;
        }
    }
    Patient before;
    auto updated = store_.write([&](PatientUnit& unit) -> Result<Patient> {
        auto found = unit.find(id);
        if (!found) return patient_not_found();
        if (found->version != expected_version)
            return Error{ErrorKind::precondition_failed, "stale_version",
                         "The record was changed by someone else; reload it and try again."};
        before = *found;
        Patient p = *found;
        if (patch.first_name) p.first_name = *patch.first_name;
        if (patch.last_name) p.last_name = *patch.last_name;
        if (patch.birth_name) p.birth_name = *patch.birth_name;
        if (patch.sex) p.sex = *patch.sex;
        if (patch.birth_date) p.birth_date = *patch.birth_date;
        if (patch.birth_place_code) p.birth_place_code = *patch.birth_place_code;
        if (patch.nir) p.nir = *patch.nir;
        if (patch.ins_oid) p.ins_oid = *patch.ins_oid;
        if (patch.identity_status) p.identity_status = *patch.identity_status;
        if (patch.email) p.email = *patch.email;
        if (patch.phone) p.phone = *patch.phone;
        if (patch.address) p.address = *patch.address;
        if (patch.emergency_contact) p.emergency_contact = *patch.emergency_contact;
        if (patch.insurance) p.insurance = *patch.insurance;
        if (patch.preferred_language) p.preferred_language = *patch.preferred_language;
        if (patch.primary_practitioner_id) p.primary_practitioner_id = *patch.primary_practitioner_id;
        // A practitioner who left must not block unrelated edits: check the link only when it changes.
        bool practitioner_changed = p.primary_practitioner_id != before.primary_practitioner_id;
        if (auto v = check_fields(p, practitioner_changed); !v) return v.error();
        p.updated_at = clock_.now();
        p.version = found->version + 1;
        if (!unit.update(p))
            return Error{ErrorKind::precondition_failed, "stale_version",
                         "The record was changed by someone else; reload it and try again."};
        return p;
    });
    if (!updated) {
        auto outcome = updated.error().kind == ErrorKind::not_found ? Outcome::not_found : Outcome::failure;
        audit_.record(caller, {"patient.update", "patient", id, id, outcome, updated.error().code});
        return updated.error();
    }
    audit_.record(caller, {"patient.update", "patient", id, id, Outcome::success, "fields=" + join(patch.fields)});
    return updated;
}

Result<Patient> PatientService::archive(const Caller& caller, const std::string& id) {
    if (!caller.any_of({Role::admin, Role::system})) {
        audit_.record(caller, {"patient.archive", "patient", id, id, Outcome::denied, ""});
        if (caller.is(Role::patient)) return patient_not_found();
        return forbidden("role_not_allowed", "Only administrators archive patients.");
    }
    auto r = store_.write([&](PatientUnit& unit) -> Result<Patient> {
        auto found = unit.find(id);
        if (!found) return patient_not_found();
        if (found->archived) return *found;
        Patient p = *found;
        p.archived = true;
        p.updated_at = clock_.now();
        p.version += 1;
        if (!unit.update(p)) return conflict("concurrent_change", "The record changed meanwhile; try again.");
        return p;
    });
    audit_.record(caller, {"patient.archive", "patient", id, id,
                           r ? Outcome::success : (r.error().kind == ErrorKind::not_found ? Outcome::not_found : Outcome::failure),
                           ""});
    return r;
}

int PatientService::normalise(PatientQuery& q) {
    if (!q.nir.empty())
        if (auto n = parse_nir(q.nir)) q.nir = n->value;
    int limit = std::clamp(q.limit, 1, kMaxPageSize);
    q.limit = limit + 1;  // one more tells whether there is a next page
    return limit;
}

bool PatientService::search_cached(PatientQuery q) {
    normalise(q);
    return store_.search_cached(q);
}

Result<SearchPage> PatientService::search(const Caller& caller, PatientQuery q) {
    if (!caller.any_of({Role::admin, Role::doctor, Role::nurse, Role::secretary, Role::accountant, Role::system})) {
        audit_.record(caller, {"patient.search", "patient", "", "", Outcome::denied, ""});
        return forbidden("role_not_allowed", "Your role does not allow searching patients.");
    }
    if (q.terms.empty() && !q.birth_date && q.mrn.empty() && q.nir.empty())
        return invalid_field("q", "required", "give a name, a birth date, an MRN or a NIR");
    int limit = normalise(q);
    SearchPage page;
    page.patients = store_.search(q);
    if (static_cast<int>(page.patients.size()) > limit) {
        page.patients.resize(static_cast<std::size_t>(limit));
        const auto& last = page.patients.back();
        page.next = SearchCursor{sort_key_of(last), last.id};
    }
    // The query text is not recorded: a name typed in a search is itself personal data.
    audit_.record(caller, {"patient.search", "patient", "", "", Outcome::success,
                           "results=" + std::to_string(page.patients.size())});
    return page;
}

}  // namespace medisecure::patients

namespace medisecure::patients {

std::map<std::string, PatientBrief> PatientService::briefs(const std::set<std::string>& ids) {
    std::map<std::string, PatientBrief> out;
    for (const auto& id : ids) {
        auto p = store_.find(id);
        if (!p) continue;
        out[id] = PatientBrief{p->id,        p->mrn,       p->first_name, p->last_name,         p->birth_name,
                               p->birth_date, p->sex,       p->email,      p->preferred_language, p->nir,
                               p->address,    p->primary_practitioner_id};
    }
    return out;
}

}  // namespace medisecure::patients
