// SPDX-License-Identifier: Apache-2.0
// Documents demo data: for the first patients, a blood test report from the laboratory (PDF),
// a letter to a specialist (text), a signed consent form (PDF), an administrative scan and,
// for a few, an X-ray image (PNG, whose thumbnail the job runner makes at the first start).
// They go through the real upload use case, so they are encrypted, hashed and audited like any
// other; lab results and letters are linked to the patient's last signed consultation.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

#include <stb/stb_image_write.h>

#include "contexts/documents/app/document_service.hpp"
#include "contexts/records/app/encounter_service.hpp"
#include "core/time.hpp"
#include "main/demo.hpp"
#include "platform/pdf/pdf_document.hpp"

namespace medisecure {
namespace {

Caller as(const identity::User& u) {
    Caller c;
    c.user_id = u.id;
    c.role = u.role;
    c.request_id = "demo";
    c.client_ip = "local";
    return c;
}

std::string full_name(const patients::Patient& p) { return p.first_name + " " + p.last_name; }

struct LabValue {
    const char* name;
    double value;
    const char* unit;
    const char* range;
};

std::string lab_report_pdf(const patients::Patient& p, std::size_t i, const std::string& date) {
    pdf::PdfDocument doc("Compte rendu d'analyses", "Laboratoire Bio-Santé Paris Est");
    doc.new_page();
    doc.text(18, 24, "Laboratoire Bio-Santé Paris Est", 14, true);
    doc.text(18, 30, "12 rue des Lilas, 75020 Paris — Tél. 01 43 55 20 20", 9);
    doc.line(18, 34, 192, 34);
    doc.text(18, 44, "Compte rendu d'analyses de biologie médicale", 12, true);
    doc.text(18, 52, "Patient(e) : " + full_name(p) + "  —  né(e) le " + format_date(p.birth_date), 10);
    doc.text(18, 58, "Prélèvement du " + date + "  —  dossier n° " + std::to_string(240000 + i * 37), 10);
    const double shift = static_cast<double>(i % 5) / 10.0;
    const LabValue values[] = {
        {"Glycémie à jeun", 0.92 + shift / 2, "g/L", "0,70 – 1,10"},
        {"Cholestérol total", 1.85 + shift, "g/L", "< 2,00"},
        {"LDL-cholestérol", 1.10 + shift, "g/L", "< 1,60"},
        {"HDL-cholestérol", 0.55, "g/L", "> 0,40"},
        {"Triglycérides", 1.05 + shift / 3, "g/L", "< 1,50"},
        {"Créatinine", 8.1 + shift * 4, "mg/L", "6,0 – 12,0"},
        {"Hémoglobine", 13.6 - shift, "g/dL", "12,0 – 16,0"},
        {"TSH", 1.9 + shift, "mUI/L", "0,40 – 4,00"},
    };
    std::vector<std::vector<std::string>> rows;
    for (const auto& v : values) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.2f", v.value);
        std::string value = buf;
        for (auto& ch : value)
            if (ch == '.') ch = ',';
        rows.push_back({v.name, value, v.unit, v.range});
    }
    double y = doc.table(18, 70, {{"Analyse", 80}, {"Résultat", 30, true}, {"Unité", 25}, {"Valeurs de référence", 39}}, rows);
    y = doc.paragraph(18, y + 8, 174,
                      "Résultats validés par le biologiste responsable. À interpréter par le médecin prescripteur en "
                      "fonction du contexte clinique.",
                      9);
    doc.text(18, y + 6, "Dr Camille Roux, biologiste médicale", 9, true);
    return doc.bytes();
}

std::string consent_pdf(const patients::Patient& p, const std::string& date) {
    pdf::PdfDocument doc("Consentement éclairé", "Cabinet médical");
    doc.new_page();
    doc.text(18, 26, "Formulaire de consentement éclairé", 14, true);
    double y = doc.paragraph(
        18, 40, 174,
        "Je soussigné(e) " + full_name(p) +
            " reconnais avoir reçu une information claire et compréhensible sur l'acte proposé, ses bénéfices, ses "
            "risques fréquents ou graves et les alternatives possibles. J'ai pu poser toutes mes questions et j'accepte "
            "librement la prise en charge proposée. Je sais que je peux retirer mon consentement à tout moment.",
        10);
    doc.text(18, y + 10, "Fait à Paris, le " + date, 10);
    doc.text(120, y + 10, "Signature : " + full_name(p), 10, true);
    return doc.bytes();
}

std::string letter_text(const patients::Patient& p, const identity::User& doctor, const std::string& date) {
    std::ostringstream out;
    out << "Paris, le " << date << "\n\n"
        << "Cher confrère,\n\n"
        << "Je vous adresse " << (p.sex == patients::Sex::male ? "M. " : "Mme ") << full_name(p) << ", né"
        << (p.sex == patients::Sex::male ? "" : "e") << " le " << format_date(p.birth_date)
        << ", pour avis cardiologique : palpitations intermittentes depuis trois semaines, sans malaise ni douleur "
           "thoracique. ECG de repos sans particularité au cabinet. Bilan biologique joint.\n\n"
        << "Je vous remercie de bien vouloir me tenir informé de vos conclusions.\n\n"
        << "Bien confraternellement,\n\n"
        << doctor.display_name << "\n";
    return out.str();
}

std::string xray_png(std::size_t seed) {
    const int w = 320, h = 400;
    std::vector<unsigned char> px(static_cast<std::size_t>(w) * h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            // A chest-like silhouette: two lungs darker than the surrounding tissue, ribs as bands.
            double dx = (x - w / 2.0) / (w / 2.0), dy = (y - h / 2.0) / (h / 2.0);
            double body = std::max(0.0, 1.0 - dx * dx * 0.9 - dy * dy * 0.5);
            double lung = 0;
            for (double cx : {-0.42, 0.42}) {
                double lx = (dx - cx) / 0.3, ly = (dy + 0.05) / 0.62;
                lung = std::max(lung, 1.0 - lx * lx - ly * ly);
            }
            double ribs = 0.5 + 0.5 * std::sin(y * 0.11 + static_cast<double>(seed));
            double v = 40 + 170 * body - 110 * std::max(0.0, lung) + 25 * ribs * body;
            px[static_cast<std::size_t>(y) * w + x] = static_cast<unsigned char>(std::clamp(v, 0.0, 255.0));
        }
    std::string out;
    stbi_write_png_to_func(
        [](void* ctx, void* data, int n) { static_cast<std::string*>(ctx)->append(static_cast<char*>(data), static_cast<std::size_t>(n)); },
        &out, w, h, 1, px.data(), w);
    return out;
}

crypto::ByteSource source_of(const std::string& bytes) {
    auto offset = std::make_shared<std::size_t>(0);
    return [&bytes, offset](char* out, std::size_t cap) {
        std::size_t n = std::min(cap, bytes.size() - *offset);
        std::memcpy(out, bytes.data() + *offset, n);
        *offset += n;
        return n;
    };
}

}  // namespace

