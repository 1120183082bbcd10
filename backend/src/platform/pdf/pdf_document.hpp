// SPDX-License-Identifier: Apache-2.0
// A small PDF builder over libharu for prescriptions, invoices and reports: A4 pages,
// coordinates in millimetres from the top-left corner, UTF-8 text (French accents, œ, €) in
// the standard Helvetica fonts, wrapping paragraphs that continue on a new page.
// Not thread-safe: one document per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace medisecure::pdf {

struct Column {
    std::string header;
    double width_mm;
    bool align_right = false;
};

class PdfDocument {
public:
    PdfDocument(std::string title, std::string author);
    ~PdfDocument();
    PdfDocument(const PdfDocument&) = delete;
    PdfDocument& operator=(const PdfDocument&) = delete;

    static constexpr double kPageWidth = 210.0;
    static constexpr double kPageHeight = 297.0;
    static constexpr double kMargin = 18.0;

    void new_page();
    /// Writes one line of text with its baseline at (x, y).
    void text(double x_mm, double y_mm, std::string_view utf8, double size = 10, bool bold = false);
    void text_right(double right_x_mm, double y_mm, std::string_view utf8, double size = 10, bool bold = false);
    double text_width_mm(std::string_view utf8, double size = 10, bool bold = false);
    /// Wraps `utf8` into `width_mm` starting at `y_mm`; returns the y below the last line and
    /// starts new pages as needed.
    double paragraph(double x_mm, double y_mm, double width_mm, std::string_view utf8, double size = 10, bool bold = false);
    void line(double x1_mm, double y1_mm, double x2_mm, double y2_mm, double width_pt = 0.5);
    void rect(double x_mm, double y_mm, double w_mm, double h_mm, double gray_fill);
    /// A table: header row then rows; returns the y below it (new pages repeat the header).
    double table(double x_mm, double y_mm, const std::vector<Column>& columns,
                 const std::vector<std::vector<std::string>>& rows, double size = 9);
    /// Ensures `needed_mm` of space below `y_mm`, starting a new page if not; returns the y to use.
    double ensure_space(double y_mm, double needed_mm);
    int page_count() const { return pages_; }

    std::string bytes();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    int pages_ = 0;
};

/// UTF-8 to Windows-1252 (the encoding of the standard fonts); characters it lacks become '?'.
std::string to_cp1252(std::string_view utf8);

}  // namespace medisecure::pdf
