// SPDX-License-Identifier: Apache-2.0
// The demo practice's medical records: for a dozen patients (the portal patients among them),
// six months of signed consultations with diagnoses and prescriptions, vital-sign series from
// consultations and nurse checks, chronic conditions, a few allergies, an amendment, a stopped
// prescription, and drafts awaiting their doctor's signature.
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

#include "contexts/records/app/chart_service.hpp"
#include "contexts/records/app/encounter_service.hpp"
#include "main/demo.hpp"

namespace medisecure {
namespace {

using records::DrugRoute;
using namespace std::chrono;

struct Line {
    const char* drug;
    const char* dose;
    DrugRoute route;
    const char* frequency;
    const char* duration;
    const char* instructions;
};

struct Visit {
    int days_ago;
    const char* reason;
    const char* subjective;
    const char* objective;
    const char* assessment;
    const char* plan;
    std::vector<const char*> codes;
    std::vector<Line> lines;
    int systolic, diastolic, heart_rate;
    double weight_kg;
    double temperature_c;  // 0: not taken
    int spo2;
};

struct Profile {
    std::vector<std::pair<const char*, int>> conditions;  // code, onset in years before today
    double height_cm;
    std::vector<Visit> visits;
};

const Line kAmlodipine{"Amlodipine 10 mg, comprimé", "1 comprimé", DrugRoute::oral, "1 fois par jour, le matin", "3 mois", ""};
const Line kAtorvastatine{"Atorvastatine 20 mg, comprimé pelliculé", "1 comprimé", DrugRoute::oral, "1 fois par jour, le soir", "3 mois", ""};
const Line kMetformine{"Metformine 1000 mg, comprimé pelliculé", "1 comprimé", DrugRoute::oral, "2 fois par jour", "3 mois",
                       "À prendre au milieu des repas pour limiter les troubles digestifs."};
const Line kParacetamol{"Paracétamol 1 g, comprimé", "1 comprimé", DrugRoute::oral, "jusqu'à 3 fois par jour si douleur ou fièvre",
                        "5 jours", "Respecter au moins 6 heures entre deux prises."};
const Line kLevothyroxine{"Lévothyroxine sodique 100 µg, comprimé", "1 comprimé", DrugRoute::oral, "1 fois par jour, le matin à jeun",
                          "3 mois", "À prendre 30 minutes avant le petit-déjeuner."};
const Line kApixaban{"Apixaban 5 mg, comprimé pelliculé", "1 comprimé", DrugRoute::oral, "2 fois par jour", "3 mois",
                     "Ne pas interrompre sans avis médical."};
const Line kBisoprolol{"Bisoprolol 2,5 mg, comprimé", "1 comprimé", DrugRoute::oral, "1 fois par jour, le matin", "3 mois", ""};
const Line kSertraline{"Sertraline 50 mg, gélule", "1 gélule", DrugRoute::oral, "1 fois par jour, le matin", "3 mois",
                       "Ne pas arrêter brutalement le traitement."};

const std::vector<Profile>& profiles() {
    static const std::vector<Profile> all = {
        // Hypertension and hypercholesterolaemia.
        {{{"I10", 6}, {"E78.0", 4}},
         168,
         {{160, "Suivi hypertension artérielle", "Pas de plainte. Bonne observance. Ni céphalées ni palpitations.",
           "TA 152/94 mmHg aux deux bras, FC 78/min. Auscultation cardio-pulmonaire normale. Pas d'œdème.",
           "HTA insuffisamment contrôlée sous monothérapie.",
           "Majoration du traitement. Bilan : ionogramme, créatinine, bilan lipidique. Automesure tensionnelle, "
           "contrôle dans 2 mois.",
           {"I10", "E78.0"}, {kAmlodipine, kAtorvastatine}, 152, 94, 78, 84.5, 0, 98},
          {95, "Résultats du bilan et contrôle tensionnel", "Automesure : moyenne 138/86 mmHg.", "TA 141/88 mmHg, FC 74/min.",
           "Amélioration, objectif tensionnel non atteint. LDL-cholestérol à 1,45 g/L.",
           "Poursuite du traitement, règles hygiéno-diététiques, 30 minutes de marche par jour.", {"I10"}, {}, 141, 88, 74,
           83.2, 0, 98},
          {30, "Renouvellement d'ordonnance", "Aucun effet indésirable.", "TA 133/82 mmHg, FC 72/min.", "HTA contrôlée.",
           "Renouvellement pour 3 mois.", {"Z76.0", "I10"}, {kAmlodipine, kAtorvastatine}, 133, 82, 72, 82.6, 0, 98}}},
        // Type 2 diabetes and obesity.
        {{{"E11.9", 8}, {"E66.9", 10}},
         172,
         {{170, "Suivi diabète de type 2", "Fatigue, polyurie modérée. Difficultés à suivre le régime.",
           "Poids 101,2 kg. TA 138/84. Pieds : pas de plaie, monofilament perçu.", "Diabète déséquilibré, HbA1c à 8,1 %.",
           "Majoration de la metformine, consultation diététique, fond d'œil annuel à programmer.", {"E11.9", "E66.9"},
           {kMetformine}, 138, 84, 82, 101.2, 0, 97},
          {80, "Suivi diabète de type 2", "Meilleure tolérance digestive, régime mieux suivi.", "Poids 98,4 kg. TA 132/80.",
           "Amélioration, HbA1c à 7,2 %.", "Poursuite du traitement, encourager l'activité physique.", {"E11.9"}, {kMetformine},
           132, 80, 76, 98.4, 0, 98},
          {15, "Plaie du gros orteil droit", "Petite plaie du gros orteil depuis une semaine.",
           "Plaie superficielle de 5 mm, non infectée. Pouls pédieux perçus.", "Plaie superficielle chez un diabétique.",
           "Soins locaux quotidiens par infirmier, surveillance, revoir si signes d'infection.", {"T14.1", "E11.9"},
           {{"Chlorhexidine 0,05 %, solution pour application cutanée", "1 application", DrugRoute::cutaneous, "1 fois par jour",
             "10 jours", "Nettoyer la plaie puis pansement sec."}},
           130, 78, 74, 96.9, 0, 98}}},
        // Asthma and hay fever.
        {{{"J45.9", 20}, {"J30.1", 12}},
         164,
         {{150, "Gêne respiratoire et toux nocturne",
           "Toux sèche nocturne depuis 3 semaines, sifflements à l'effort, rhinorrhée claire au printemps.",
           "Sibilants expiratoires diffus, SpO2 96 %, débit expiratoire de pointe 320 L/min (théorique 450).",
           "Asthme partiellement contrôlé, exacerbation pollinique.",
           "Traitement de fond, plan d'action écrit, contrôle dans 6 semaines.", {"J45.9", "J30.1"},
           {{"Budésonide/formotérol 200/6 µg, poudre pour inhalation", "1 inhalation", DrugRoute::inhaled, "matin et soir",
             "3 mois", "Se rincer la bouche après chaque prise."},
            {"Salbutamol 100 µg, suspension pour inhalation", "2 bouffées", DrugRoute::inhaled,
             "en cas de gêne respiratoire, jusqu'à 4 fois par jour", "3 mois", ""},
            {"Cétirizine 10 mg, comprimé", "1 comprimé", DrugRoute::oral, "1 fois par jour", "1 mois", ""}},
           122, 76, 88, 61.0, 0, 96},
          {100, "Contrôle asthme", "Plus de réveils nocturnes.", "Auscultation libre, SpO2 98 %, DEP 410 L/min.",
           "Asthme contrôlé.", "Poursuite du traitement de fond.", {"J45.9"}, {}, 118, 74, 72, 60.6, 0, 98}}},
        // Strep throat, then acute low back pain.
        {{{"M54.5", 0}},
         181,
         {{140, "Mal de gorge et fièvre", "Odynophagie depuis 2 jours, fièvre à 38,8 °C.",
           "Amygdales érythémateuses avec enduit blanchâtre, adénopathies cervicales sensibles. TDR streptocoque positif.",
           "Angine streptococcique.", "Antibiothérapie 6 jours, antalgiques. Reconsulter si pas d'amélioration à 48 h.",
           {"J03.0"},
           {{"Amoxicilline 1 g, comprimé dispersible", "1 comprimé", DrugRoute::oral, "2 fois par jour", "6 jours", ""},
            kParacetamol},
           124, 78, 96, 77.0, 38.6, 97},
          {45, "Douleurs lombaires", "Lombalgie basse depuis 5 jours après un port de charge, sans irradiation.",
           "Contracture paravertébrale, Lasègue négatif, pas de déficit.", "Lombalgie commune aiguë.",
           "Antalgiques, anti-inflammatoire de courte durée, maintien de l'activité.", {"M54.5"},
           {{"Ibuprofène 400 mg, comprimé", "1 comprimé", DrugRoute::oral, "3 fois par jour au cours des repas", "5 jours", ""},
            kParacetamol},
           128, 80, 74, 77.4, 0, 98}}},
        // Hypothyroidism.
        {{{"E03.9", 3}, {"E06.3", 3}},
         159,
         {{160, "Fatigue et frilosité", "Asthénie et frilosité depuis 2 mois, prise de 2 kg.",
           "Peau sèche, pas de goitre palpable. FC 58/min.", "Hypothyroïdie sous-dosée, TSH à 6,8 mUI/L.",
           "Augmentation de la lévothyroxine, TSH dans 6 semaines.", {"E03.9"}, {kLevothyroxine}, 118, 72, 58, 58.3, 0, 99},
          {90, "Résultat de TSH", "Moins fatiguée.", "FC 66/min.", "TSH à 2,1 mUI/L, équilibre atteint.",
           "Poursuite du traitement, TSH dans 6 mois.", {"E03.9"}, {kLevothyroxine}, 116, 70, 66, 57.6, 0, 99}}},
        // Depression.
        {{{"F32.1", 0}},
         176,
         {{175, "Tristesse et troubles du sommeil",
           "Humeur triste, perte d'intérêt, réveils précoces depuis 2 mois, contexte professionnel difficile. Pas d'idées "
           "suicidaires.",
           "Ralentissement psychomoteur modéré. PHQ-9 à 16.", "Épisode dépressif moyen.",
           "Antidépresseur, arrêt de travail 2 semaines, suivi psychologique, revoir dans 3 semaines.", {"F32.1", "Z56.6"},
           {kSertraline}, 126, 80, 70, 72.0, 0, 98},
          {150, "Suivi épisode dépressif", "Sommeil un peu meilleur, pas d'effet indésirable.", "Contact meilleur.",
           "Amélioration partielle, bonne tolérance.", "Poursuite à la même dose.", {"F32.1"}, {kSertraline}, 124, 78, 68, 71.4,
           0, 98},
          {60, "Suivi épisode dépressif", "Reprise du travail à mi-temps thérapeutique.", "PHQ-9 à 7.", "Nette amélioration.",
           "Poursuite du traitement 6 mois après la rémission.", {"F32.1"}, {kSertraline}, 122, 78, 66, 72.3, 0, 98}}},
        // Cystitis, then reflux.
        {{{"K21.9", 2}},
         166,
         {{120, "Brûlures mictionnelles", "Brûlures mictionnelles et pollakiurie depuis 24 heures, pas de fièvre.",
           "Bandelette urinaire : leucocytes +++, nitrites +. Pas de douleur lombaire.", "Cystite aiguë simple.",
           "Traitement minute, boissons abondantes.", {"N30.0"},
           {{"Fosfomycine trométamol 3 g, granulés pour solution buvable", "1 sachet", DrugRoute::oral,
             "en une prise unique, à distance des repas", "1 jour", ""}},
           120, 74, 80, 63.5, 37.2, 99},
          {35, "Brûlures d'estomac", "Pyrosis post-prandial et régurgitations acides.", "Abdomen souple, épigastre sensible.",
           "Reflux gastro-œsophagien sans signe d'alarme.",
           "IPP 4 semaines, mesures hygiéno-diététiques (surélever la tête du lit, éviter les repas tardifs).", {"K21.9"},
           {{"Oméprazole 20 mg, gélule gastro-résistante", "1 gélule", DrugRoute::oral, "1 fois par jour, le matin à jeun",
             "4 semaines", ""}},
           118, 72, 70, 64.1, 0, 99}}},
        // Atrial fibrillation on a long-standing hypertension.
        {{{"I48.0", 1}, {"I10", 10}},
         178,
         {{165, "Palpitations", "Palpitations irrégulières épisodiques depuis un mois.",
           "Pouls irrégulier à 96/min, TA 145/88. ECG : fibrillation auriculaire.",
           "Fibrillation auriculaire paroxystique, score CHA2DS2-VASc à 3.",
           "Anticoagulation, bêtabloquant, avis cardiologique demandé.", {"I48.0", "I10"}, {kApixaban, kBisoprolol}, 145, 88,
           96, 88.0, 0, 97},
          {70, "Suivi anticoagulation", "Plus de palpitations, pas de saignement.", "Pouls régulier à 68/min, TA 132/80.",
           "Rythme sinusal, bonne tolérance du traitement.", "Renouvellement, bilan rénal annuel.", {"I48.0", "Z92.1"},
           {kApixaban, kBisoprolol}, 132, 80, 68, 87.1, 0, 98}}},
    };
    return all;
}

struct Allergen {
    std::size_t patient;
    const char* substance;
    const char* reaction;
    records::Severity severity;
    const char* noted_on;
};
const Allergen kAllergies[] = {
    {2, "Pénicilline", "Urticaire généralisée", records::Severity::severe, "2009-04-12"},
    {4, "Arachide", "Œdème de Quincke", records::Severity::severe, "2014-06-03"},
    {7, "Produits de contraste iodés", "Éruption cutanée", records::Severity::moderate, "2019-10-21"},
    {10, "Pollens de graminées", "Rhinite et conjonctivite", records::Severity::mild, ""},
};

Caller as(const identity::User& u) {
    Caller c;
    c.user_id = u.id;
    c.role = u.role;
    c.request_id = "demo";
    c.client_ip = "local";
    return c;
}

template <class T>
T must(Result<T> r, const char* what) {
    if (!r) throw std::runtime_error(std::string("demo records: ") + what + ": " + r.error().code);
    return std::move(*r);
}

/// The days a demo duration covers: "5 jours", "4 semaines", "3 mois".
int course_days(const std::string& duration) {
    int n = std::atoi(duration.c_str());
    if (duration.find("semaine") != std::string::npos) return n * 7;
    if (duration.find("mois") != std::string::npos) return n * 30;
    return n;
}

std::vector<records::Prescription> lines_of(const std::vector<Line>& lines) {
    std::vector<records::Prescription> out;
    for (const auto& l : lines) {
        records::Prescription p;
        p.drug = l.drug;
        p.dose = l.dose;
        p.route = l.route;
        p.frequency = l.frequency;
        p.duration = l.duration;
        p.instructions = l.instructions;
        out.push_back(std::move(p));
    }
    return out;
}

}  // namespace

std::string seed_records_demo(Application& app, const DemoPractice& practice) {
    auto& encounters = app.encounters();
    auto& chart = app.chart();
    const Caller demo = practice.system;
    const Timestamp now = SystemClock{}.now();
    const auto today = floor<days>(now);
    const std::size_t patients = std::min<std::size_t>(12, practice.patients.size());
    int signed_count = 0, vitals_count = 0;
    std::map<std::string, const identity::User*> doctors;
    for (const auto& d : practice.doctors) doctors[d.id] = &d;
    std::vector<records::Encounter> firsts;  // each patient's first consultation

    for (std::size_t i = 0; i < patients; ++i) {
        const auto& patient = practice.patients[i];
        const auto& profile = profiles()[i % profiles().size()];
        const int shift = static_cast<int>(i / profiles().size());  // the second patient of a profile differs a little
        auto found = doctors.find(patient.primary_practitioner_id);
        const identity::User& doctor = found != doctors.end() ? *found->second : practice.doctors.at(i % practice.doctors.size());
        const identity::User& nurse = practice.nurses.at(i % practice.nurses.size());
        // Consultations from 08:00 UTC (09:00 or 10:00 in Paris), one patient after another.
        auto at = [&](int days_ago, int extra_minutes) {
            return Timestamp{today - days(days_ago + 3 * shift)} + hours(8) + minutes(25 * static_cast<int>(i) + extra_minutes);
        };
        auto vitals = [&](const Caller& who, Timestamp when, int sys, int dia, int hr, double weight, double temp, int spo2,
                          std::optional<double> height, const std::string& encounter_id, const char* note) {
            records::VitalSigns v;
            v.patient_id = patient.id;
            v.encounter_id = encounter_id;
            v.systolic_mmhg = sys + 4 * shift;
            v.diastolic_mmhg = dia + 2 * shift;
            v.heart_rate_bpm = hr;
            v.weight_kg = weight + 5 * shift;
            if (temp > 0) v.temperature_c = temp;
            v.spo2_pct = spo2;
            v.height_cm = height;
            v.note = note;
            must(chart.record_vitals(who, std::move(v), when), "vitals");
            ++vitals_count;
        };

        bool first = true;
        for (const auto& visit : profile.visits) {
            records::Encounter e;
            e.patient_id = patient.id;
            e.author_id = doctor.id;
            e.occurred_at = at(visit.days_ago, 0);
            e.reason = visit.reason;
            e.notes = {visit.subjective, visit.objective, visit.assessment, visit.plan};
            for (const char* code : visit.codes) e.diagnoses.push_back({code, "", false});
            e.prescriptions = lines_of(visit.lines);
            e.signed_at = at(visit.days_ago, 22);
            auto stored = must(encounters.import_signed(demo, std::move(e)), "encounter");
            ++signed_count;
            vitals(as(doctor), at(visit.days_ago, 5), visit.systolic, visit.diastolic, visit.heart_rate, visit.weight_kg,
                   visit.temperature_c, visit.spo2, first ? std::optional<double>(profile.height_cm + 3 * shift) : std::nullopt,
                   stored.id, "");
            if (first) firsts.push_back(stored);
            first = false;
        }
        // Nurse checks between consultations, following the trend the consultations show.
        for (int k : {135, 65, 8}) {
            const Visit* before = nullptr;  // the latest consultation at or before the check
            const Visit* after = nullptr;   // the first one after it
            for (const auto& v : profile.visits) {
                if (v.days_ago >= k) before = &v;
                else if (!after) after = &v;
            }
            const Visit& a = before ? *before : *after;
            const Visit& b = after ? *after : *before;
            double f = &a == &b ? 0.0 : static_cast<double>(a.days_ago - k) / (a.days_ago - b.days_ago);
            auto mix = [&](double x, double y) { return x + (y - x) * f; };
            vitals(as(nurse), at(k, 180), static_cast<int>(std::lround(mix(a.systolic, b.systolic))) + 2,
                   static_cast<int>(std::lround(mix(a.diastolic, b.diastolic))), static_cast<int>(std::lround(mix(a.heart_rate, b.heart_rate))),
                   std::round(mix(a.weight_kg, b.weight_kg) * 10) / 10, 0, a.spo2, std::nullopt, "",
                   k == 8 ? "Contrôle infirmier : pas de plainte, traitement bien pris." : "");
        }

        const auto birth = sys_days{patient.birth_date};
        for (const auto& [code, years] : profile.conditions) {
            records::Condition c;
            c.patient_id = patient.id;
            c.code = code;
            auto onset = year_month_day{today - days(365 * years + 40 + 11 * static_cast<int>(i))};
            if (sys_days{onset} > birth) c.onset_date = onset;
            must(chart.add_condition(as(doctor), std::move(c)), "condition");
        }
    }

    for (const auto& a : kAllergies) {
        if (a.patient >= patients) continue;
        records::Allergy allergy;
        allergy.patient_id = practice.patients[a.patient].id;
        allergy.substance = a.substance;
        allergy.reaction = a.reaction;
        allergy.severity = a.severity;
        allergy.noted_on = parse_date(a.noted_on);
        must(chart.add_allergy(as(practice.nurses.front()), std::move(allergy)), "allergy");
    }

    // A correction of a signed consultation, and a prescription stopped for an adverse effect.
    auto author_of = [&](const records::Encounter& e) {
        for (const auto& d : practice.doctors)
            if (d.id == e.author_id) return as(d);
        return as(practice.doctors.front());
    };
    if (firsts.size() > 5) {
        must(encounters.amend(author_of(firsts[5]),
                              firsts[5].id,
                              {"Ajout du diagnostic d'insomnie associée, traitée par les mesures d'hygiène du sommeil.",
                               {{"F32.1", "", true}, {"F51.0", "", false}}}),
             "amendment");
    }
    if (firsts.size() > 3) {
        // The lumbago consultation is the second one of the strep-throat profile.
        auto page = must(encounters.list(demo, firsts[3].patient_id, std::nullopt, 10), "encounters");
        for (const auto& e : page.items)
            for (const auto& p : e.prescriptions)
                if (p.drug.rfind("Ibuprofène", 0) == 0)
                    must(encounters.set_prescription_status(author_of(e), p.id, p.version, records::PrescriptionStatus::stopped,
                                                            "Épigastralgies"),
                         "stop prescription");
    }

    // Courses that ended: a renewal supersedes the same drug's previous prescription, and a
    // treatment whose duration has passed is over.
    for (std::size_t i = 0; i < patients; ++i) {
        auto page = must(encounters.list(demo, practice.patients[i].id, std::nullopt, 20), "encounters");
        std::set<std::string> renewed;  // drugs prescribed again later (pages are newest first)
        for (const auto& e : page.items) {
            if (!e.is_signed()) continue;
            for (const auto& p : e.prescriptions) {
                bool over = *e.signed_at + days(course_days(p.duration)) < now;
                const char* why = renewed.count(p.drug) ? "Renouvelé" : over ? "Traitement terminé" : nullptr;
                if (p.status == records::PrescriptionStatus::active && why)
                    must(encounters.set_prescription_status(author_of(e), p.id, p.version, records::PrescriptionStatus::completed, why),
                         "complete prescription");
            }
            for (const auto& p : e.prescriptions) renewed.insert(p.drug);
        }
    }

    // Drafts awaiting signature: a consultation in progress this morning.
    struct Draft {
        std::size_t patient;
        const char* reason;
        const char* subjective;
    };
    for (const auto& d : {Draft{3, "Toux persistante", "Toux grasse depuis 10 jours, pas de fièvre."},
                          Draft{9, "Suivi diabète de type 2", "Bilan biologique à récupérer."},
                          Draft{1, "Certificat de sport", ""}}) {
        if (d.patient >= patients) continue;
        const auto& patient = practice.patients[d.patient];
        auto found = doctors.find(patient.primary_practitioner_id);
        const identity::User& doctor = found != doctors.end() ? *found->second : practice.doctors.front();
        records::EncounterInput in;
        in.patient_id = patient.id;
        in.occurred_at = now - minutes(30 + 10 * static_cast<int>(d.patient));
        in.reason = d.reason;
        in.notes.subjective = d.subjective;
        must(encounters.create(as(doctor), std::move(in)), "draft");
    }

    std::ostringstream out;
    out << "\n" << patients << " patients have medical records: " << signed_count << " signed consultations, "
        << vitals_count << " vital-sign records, 3 drafts awaiting signature.\n";
    return out.str();
}

}  // namespace medisecure