std::string seed_documents_demo(Application& app, const DemoPractice& practice) {
    auto& documents = app.documents();
    auto& encounters = app.encounters();
    const auto today = format_date(Date{std::chrono::floor<std::chrono::days>(SystemClock{}.now())});
    const std::size_t patients = std::min<std::size_t>(8, practice.patients.size());
    int count = 0;
    auto upload = [&](const Caller& who, const patients::Patient& p, documents::Category category, std::string title,
                      std::string filename, const std::string& bytes, const std::string& encounter_id, bool visible) {
        documents::UploadInput in;
        in.patient_id = p.id;
        in.category = category;
        in.title = std::move(title);
        in.filename = std::move(filename);
        in.encounter_id = encounter_id;
        in.visible_to_patient = visible;
        auto r = documents.upload(who, std::move(in), source_of(bytes));
        if (!r) throw std::runtime_error("demo document: " + r.error().code);
        ++count;
    };

    for (std::size_t i = 0; i < patients; ++i) {
        const auto& p = practice.patients[i];
        const auto& doctor = practice.doctors.at(i % practice.doctors.size());
        const auto& secretary = practice.secretaries.at(i % practice.secretaries.size());
        const auto& nurse = practice.nurses.at(i % practice.nurses.size());
        std::string last_encounter;
        if (auto page = encounters.list(practice.system, p.id, std::nullopt, 5); page)
            for (const auto& e : page->items)
                if (e.signed_at) {
                    last_encounter = e.id;
                    break;
                }
        upload(as(nurse), p, documents::Category::lab_result, "Bilan sanguin", "bilan-sanguin.pdf",
               lab_report_pdf(p, i, today), last_encounter, true);
        if (i % 2 == 0)
            upload(as(doctor), p, documents::Category::letter, "Courrier au cardiologue", "courrier-cardiologue.txt",
                   letter_text(p, doctor, today), last_encounter, false);
        if (i % 3 == 0)
            upload(as(secretary), p, documents::Category::consent, "Consentement éclairé", "consentement.pdf",
                   consent_pdf(p, today), "", true);
        if (i % 3 == 1)
            upload(as(doctor), p, documents::Category::imaging, "Radiographie thoracique de face", "radio-thorax.png",
                   xray_png(i), last_encounter, true);
    }
    return std::to_string(count) + " documents filed (encrypted at rest).\n";
}

}  // namespace medisecure
