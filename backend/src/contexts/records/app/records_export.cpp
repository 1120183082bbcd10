// SPDX-License-Identifier: Apache-2.0
#include "contexts/records/app/records_export.hpp"

#include <boost/json.hpp>
#include <limits>

#include "contexts/records/app/record_json.hpp"

namespace medisecure::records {

namespace json = boost::json;

std::vector<Encounter> RecordsExport::signed_encounters(const std::string& patient_id) {
    EncounterQuery q;
    q.patient_id = patient_id;
    q.which = EncounterQuery::Which::signed_only;
    q.limit = std::numeric_limits<int>::max();
    return store_.list_encounters(q);
}

json::value RecordsExport::export_json(const std::string& patient_id) {
    auto encounters = signed_encounters(patient_id);
    auto prescriptions = store_.list_prescriptions(patient_id, std::nullopt);
    VitalsQuery vq;
    vq.patient_id = patient_id;
    vq.limit = std::numeric_limits<int>::max();
    auto vitals = with_bmi(store_.list_vitals(vq), store_.heights(patient_id));
    auto allergies = store_.list_allergies(patient_id);
    auto conditions = store_.list_conditions(patient_id);

    std::set<std::string> people;
    for (const auto& e : encounters) views::people_of(e, people);
    for (const auto& p : prescriptions) views::people_of(p, people);
    for (const auto& v : vitals) views::people_of(v.vitals, people);
    for (const auto& a : allergies) views::people_of(a, people);
    for (const auto& c : conditions) views::people_of(c, people);
    auto names = directory_.user_names(people);

    json::array e_json, p_json, v_json, a_json, c_json;
    for (const auto& e : encounters) e_json.push_back(views::encounter_json(e, names, access::View::full, encounters_.intact(e)));
    for (const auto& p : prescriptions) p_json.push_back(views::prescription_json(p, names));
    for (const auto& v : vitals) v_json.push_back(views::vitals_json(v, names));
    for (const auto& a : allergies) a_json.push_back(views::allergy_json(a, names));
    for (const auto& c : conditions) c_json.push_back(views::condition_json(c, names));
    return json::object{{"encounters", std::move(e_json)},     {"prescriptions", std::move(p_json)},
                        {"vitals", std::move(v_json)},         {"allergies", std::move(a_json)},
                        {"conditions", std::move(c_json)}};
}

std::vector<jobs::ExportFile> RecordsExport::export_files(const std::string& patient_id) {
    std::vector<jobs::ExportFile> out;
    for (const auto& e : signed_encounters(patient_id))
        if (auto pdf = encounters_.render_pdf(e)) out.push_back({"records/" + pdf->filename, std::move(pdf->bytes)});
    return out;
}

}  // namespace medisecure::records
