// SPDX-License-Identifier: Apache-2.0
#include "contexts/records/app/prescription_pdf.hpp"

#include <cstdio>

#include "platform/pdf/pdf_document.hpp"

namespace medisecure::records {

namespace {

std::string numeric_date(const Date& d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02u/%02u/%04d", static_cast<unsigned>(d.day()), static_cast<unsigned>(d.month()),
                  static_cast<int>(d.year()));
    return buf;
}

std::string born(patients::Sex sex) {
    switch (sex) {
    case patients::Sex::female: return "Née le ";
    case patients::Sex::male: return "Né le ";
    case patients::Sex::other:
    case patients::Sex::unknown: break;
    }
    return "Né(e) le ";
}

/// "1 comprimé, voie orale, 3 fois par jour, pendant 5 jours".
std::string posology(const Prescription& p) {
    std::string out = p.dose;
    auto add = [&](const std::string& part) {
        if (part.empty()) return;
        out += (out.empty() ? "" : ", ") + part;
    };
    add(std::string(french_label(p.route)));
    add(p.frequency);
    if (!p.duration.empty()) add("pendant " + p.duration);
    return out;
}

}  // namespace

std::string french_date(const Date& d) {
    static const char* kMonths[] = {"janvier", "février", "mars",      "avril",   "mai",      "juin",
                                    "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};
    return std::to_string(static_cast<unsigned>(d.day())) + " " + kMonths[static_cast<unsigned>(d.month()) - 1] + " " +
           std::to_string(static_cast<int>(d.year()));
}

std::string render_prescription(const PrescriptionSheet& s) {
    using pdf::PdfDocument;
    PdfDocument doc("Ordonnance - " + s.patient_name, s.prescriber_name);
    const double left = PdfDocument::kMargin;
    const double right = PdfDocument::kPageWidth - PdfDocument::kMargin;
    const double width = right - left;

    // Prescriber and practice, date on the right.
    doc.text(left, 24, s.prescriber_name, 14, true);
    double y = 30;
    for (const auto& line : {s.practice.name, s.practice.address,
                             s.practice.phone.empty() ? std::string() : "Tél. : " + s.practice.phone,
                             s.practice.email, s.practice.finess.empty() ? std::string() : "FINESS : " + s.practice.finess}) {
        if (line.empty()) continue;
        doc.text(left, y, line, 9.5);
        y += 4.8;
    }
    doc.text_right(right, 24, "Le " + french_date(s.issued_on), 10);
    y = std::max(y, 48.0);
    doc.line(left, y, right, y, 0.6);

    // Patient.
    y += 9;
    doc.text(left, y, s.patient_name, 12, true);
    if (s.birth_date) {
        y += 5.5;
        int age = years_between(*s.birth_date, s.issued_on);
        doc.text(left, y, born(s.sex) + numeric_date(*s.birth_date) + " (" + std::to_string(age) + " ans)", 10);
    }

    y += 16;
    const std::string title = "ORDONNANCE";
    doc.text((PdfDocument::kPageWidth - doc.text_width_mm(title, 16, true)) / 2, y, title, 16, true);
    y += 12;

    int n = 0;
    for (const auto& p : s.lines) {
        y = doc.ensure_space(y, 22);
        doc.text(left, y, std::to_string(++n) + ".", 11, true);
        y = doc.paragraph(left + 7, y, width - 7, p.drug, 11, true);
        y = doc.paragraph(left + 7, y + 0.5, width - 7, posology(p), 10);
        if (!p.instructions.empty()) y = doc.paragraph(left + 7, y + 0.5, width - 7, p.instructions, 9.5);
        y += 5;
    }

    y = doc.ensure_space(y + 6, 26);
    doc.line(left, y, right, y, 0.3);
    y += 6;
    y = doc.paragraph(left, y, width, "Ordonnance signée électroniquement par " + s.prescriber_name + " le " + s.signed_at_text + ".", 9);
    doc.paragraph(left, y + 1, width, "Référence " + s.reference + " - empreinte de signature " + s.fingerprint, 7.5);
    return doc.bytes();
}

}  // namespace medisecure::records
