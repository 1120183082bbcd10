// SPDX-License-Identifier: Apache-2.0
#include "platform/pdf/pdf_document.hpp"

#include <hpdf.h>

#include <stdexcept>

namespace medisecure::pdf {
namespace {

constexpr double kPtPerMm = 72.0 / 25.4;

void on_error(HPDF_STATUS error, HPDF_STATUS detail, void*) {
    throw std::runtime_error("pdf error " + std::to_string(error) + "/" + std::to_string(detail));
}

// Windows-1252 bytes 0x80..0x9F for the code points that differ from Latin-1.
struct Cp1252Extra {
    char32_t cp;
    unsigned char byte;
};
constexpr Cp1252Extra kExtra[] = {{0x20AC, 0x80}, {0x201A, 0x82}, {0x0192, 0x83}, {0x201E, 0x84}, {0x2026, 0x85},
                                  {0x2020, 0x86}, {0x2021, 0x87}, {0x02C6, 0x88}, {0x2030, 0x89}, {0x0160, 0x8A},
                                  {0x2039, 0x8B}, {0x0152, 0x8C}, {0x017D, 0x8E}, {0x2018, 0x91}, {0x2019, 0x92},
                                  {0x201C, 0x93}, {0x201D, 0x94}, {0x2022, 0x95}, {0x2013, 0x96}, {0x2014, 0x97},
                                  {0x02DC, 0x98}, {0x2122, 0x99}, {0x0161, 0x9A}, {0x203A, 0x9B}, {0x0153, 0x9C},
                                  {0x017E, 0x9E}, {0x0178, 0x9F}};

}  // namespace

std::string to_cp1252(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        auto b = static_cast<unsigned char>(s[i]);
        char32_t cp;
        int len;
        if (b < 0x80) {
            cp = b;
            len = 1;
        } else if ((b & 0xe0) == 0xc0 && i + 1 < s.size()) {
            cp = ((b & 0x1f) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3f);
            len = 2;
        } else if ((b & 0xf0) == 0xe0 && i + 2 < s.size()) {
            cp = ((b & 0x0f) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3f) << 6) |
                 (static_cast<unsigned char>(s[i + 2]) & 0x3f);
            len = 3;
        } else {
            cp = '?';
            len = (b & 0xf8) == 0xf0 ? 4 : 1;
        }
        i += static_cast<std::size_t>(len);
        if (cp == 0x202F || cp == 0x00A0) {
            out += static_cast<char>(0xA0);  // narrow and ordinary no-break spaces
        } else if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) {
            out += static_cast<char>(cp);
        } else {
            char c = '?';
            for (const auto& e : kExtra)
                if (e.cp == cp) c = static_cast<char>(e.byte);
            out += c;
        }
    }
    return out;
}

struct PdfDocument::Impl {
    HPDF_Doc doc = nullptr;
    HPDF_Page page = nullptr;
    HPDF_Font regular = nullptr;
    HPDF_Font bold = nullptr;
    double y_pt(double y_mm) const { return (kPageHeight - y_mm) * kPtPerMm; }
};

PdfDocument::PdfDocument(std::string title, std::string author) : impl_(std::make_unique<Impl>()) {
    impl_->doc = HPDF_New(on_error, nullptr);
    if (!impl_->doc) throw std::runtime_error("pdf: cannot create document");
    HPDF_SetCompressionMode(impl_->doc, HPDF_COMP_ALL);
    impl_->regular = HPDF_GetFont(impl_->doc, "Helvetica", "WinAnsiEncoding");
    impl_->bold = HPDF_GetFont(impl_->doc, "Helvetica-Bold", "WinAnsiEncoding");
    HPDF_SetInfoAttr(impl_->doc, HPDF_INFO_TITLE, to_cp1252(title).c_str());
    HPDF_SetInfoAttr(impl_->doc, HPDF_INFO_AUTHOR, to_cp1252(author).c_str());
    HPDF_SetInfoAttr(impl_->doc, HPDF_INFO_CREATOR, "MediSecure");
    new_page();
}

PdfDocument::~PdfDocument() {
    if (impl_ && impl_->doc) HPDF_Free(impl_->doc);
}

