// SPDX-License-Identifier: Apache-2.0
#include "contexts/patients/app/patient_export_source.hpp"

#include <boost/json.hpp>

namespace medisecure::patients {
namespace json = boost::json;

json::value PatientExportSource::export_json(const std::string& patient_id) {
    auto p = store_.find(patient_id);
    if (!p) return json::object{};
    return json::object{
        {"mrn", p->mrn},
        {"first_name", p->first_name},
        {"last_name", p->last_name},
        {"birth_name", p->birth_name},
        {"sex", to_string(p->sex)},
        {"birth_date", format_date(p->birth_date)},
        {"birth_place_code", p->birth_place_code},
        {"nir", p->nir},
        {"ins_oid", p->ins_oid},
        {"identity_status", to_string(p->identity_status)},
        {"email", p->email},
        {"phone", p->phone},
        {"address", json::object{{"line1", p->address.line1}, {"line2", p->address.line2},
                                 {"postal_code", p->address.postal_code}, {"city", p->address.city},
                                 {"country", p->address.country}}},
        {"emergency_contact", json::object{{"name", p->emergency_contact.name},
                                           {"relationship", p->emergency_contact.relationship},
                                           {"phone", p->emergency_contact.phone}}},
        {"insurance", json::object{{"amo_number", p->insurance.amo_number}, {"amo_fund", p->insurance.amo_fund},
                                   {"amc_name", p->insurance.amc_name}, {"amc_number", p->insurance.amc_number}}},
        {"preferred_language", p->preferred_language},
        {"archived", p->archived},
        {"created_at", format_instant(p->created_at)},
        {"updated_at", format_instant(p->updated_at)},
    };
}

}  // namespace medisecure::patients
