// SPDX-License-Identifier: Apache-2.0
#include "contexts/documents/domain/document.hpp"

#include <cstring>

#include "core/text.hpp"

namespace medisecure::documents {

std::string_view to_string(Category c) {
    switch (c) {
    case Category::lab_result: return "lab_result";
    case Category::imaging: return "imaging";
    case Category::letter: return "letter";
    case Category::prescription: return "prescription";
    case Category::consent: return "consent";
    case Category::administrative: return "administrative";
    case Category::other: return "other";
    }
    return "other";
}

std::optional<Category> parse_category(std::string_view s) {
    for (auto c : {Category::lab_result, Category::imaging, Category::letter, Category::prescription, Category::consent,
                   Category::administrative, Category::other})
        if (to_string(c) == s) return c;
    return std::nullopt;
}

bool is_clinical(Category c) {
    return c == Category::lab_result || c == Category::imaging || c == Category::letter || c == Category::prescription;
}

std::string_view mime_type(Kind k) {
    switch (k) {
    case Kind::pdf: return "application/pdf";
    case Kind::jpeg: return "image/jpeg";
    case Kind::png: return "image/png";
    case Kind::dicom: return "application/dicom";
    case Kind::text: return "text/plain; charset=utf-8";
    }
    return "application/octet-stream";
}

std::string_view extension(Kind k) {
    switch (k) {
    case Kind::pdf: return ".pdf";
    case Kind::jpeg: return ".jpg";
    case Kind::png: return ".png";
    case Kind::dicom: return ".dcm";
    case Kind::text: return ".txt";
    }
    return "";
}

std::optional<Kind> sniff(std::string_view h) {
    auto starts = [&](std::string_view magic) { return h.substr(0, magic.size()) == magic; };
    if (starts("%PDF-")) return Kind::pdf;
    if (starts("\xff\xd8\xff")) return Kind::jpeg;
    if (starts("\x89PNG\r\n\x1a\n")) return Kind::png;
    // DICOM Part 10: a 128-byte preamble, then "DICM".
    if (h.size() >= 132 && h.substr(128, 4) == "DICM") return Kind::dicom;
    // Plain text: valid UTF-8 without control characters other than tab, CR and LF. The sample
    // may end in the middle of a multi-byte character: drop an incomplete tail.
    if (h.empty()) return std::nullopt;
    std::string_view sample = h.substr(0, 8192);
    std::size_t cut = sample.size();
    for (std::size_t back = 1; back <= 3 && back <= sample.size(); ++back) {
        auto b = static_cast<unsigned char>(sample[sample.size() - back]);
        if ((b & 0xc0) == 0xc0) {  // a lead byte: is its sequence complete?
            std::size_t need = (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3 : 4;
            if (back < need) cut = sample.size() - back;
            break;
        }
        if ((b & 0x80) == 0) break;
    }
    sample = sample.substr(0, cut);
    if (is_valid_utf8(sample) && !has_control_chars(sample, true)) return Kind::text;
    return std::nullopt;
}

std::string safe_filename(std::string_view name, Kind kind) {
    std::string out;
    std::string_view ext = extension(kind);
    // Only the last component of a path the browser (or anyone) sends.
    if (auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) name = name.substr(slash + 1);
    auto dot = name.rfind('.');
    std::string_view stem = dot == std::string_view::npos ? name : name.substr(0, dot);
    for (std::size_t i = 0; i < stem.size();) {
        auto c = static_cast<unsigned char>(stem[i]);
        std::size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 1;
        std::string_view piece = stem.substr(i, len);
        bool ok = c >= 0x80 ? is_valid_utf8(piece)
                            : (std::isalnum(c) || c == '-' || c == '_' || c == ' ' || c == '.');
        out += ok ? std::string(piece) : std::string("_");
        i += len;
    }
    out = trim(out);
    while (!out.empty() && out.front() == '.') out.erase(0, 1);
    if (utf8_length(out) > 120) {
        std::size_t chars = 0, i = 0;
        while (i < out.size() && chars < 120) {
            auto c = static_cast<unsigned char>(out[i]);
            i += c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : 4;
            ++chars;
        }
        out.resize(i);
    }
    if (out.empty()) out = "document";
    return out + std::string(ext);
}

}  // namespace medisecure::documents
