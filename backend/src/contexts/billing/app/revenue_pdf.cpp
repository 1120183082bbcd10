// SPDX-License-Identifier: Apache-2.0
#include "contexts/billing/app/revenue_pdf.hpp"

#include <cstdio>

#include "platform/pdf/pdf_document.hpp"

namespace medisecure::billing {
namespace {

using pdf::Column;
using pdf::PdfDocument;

constexpr double kLeft = PdfDocument::kMargin;
constexpr double kRight = PdfDocument::kPageWidth - PdfDocument::kMargin;

const char* kMonths[] = {"janvier", "février", "mars",      "avril",   "mai",      "juin",
                         "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};

std::string method_label(const std::string& key) {
    if (key == "card") return "Carte bancaire";
    if (key == "cash") return "Espèces";
    if (key == "cheque") return "Chèque";
    if (key == "transfer") return "Virement";
    if (key == "insurance") return "Tiers payant (assurance)";
    return key;
}

std::vector<std::string> amounts(const StatsLine& l) {
    return {format_euros(l.issued_cents), format_euros(l.credited_cents), format_euros(l.collected_cents),
            format_euros(l.outstanding_cents)};
}

}  // namespace

std::string revenue_report_filename(int year, std::optional<unsigned> month) {
    char buf[48];
    if (month) std::snprintf(buf, sizeof buf, "chiffre-affaires-%04d-%02u.pdf", year, *month);
    else std::snprintf(buf, sizeof buf, "chiffre-affaires-%04d.pdf", year);
    return buf;
}

std::string render_revenue_pdf(const BillingStats& stats, const PracticeInfo& practice, const std::string& generated) {
    std::string period = stats.month ? std::string(kMonths[*stats.month - 1]) + " " + std::to_string(stats.year)
                                     : "année " + std::to_string(stats.year);
    PdfDocument doc("Chiffre d'affaires – " + period, practice.name);
    double y = 22;
    doc.text(kLeft, y, practice.name, 14, true);
    doc.text_right(kRight, y, "Chiffre d'affaires", 16, true);
    doc.text_right(kRight, y + 7, period, 11);
    y += 18;
    doc.rect(kLeft, y - 4.5, kRight - kLeft, 0.3, 0.6);
    y += 4;

    const auto& t = stats.totals;
    auto figure = [&](const std::string& label, const std::string& value) {
        doc.text(kLeft, y, label, 10);
        doc.text_right(kRight, y, value, 10, true);
        y += 5.5;
    };
    figure("Facturé (" + std::to_string(t.invoice_count) + " factures)", format_euros(t.issued_cents));
    figure("Avoirs (" + std::to_string(t.credit_note_count) + ")", format_euros(t.credited_cents));
    figure("Encaissé (" + std::to_string(t.payment_count) + " paiements)", format_euros(t.collected_cents));
    figure("Reste dû sur les factures de la période", format_euros(t.outstanding_cents));
    y += 4;

    const std::vector<Column> money_cols = {{"Facturé", 30, true}, {"Avoirs", 26, true}, {"Encaissé", 30, true},
                                            {"Reste dû", 28, true}};
    auto section = [&](const std::string& title, const std::string& first, const std::vector<StatsLine>& lines,
                       const std::function<std::string(const StatsLine&)>& name) {
        y = doc.ensure_space(y, 20);
        doc.text(kLeft, y, title, 12, true);
        y += 4;
        std::vector<Column> cols = {{first, (kRight - kLeft) - 114, false}};
        cols.insert(cols.end(), money_cols.begin(), money_cols.end());
        std::vector<std::vector<std::string>> rows;
        for (const auto& l : lines) {
            std::vector<std::string> row = {name(l)};
            auto a = amounts(l);
            row.insert(row.end(), a.begin(), a.end());
            rows.push_back(std::move(row));
        }
        if (rows.empty()) rows.push_back({"Aucune opération", "", "", "", ""});
        y = doc.table(kLeft, y, cols, rows) + 8;
    };
    section("Par praticien", "Praticien", stats.by_practitioner,
            [](const StatsLine& l) { return l.name.empty() ? l.key : l.name; });
    section("Par moyen de paiement", "Moyen de paiement", stats.by_method,
            [](const StatsLine& l) { return method_label(l.key); });
    if (!stats.month)
        section("Par mois", "Mois", stats.by_month, [](const StatsLine& l) {
            unsigned m = l.key.size() == 7 ? static_cast<unsigned>(std::stoi(l.key.substr(5))) : 0;
            return m >= 1 && m <= 12 ? std::string(kMonths[m - 1]) : l.key;
        });

    y = doc.ensure_space(y, 12);
    doc.paragraph(kLeft, y, kRight - kLeft,
                  "Montants TTC en euros. Facturé : factures émises dans la période ; avoirs : avoirs émis dans la "
                  "période ; encaissé : paiements reçus dans la période ; reste dû : ce qui reste à payer aujourd'hui "
                  "sur les factures de la période. Édité le " + generated + ".",
                  8);
    return doc.bytes();
}

}  // namespace medisecure::billing
