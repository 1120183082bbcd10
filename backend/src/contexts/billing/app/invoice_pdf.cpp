// SPDX-License-Identifier: Apache-2.0
#include "contexts/billing/app/invoice_pdf.hpp"

#include <cstdio>

#include "core/text.hpp"
#include "platform/pdf/pdf_document.hpp"

namespace medisecure::billing {
namespace {

using pdf::PdfDocument;

constexpr double kLeft = PdfDocument::kMargin;
constexpr double kRight = PdfDocument::kPageWidth - PdfDocument::kMargin;

/// The longest prefix of `text` (whole UTF-8 characters) that fits `width` with an ellipsis.
std::string fit(PdfDocument& doc, const std::string& text, double width, double size) {
    if (doc.text_width_mm(text, size) <= width) return text;
    std::string cut = text;
    while (!cut.empty()) {
        // One whole character off the end: its continuation bytes, then its lead byte.
        while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xc0) == 0x80) cut.pop_back();
        if (!cut.empty()) cut.pop_back();
        if (doc.text_width_mm(cut + "…", size) <= width) return cut + "…";
    }
    return "…";
}

/// Words of `text` wrapped into lines of at most `width`.
std::vector<std::string> wrap(PdfDocument& doc, const std::string& text, double width, double size) {
    std::vector<std::string> lines;
    std::string current;
    std::size_t p = 0;
    while (p <= text.size()) {
        auto sp = text.find(' ', p);
        std::string word = text.substr(p, sp == std::string::npos ? std::string::npos : sp - p);
        std::string candidate = current.empty() ? word : current + " " + word;
        if (!current.empty() && doc.text_width_mm(candidate, size) > width) {
            lines.push_back(current);
            current = word;
        } else {
            current = candidate;
        }
        if (sp == std::string::npos) break;
        p = sp + 1;
    }
    if (!current.empty()) lines.push_back(current);
    for (auto& l : lines) l = fit(doc, l, width, size);  // a single word wider than the column
    return lines;
}

std::string title_of(const Invoice& v) {
    if (v.kind == InvoiceKind::credit_note) return "AVOIR";
    if (v.is_draft()) return "FACTURE – BROUILLON";
    return "FACTURE";
}

/// Lines of free text (the practice address may hold newlines or commas).
std::vector<std::string> address_lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto nl = text.find('\n', start);
        auto line = trim(text.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
        if (!line.empty()) out.push_back(line);
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    return out;
}

}  // namespace

std::string format_nir(const std::string& nir) {
    if (nir.size() != 15) return nir;
    return nir.substr(0, 1) + " " + nir.substr(1, 2) + " " + nir.substr(3, 2) + " " + nir.substr(5, 2) + " " +
           nir.substr(7, 3) + " " + nir.substr(10, 3) + " " + nir.substr(13, 2);
}

std::string format_date_fr(const Date& d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02u/%02u/%04d", static_cast<unsigned>(d.day()), static_cast<unsigned>(d.month()),
                  static_cast<int>(d.year()));
    return buf;
}