void PdfDocument::new_page() {
    impl_->page = HPDF_AddPage(impl_->doc);
    HPDF_Page_SetSize(impl_->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    ++pages_;
}

void PdfDocument::text(double x, double y, std::string_view utf8, double size, bool bold) {
    auto t = to_cp1252(utf8);
    HPDF_Page_BeginText(impl_->page);
    HPDF_Page_SetFontAndSize(impl_->page, bold ? impl_->bold : impl_->regular, static_cast<HPDF_REAL>(size));
    HPDF_Page_TextOut(impl_->page, static_cast<HPDF_REAL>(x * kPtPerMm), static_cast<HPDF_REAL>(impl_->y_pt(y)), t.c_str());
    HPDF_Page_EndText(impl_->page);
}

double PdfDocument::text_width_mm(std::string_view utf8, double size, bool bold) {
    HPDF_Page_SetFontAndSize(impl_->page, bold ? impl_->bold : impl_->regular, static_cast<HPDF_REAL>(size));
    return HPDF_Page_TextWidth(impl_->page, to_cp1252(utf8).c_str()) / kPtPerMm;
}

void PdfDocument::text_right(double right_x, double y, std::string_view utf8, double size, bool bold) {
    text(right_x - text_width_mm(utf8, size, bold), y, utf8, size, bold);
}

double PdfDocument::ensure_space(double y, double needed) {
    if (y + needed <= kPageHeight - kMargin) return y;
    new_page();
    return kMargin + 4;
}

double PdfDocument::paragraph(double x, double y, double width, std::string_view utf8, double size, bool bold) {
    const double line_h = size * 0.45;
    std::string line_text;
    auto flush = [&] {
        y = ensure_space(y, line_h);
        text(x, y, line_text, size, bold);
        y += line_h;
        line_text.clear();
    };
    std::size_t start = 0;
    while (start <= utf8.size()) {
        auto nl = utf8.find('\n', start);
        std::string_view para = utf8.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        std::size_t p = 0;
        while (p < para.size()) {
            auto sp = para.find(' ', p);
            std::string word(para.substr(p, sp == std::string_view::npos ? std::string_view::npos : sp - p));
            std::string candidate = line_text.empty() ? word : line_text + " " + word;
            if (!line_text.empty() && text_width_mm(candidate, size, bold) > width) {
                flush();
                line_text = word;
            } else {
                line_text = candidate;
            }
            if (sp == std::string_view::npos) break;
            p = sp + 1;
        }
        flush();
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    return y;
}

void PdfDocument::line(double x1, double y1, double x2, double y2, double width_pt) {
    HPDF_Page_SetLineWidth(impl_->page, static_cast<HPDF_REAL>(width_pt));
    HPDF_Page_MoveTo(impl_->page, static_cast<HPDF_REAL>(x1 * kPtPerMm), static_cast<HPDF_REAL>(impl_->y_pt(y1)));
    HPDF_Page_LineTo(impl_->page, static_cast<HPDF_REAL>(x2 * kPtPerMm), static_cast<HPDF_REAL>(impl_->y_pt(y2)));
    HPDF_Page_Stroke(impl_->page);
}

void PdfDocument::rect(double x, double y, double w, double h, double gray) {
    HPDF_Page_SetGrayFill(impl_->page, static_cast<HPDF_REAL>(gray));
    HPDF_Page_Rectangle(impl_->page, static_cast<HPDF_REAL>(x * kPtPerMm), static_cast<HPDF_REAL>(impl_->y_pt(y + h)),
                        static_cast<HPDF_REAL>(w * kPtPerMm), static_cast<HPDF_REAL>(h * kPtPerMm));
    HPDF_Page_Fill(impl_->page);
    HPDF_Page_SetGrayFill(impl_->page, 0);
}

double PdfDocument::table(double x, double y, const std::vector<Column>& cols,
                          const std::vector<std::vector<std::string>>& rows, double size) {
    const double row_h = size * 0.55;
    double total = 0;
    for (const auto& c : cols) total += c.width_mm;
    auto header = [&] {
        rect(x, y - row_h * 0.75, total, row_h, 0.9);
        double cx = x;
        for (const auto& c : cols) {
            if (c.align_right) text_right(cx + c.width_mm - 1.5, y, c.header, size, true);
            else text(cx + 1.5, y, c.header, size, true);
            cx += c.width_mm;
        }
        y += row_h;
    };
    header();
    for (const auto& row : rows) {
        if (y + row_h > kPageHeight - kMargin) {
            new_page();
            y = kMargin + 4;
            header();
        }
        double cx = x;
        for (std::size_t i = 0; i < cols.size() && i < row.size(); ++i) {
            if (cols[i].align_right) text_right(cx + cols[i].width_mm - 1.5, y, row[i], size);
            else text(cx + 1.5, y, row[i], size);
            cx += cols[i].width_mm;
        }
        y += row_h;
    }
    line(x, y - row_h * 0.6, x + total, y - row_h * 0.6, 0.3);
    return y;
}

std::string PdfDocument::bytes() {
    HPDF_SaveToStream(impl_->doc);
    HPDF_UINT32 size = HPDF_GetStreamSize(impl_->doc);
    std::string out(size, '\0');
    HPDF_ResetStream(impl_->doc);
    HPDF_ReadFromStream(impl_->doc, reinterpret_cast<HPDF_BYTE*>(out.data()), &size);
    out.resize(size);
    return out;
}

}  // namespace medisecure::pdf
