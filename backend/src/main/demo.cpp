// SPDX-License-Identifier: Apache-2.0
#include "main/demo.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "contexts/appointments/app/appointment_service.hpp"
#include "contexts/appointments/app/schedule_service.hpp"
#include "contexts/identity/app/user_admin.hpp"
#include "contexts/patients/app/patient_service.hpp"
#include "contexts/patients/domain/nir.hpp"

namespace medisecure {
namespace {

struct Staff {
    const char* email;
    const char* name;
    Role role;
};

const Staff kStaff[] = {
    {"dr.lefevre@cabinet-demo.fr", "Dr Hélène Lefèvre", Role::doctor},
    {"dr.nguyen@cabinet-demo.fr", "Dr François Nguyen", Role::doctor},
    {"dr.benali@cabinet-demo.fr", "Dr Inès Benali", Role::doctor},
    {"infirmier.moreau@cabinet-demo.fr", "Loïc Moreau", Role::nurse},
    {"infirmiere.girard@cabinet-demo.fr", "Cécile Girard", Role::nurse},
    {"accueil.dupont@cabinet-demo.fr", "Zoé Dupont", Role::secretary},
    {"accueil.leclerc@cabinet-demo.fr", "Jérôme Leclerc", Role::secretary},
    {"compta.faure@cabinet-demo.fr", "Agnès Faure", Role::accountant},
    {"direction.roux@cabinet-demo.fr", "Benoît Roux", Role::admin},
};

const char* kFemale[] = {"Hélène", "Élodie", "Chloé", "Léa", "Inès", "Gaëlle", "Cécile", "Anaïs", "Maëlys",
                         "Agnès", "Françoise", "Béatrice", "Valérie", "Amélie", "Aurélie", "Ophélie",
                         "Marie-Hélène", "Anne-Sophie", "Noémie", "Zoé", "Joséphine", "Clémence"};
const char* kMale[] = {"François", "Loïc", "Noël", "Jérôme", "Benoît", "Raphaël", "Mathéo", "Théo", "Clément",
                       "Stéphane", "Frédéric", "Sébastien", "Joël", "Jean-Pierre", "Jean-François", "Grégoire",
                       "Hervé", "Rémi", "Aurélien", "Gaël", "Anatole", "Côme"};
const char* kLast[] = {"Dupont", "Lefèvre", "Lemaître", "Moreau", "Bérard", "Fournier", "Girard", "Gauthier",
                       "Mercier", "Chevalier", "Bonnet", "Rousseau", "Garnier", "Faure", "André", "Perrin",
                       "Crépin", "Noël", "Lebœuf", "Leclère", "N'Diaye", "Le Goff", "de La Fontaine",
                       "Saint-Exupéry", "Martin-Lagardère", "Hoarau", "Santini", "Pietri", "Benoît", "Müller-Roche"};

struct Place {
    const char* dept;     // NIR department (2A/2B for Corsica)
    const char* commune;  // NIR commune (3 digits)
    const char* postal;
    const char* city;
};
const Place kPlaces[] = {{"75", "115", "75015", "Paris"},    {"69", "123", "69003", "Lyon"},
                         {"13", "055", "13008", "Marseille"}, {"2A", "004", "20000", "Ajaccio"},
                         {"2B", "033", "20200", "Bastia"},    {"33", "063", "33000", "Bordeaux"},
                         {"59", "350", "59000", "Lille"},     {"974", "11", "97400", "Saint-Denis"}};
const char* kStreets[] = {"rue de la République", "avenue Jean-Jaurès", "boulevard Saint-Michel", "place de l'Église",
                          "rue des Écoles", "chemin des Vignes", "allée des Châtaigniers", "quai de la Loire"};

std::string make_nir(bool male, int year, int month, const Place& place, int order) {
    // Department and commune take five characters together: 2+3 in metropolitan France,
    // 3+2 overseas (974 11).
    char head[32];
    std::snprintf(head, sizeof head, "%d%02d%02d%s%s%03d", male ? 1 : 2, year % 100, month, place.dept, place.commune, order);
    std::string first13(head);
    char key[4];
    std::snprintf(key, sizeof key, "%02d", patients::nir_key(first13));
    return first13 + key;
}

std::string credentials_path(const Application& app) {
    return (std::filesystem::path(app.config().data_dir) / "demo-credentials.txt").string();
}

}  // namespace

std::string seed_demo(Application& app) {
    auto path = credentials_path(app);
    if (std::ifstream in{path}) {
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
    auto& users = app.users();
    auto& patients = app.patients();
    const Caller demo = Caller::system("demo");
    std::ostringstream creds;
    creds << "MediSecure demo accounts (generated passwords; this file is readable by you only)\n\n";

    DemoPractice practice;
    std::vector<std::string> doctors;
    for (const auto& s : kStaff) {
        identity::NewUser u;
        u.email = s.email;
        u.display_name = s.name;
        u.role = s.role;
        auto created = users.create(demo, u);
        if (!created) throw std::runtime_error("demo user " + std::string(s.email) + ": " + created.error().code);
        if (s.role == Role::doctor) doctors.push_back(created->user.id);
        switch (s.role) {
        case Role::doctor: practice.doctors.push_back(created->user); break;
        case Role::nurse: practice.nurses.push_back(created->user); break;
        case Role::secretary: practice.secretaries.push_back(created->user); break;
        case Role::accountant: practice.accountants.push_back(created->user); break;
        case Role::admin: practice.admins.push_back(created->user); break;
        case Role::patient:
        case Role::system: break;
        }
        creds << "  " << std::string(to_string(s.role)) << std::string(12 - to_string(s.role).size(), ' ') << s.email
              << "  " << created->temporary_password << "\n";
    }

    std::vector<patients::Patient> created_patients;
    int n = 0;
    for (int i = 0; i < 60; ++i) {
        bool male = i % 2 == 1;
        patients::Patient p;
        p.first_name = male ? kMale[(i * 7) % std::size(kMale)] : kFemale[(i * 5) % std::size(kFemale)];
        p.last_name = kLast[(i * 11) % std::size(kLast)];
        if (!male && i % 5 == 0) p.birth_name = kLast[(i * 13 + 3) % std::size(kLast)];
        p.sex = male ? patients::Sex::male : patients::Sex::female;
        int year = 1938 + (i * 17) % 84;
        int month = 1 + (i * 5) % 12;
        int day = 1 + (i * 7) % 28;
        p.birth_date = Date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                            std::chrono::day{static_cast<unsigned>(day)}};
        const auto& place = kPlaces[i % std::size(kPlaces)];
        if (i % 4 != 3) {  // some patients have no NIR yet (e.g. just arrived)
            p.nir = make_nir(male, year, month, place, 100 + i);
            p.ins_oid = "1.2.250.1.213.1.4.8";
            p.identity_status = i % 3 == 0 ? patients::IdentityStatus::qualified : patients::IdentityStatus::validated;
            p.birth_place_code = std::string(place.dept) + place.commune;
            p.insurance.amo_number = p.nir.substr(0, 13);
            p.insurance.amo_fund = "CPAM " + std::string(place.postal).substr(0, 2);
        }
        if (i % 3 == 0) {
            p.insurance.amc_name = i % 2 ? "MGEN" : "Harmonie Mutuelle";
            p.insurance.amc_number = std::to_string(40000000 + i * 1373);
        }
        p.email = "patient" + std::to_string(i + 1) + "@exemple-demo.fr";
        char phone[32];
        std::snprintf(phone, sizeof phone, "+33 6 %02d %02d %02d %02d", 10 + i % 89, (i * 3) % 100, (i * 7) % 100, (i * 11) % 100);
        p.phone = phone;
        p.address.line1 = std::to_string(1 + (i * 3) % 120) + " " + kStreets[i % std::size(kStreets)];
        p.address.postal_code = place.postal;
        p.address.city = place.city;
        p.address.country = "FR";
        p.emergency_contact = {"Famille " + std::string(kLast[(i * 11) % std::size(kLast)]), i % 2 ? "conjoint" : "enfant",
                               "+33 1 45 67 " + std::to_string(10 + i % 90) + " 00"};
        p.preferred_language = i % 9 == 0 ? "en" : "fr";
        p.primary_practitioner_id = doctors[static_cast<std::size_t>(i) % doctors.size()];
        auto r = patients.register_patient(demo, p, true);
        if (!r) throw std::runtime_error("demo patient " + std::to_string(i) + ": " + r.error().code);
        created_patients.push_back(*r);
        ++n;
    }

    creds << "\nPatient portal accounts\n";
    for (int i : {0, 1, 2}) {
        const auto& p = created_patients[static_cast<std::size_t>(i)];
        identity::NewUser u;
        u.email = p.email;
        u.display_name = p.first_name + " " + p.last_name;
        u.role = Role::patient;
        u.patient_id = p.id;
        auto created = users.create(demo, u);
        if (!created) throw std::runtime_error("demo portal account: " + created.error().code);
        creds << "  patient     " << u.email << "  " << created->temporary_password << "   (" << u.display_name << ")\n";
        practice.portal_patient_ids.push_back(p.id);
    }
    practice.patients = created_patients;
    creds << "\n" << n << " patients registered.\n";
    creds << seed_demo_appointments(app, practice) << " appointments booked.\n";
    creds << seed_records_demo(app, practice);
    creds << seed_billing_demo(app, practice);
    creds << seed_documents_demo(app, practice);

    std::string text = creds.str();
    {
        std::ofstream out(path, std::ios::trunc);
        out << text;
    }
    ::chmod(path.c_str(), 0600);
    return text;
}

std::string generate_population(Application& app, int patient_count, int appointment_count) {
    seed_demo(app);
    const Caller sys = Caller::system("demo");
    auto& patients = app.patients();
    std::vector<std::string> doctors, type_of;
    if (auto offers = app.schedules().practitioners(sys)) {
        for (const auto& o : *offers) {
            if (o.types.empty()) continue;
            // The shortest type; the generated slots below are 20 minutes apart.
            auto shortest = std::min_element(o.types.begin(), o.types.end(), [](const auto& x, const auto& y) {
                return x.duration_minutes < y.duration_minutes;
            });
            if (shortest->duration_minutes > 20) continue;
            doctors.push_back(o.practitioner.id);
            type_of.push_back(shortest->id);
        }
    }
    if (doctors.empty()) throw std::runtime_error("the demo practice has no doctors");

    // A fixed seed: the same population every time, so that runs compare.
    std::uint64_t state = 0x9E3779B97F4A7C15ULL;
    auto next = [&](std::uint64_t bound) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state % bound;
    };
    auto pick = [&](const auto& list) { return std::string(list[next(std::size(list))]); };

