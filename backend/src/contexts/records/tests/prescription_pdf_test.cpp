// SPDX-License-Identifier: Apache-2.0
// The prescription PDF: a valid document whose pages show the prescriber, the practice, the
// patient, the date and every drug. The page streams are compressed, so the test inflates them
// and decodes their text-showing operators.
#include <zlib.h>

#include "contexts/records/app/prescription_pdf.hpp"
#include "platform/pdf/pdf_document.hpp"
#include "records_fixture.hpp"

using namespace medisecure;
using namespace medisecure::records;
using namespace medisecure::records::testing;

namespace {

std::string inflate(std::string_view data) {
    z_stream z{};
    if (inflateInit(&z) != Z_OK) return {};
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    std::string out;
    char buf[16384];
    int rc = Z_OK;
    while (rc == Z_OK) {
        z.next_out = reinterpret_cast<Bytef*>(buf);
        z.avail_out = sizeof buf;
        rc = ::inflate(&z, Z_NO_FLUSH);
        out.append(buf, sizeof buf - z.avail_out);
    }
    inflateEnd(&z);
    return rc == Z_STREAM_END ? out : std::string();
}

/// The text of every `(...) Tj` in the document's streams, in Windows-1252, one line per operator.
std::string shown_text(const std::string& pdf) {
    std::string text;
    for (std::size_t at = pdf.find("stream"); at != std::string::npos; at = pdf.find("stream", at + 1)) {
        if (at >= 3 && pdf.compare(at - 3, 3, "end") == 0) continue;
        std::size_t begin = pdf.find('\n', at) + 1;
        std::size_t end = pdf.find("endstream", begin);
        if (end == std::string::npos) break;
        std::string content = inflate(std::string_view(pdf).substr(begin, end - begin));
        for (std::size_t p = content.find('('); p != std::string::npos; p = content.find('(', p + 1)) {
            std::string s;
            std::size_t i = p + 1;
            for (; i < content.size() && content[i] != ')'; ++i) {
                if (content[i] != '\\') {
                    s += content[i];
                } else if (i + 3 < content.size() && std::isdigit(static_cast<unsigned char>(content[i + 1]))) {
                    s += static_cast<char>(std::stoi(content.substr(i + 1, 3), nullptr, 8));
                    i += 3;
                } else {
                    s += content[++i];
                }
            }
            text += s + "\n";
            p = i;
        }
    }
    return text;
}

int pages(const std::string& pdf) {
    int n = 0;
    for (std::size_t at = pdf.find("/Type /Page"); at != std::string::npos; at = pdf.find("/Type /Page", at + 1))
        if (pdf.compare(at, 12, "/Type /Pages") != 0) ++n;
    return n;
}

bool shows(const std::string& text, std::string_view utf8) { return text.find(pdf::to_cp1252(utf8)) != std::string::npos; }

using PrescriptionPdfTest = RecordsTest;

}  // namespace

TEST_F(PrescriptionPdfTest, ShowsPrescriberPracticePatientDateAndDrugs) {
    auto in = input();
    in.prescriptions = {line("Amoxicilline 1 g, comprimé dispersible"), line("Paracétamol 1 g, comprimé")};
    in.prescriptions[0].instructions = "À prendre au début des repas.";
    in.prescriptions[1].route = DrugRoute::oral;
    auto draft = encounters.create(doctor, in)->encounter;
    clock.set(*parse_instant("2026-11-24T14:05:00Z"));  // 15:05 in Paris
    auto e = encounters.sign(doctor, draft.id, 1)->encounter;

    auto pdf = encounters.render_pdf(*store.find_encounter(e.id));
    ASSERT_TRUE(pdf);
    const auto& bytes = pdf->bytes;
    EXPECT_EQ(bytes.substr(0, 5), "%PDF-");
    EXPECT_NE(bytes.find("%%EOF"), std::string::npos);
    EXPECT_EQ(pages(bytes), 1);

    auto text = shown_text(bytes);
    for (const char* expected :
         {"Dr doc-1", "Cabinet des Tilleuls", "3 rue de l'Église, 20000 Ajaccio", "Tél. : 04 95 00 00 00", "Hélène Lefèvre",
          "Née le 12/05/1984 (42 ans)", "ORDONNANCE", "Le 24 novembre 2026", "Amoxicilline 1 g, comprimé dispersible",
          "Paracétamol 1 g, comprimé", "1 comprimé, voie orale, 3 fois par jour, pendant 5 jours",
          "À prendre au début des repas.", "24/11/2026 à 15:05"})
        EXPECT_TRUE(shows(text, expected)) << expected << "\n--- shown:\n" << text;
    EXPECT_TRUE(shows(text, e.signature.substr(0, 16)));
}

TEST_F(PrescriptionPdfTest, LongPrescriptionsContinueOnAnotherPage) {
    auto in = input(kOther);
    in.prescriptions.clear();
    for (int i = 0; i < 25; ++i) {
        auto p = line(("Médicament numéro " + std::to_string(i + 1)).c_str());
        p.instructions = "Consignes détaillées pour la prise de ce médicament, à respecter scrupuleusement.";
        in.prescriptions.push_back(p);
    }
    auto draft = encounters.create(doctor, in)->encounter;
    auto e = encounters.sign(doctor, draft.id, 1)->encounter;
    auto pdf = encounters.render_pdf(e);
    ASSERT_TRUE(pdf);
    EXPECT_GE(pages(pdf->bytes), 2);
    auto text = shown_text(pdf->bytes);
    EXPECT_TRUE(shows(text, "Médicament numéro 25"));
    EXPECT_TRUE(shows(text, "Né le 31/01/1950"));
}

TEST(PrescriptionSheet, FrenchDates) {
    EXPECT_EQ(french_date(*parse_date("2026-08-01")), "1 août 2026");
    EXPECT_EQ(french_date(*parse_date("2027-02-15")), "15 février 2027");
}