std::string render_invoice_pdf(const InvoiceView& view, const PracticeInfo& practice, const TimeZone& tz) {
    const Invoice& v = view.invoice;
    std::string title = title_of(v);
    PdfDocument doc(title + (v.number.empty() ? "" : " " + v.number), practice.name);

    // Practice (left) and document (right).
    double y = 22;
    doc.text(kLeft, y, practice.name, 14, true);
    double ly = y + 6;
    for (const auto& line : address_lines(practice.address)) {
        doc.text(kLeft, ly, line, 9);
        ly += 4.2;
    }
    auto small = [&](const std::string& label, const std::string& value) {
        if (value.empty()) return;
        doc.text(kLeft, ly, label + value, 9);
        ly += 4.2;
    };
    small("Tél. ", practice.phone);
    small("", practice.email);
    small("FINESS ", practice.finess);
    small("SIRET ", practice.siret);

    doc.text_right(kRight, y, title, 16, true);
    double ry = y + 7;
    auto right = [&](const std::string& text, bool bold = false) {
        doc.text_right(kRight, ry, text, 10, bold);
        ry += 5;
    };
    right(v.number.empty() ? "Sans numéro (non émise)" : "N° " + v.number, true);
    if (v.issue_date) right("Date d'émission : " + format_date_fr(*v.issue_date));
    right("Date des soins : " + format_date_fr(v.service_date));
    if (v.kind == InvoiceKind::credit_note) right("Annule la facture " + v.credited_invoice_number);
    if (v.status == InvoiceStatus::cancelled) right("Annulée par l'avoir " + v.credit_note_number, true);

    // Patient and practitioner.
    y = std::max(ly, ry) + 6;
    doc.rect(kLeft, y - 4.5, kRight - kLeft, 0.3, 0.6);
    y += 3;
    doc.text(kLeft, y, "Patient", 9, true);
    doc.text(110, y, "Praticien", 9, true);
    y += 5;
    const auto& p = view.patient;
    std::string name = view.patient_name();
    if (!p.birth_name.empty() && p.birth_name != p.last_name)
        name += std::string(p.sex == patients::Sex::female ? " (née " : " (né ") + p.birth_name + ")";
    doc.text(kLeft, y, name.empty() ? "—" : name, 11, true);
    doc.text(110, y, view.practitioner_name.empty() ? "—" : view.practitioner_name, 11, true);
    double py = y + 5;
    for (const auto& line : {p.address.line1, p.address.line2, trim(p.address.postal_code + " " + p.address.city)}) {
        if (line.empty()) continue;
        doc.text(kLeft, py, line, 9);
        py += 4.2;
    }
    if (p.birth_date != Date{}) {
        doc.text(kLeft, py, "Né(e) le " + format_date_fr(p.birth_date), 9);
        py += 4.2;
    }
    if (!p.nir.empty()) {
        doc.text(kLeft, py, "N° de sécurité sociale : " + format_nir(p.nir), 9);
        py += 4.2;
    }
    y = py + 6;

    // Lines: the label wraps inside its column.
    struct Col {
        const char* header;
        double x, width;
        bool right;
    };
    const Col cols[] = {{"Code", kLeft, 20, false},          {"Désignation", kLeft + 20, 78, false},
                        {"Qté", kLeft + 98, 12, true},        {"P.U. HT", kLeft + 110, 24, true},
                        {"TVA", kLeft + 134, 14, true},       {"Montant HT", kLeft + 148, 26, true}};
    const double size = 9, row_h = 4.6;
    auto header = [&] {
        doc.rect(kLeft, y - 3.6, kRight - kLeft, 5.2, 0.9);
        for (const auto& c : cols) {
            if (c.right) doc.text_right(c.x + c.width - 1.5, y, c.header, size, true);
            else doc.text(c.x + 1.5, y, c.header, size, true);
        }
        y += row_h + 1.5;
    };
    header();
    for (const auto& l : v.lines) {
        auto label = wrap(doc, l.label, cols[1].width - 3, size);
        double needed = row_h * static_cast<double>(std::max<std::size_t>(label.size(), 1));
        if (y + needed > PdfDocument::kPageHeight - PdfDocument::kMargin) {
            doc.new_page();
            y = PdfDocument::kMargin + 4;
            header();
        }
        doc.text(cols[0].x + 1.5, y, l.code, size);
        doc.text_right(cols[2].x + cols[2].width - 1.5, y, std::to_string(l.quantity), size);
        doc.text_right(cols[3].x + cols[3].width - 1.5, y, format_euros(l.unit_price_cents), size);
        doc.text_right(cols[4].x + cols[4].width - 1.5, y, format_percent(l.vat_rate_bp), size);
        doc.text_right(cols[5].x + cols[5].width - 1.5, y, format_euros(l.amount_cents), size);
        for (const auto& part : label) {
            doc.text(cols[1].x + 1.5, y, part, size);
            y += row_h;
        }
    }
    doc.line(kLeft, y - 2.5, kRight, y - 2.5, 0.4);
    y += 3;

    // Totals, with the VAT breakdown by rate.
    Totals t = totals_of(v.lines);
    bool exempt_lines = false, taxed_lines = false;
    for (const auto& l : v.lines) (l.vat_rate_bp == 0 ? exempt_lines : taxed_lines) = true;
    auto total_row = [&](const std::string& label, Cents amount, bool bold = false) {
        y = doc.ensure_space(y, 6);
        doc.text_right(kRight - 32, y, label, 10, bold);
        doc.text_right(kRight, y, format_euros(amount), 10, bold);
        y += 5.2;
    };
    if (taxed_lines) {
        total_row("Total HT", t.subtotal_cents);
        for (const auto& b : t.vat_breakdown)
            if (b.rate_bp > 0) total_row("TVA " + format_percent(b.rate_bp) + " sur " + format_euros(b.base_cents), b.vat_cents);
        total_row("Total TTC", t.total_cents, true);
    } else {
        total_row(v.kind == InvoiceKind::credit_note ? "Total de l'avoir" : "Total", t.total_cents, true);
    }

    // Payments and the balance due (invoices only).
    if (v.kind == InvoiceKind::invoice && !v.is_draft()) {
        std::vector<std::vector<std::string>> rows;
        for (const auto& pay : v.payments) {
            if (pay.voided()) continue;
            rows.push_back({format_date_fr(pay.paid_on), std::string(label_fr(pay.method)), fit(doc, pay.reference, 53, 9),
                            format_euros(pay.amount_cents)});
        }
        if (!rows.empty()) {
            y = doc.ensure_space(y + 4, 20);
            doc.text(kLeft, y, "Règlements", 10, true);
            y = doc.table(kLeft, y + 6, {{"Date", 28}, {"Mode", 60}, {"Référence", 56}, {"Montant", 30, true}}, rows);
            y += 2;
        }
        if (v.status == InvoiceStatus::cancelled) {
            total_row("Reste à payer (facture annulée)", 0, true);
        } else {
            total_row("Déjà réglé", v.paid_cents);
            total_row("Reste à payer", v.balance_due(), true);
        }
    }

    // Mentions.
    y = doc.ensure_space(y + 4, 20);
    if (exempt_lines) {
        std::string mention = kVatExemption;
        if (taxed_lines) mention = "Actes de soins : " + mention;
        y = doc.paragraph(kLeft, y, kRight - kLeft, mention, 9);
    }
    if (v.kind == InvoiceKind::credit_note && !v.cancel_reason.empty())
        y = doc.paragraph(kLeft, y + 1, kRight - kLeft, "Motif : " + v.cancel_reason, 9);
    if (v.is_draft())
        y = doc.paragraph(kLeft, y + 1, kRight - kLeft, "Brouillon : ce document n'est pas une facture et n'a pas de valeur comptable.", 9, true);
    if (v.issued_at) {
        doc.paragraph(kLeft, y + 1, kRight - kLeft, "Émise le " + format_local_fr(tz, *v.issued_at) + ".", 8);
    }
    return doc.bytes();
}

}  // namespace medisecure::billing