    std::vector<std::string> ids;
    ids.reserve(static_cast<std::size_t>(patient_count));
    constexpr int kBatch = 2000;
    for (int done = 0; done < patient_count;) {
        std::vector<patients::Patient> batch;
        int n = std::min(kBatch, patient_count - done);
        for (int k = 0; k < n; ++k) {
            int i = done + k;
            bool male = next(2) == 1;
            patients::Patient p;
            p.first_name = male ? pick(kMale) : pick(kFemale);
            if (next(6) == 0) p.first_name += "-" + (male ? pick(kMale) : pick(kFemale));
            p.last_name = pick(kLast);
            if (next(8) == 0) p.last_name += "-" + pick(kLast);
            if (!male && next(4) == 0) p.birth_name = pick(kLast);
            p.sex = male ? patients::Sex::male : patients::Sex::female;
            int year = 1930 + static_cast<int>(next(95)), month = 1 + static_cast<int>(next(12));
            p.birth_date = Date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                std::chrono::day{static_cast<unsigned>(1 + next(28))}};
            const auto& place = kPlaces[next(std::size(kPlaces))];
            if (next(5) != 0) {
                p.nir = make_nir(male, year, month, place, static_cast<int>(1 + next(999)));
                p.insurance.amo_number = p.nir.substr(0, 13);
                p.insurance.amo_fund = "CPAM " + std::string(place.postal).substr(0, 2);
            }
            p.email = "patient" + std::to_string(i + 1) + ".gen@exemple-demo.fr";
            char phone[32];
            std::snprintf(phone, sizeof phone, "+33 6 %02d %02d %02d %02d", static_cast<int>(next(100)),
                          static_cast<int>(next(100)), static_cast<int>(next(100)), static_cast<int>(next(100)));
            p.phone = phone;
            p.address.line1 = std::to_string(1 + next(150)) + " " + pick(kStreets);
            p.address.postal_code = place.postal;
            p.address.city = place.city;
            p.address.country = "FR";
            p.preferred_language = next(10) == 0 ? "en" : "fr";
            p.primary_practitioner_id = doctors[next(doctors.size())];
            batch.push_back(std::move(p));
        }
        auto stored = patients.import_patients(sys, std::move(batch));
        if (!stored) {
            std::string detail = stored.error().code;
            if (!stored.error().fields.empty()) detail += " at " + stored.error().fields.front().field;
            throw std::runtime_error("generated patients: " + detail);
        }
        for (const auto& p : *stored) ids.push_back(p.id);
        done += n;
    }

    // Appointments: weekdays from four weeks ahead, 08:30 to 12:30 and 14:00 to 18:00, every 20
    // minutes, round-robin over the doctors.
    auto tz = TimeZone::named(app.config().practice_timezone);
    using namespace std::chrono;
    const sys_days first{tz->local_date(SystemClock{}.now())};
    int booked = 0;
    std::vector<int> minutes_of_day;
    for (int m = 8 * 60 + 30; m + 20 <= 12 * 60 + 30; m += 20) minutes_of_day.push_back(m);
    for (int m = 14 * 60; m + 20 <= 18 * 60; m += 20) minutes_of_day.push_back(m);
    for (int day = 28; booked < appointment_count && !ids.empty(); ++day) {
        sys_days d = first + days(day);
        if (weekday{d}.iso_encoding() > 5) continue;
        for (int minute : minutes_of_day) {
            for (std::size_t k = 0; k < doctors.size() && booked < appointment_count; ++k) {
                appointments::BookingRequest r;
                r.practitioner_id = doctors[k];
                r.patient_id = ids[next(ids.size())];
                r.type_id = type_of[k];
                r.start = tz->to_utc(LocalSeconds{local_days{d.time_since_epoch()}.time_since_epoch()} + minutes(minute));
                auto b = app.appointments().book(sys, r);
                if (!b) throw std::runtime_error("generated appointment: " + b.error().code);
                ++booked;
            }
            if (booked >= appointment_count) break;
        }
    }
    return std::to_string(patient_count) + " patients and " + std::to_string(booked) + " appointments generated.\n";
}

}  // namespace medisecure
