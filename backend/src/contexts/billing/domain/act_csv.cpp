// SPDX-License-Identifier: Apache-2.0
#include "contexts/billing/domain/act_csv.hpp"

#include <map>
#include <optional>
#include <set>

#include "core/text.hpp"

namespace medisecure::billing {
namespace {

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    }
}

// 0x80..0x9F of Windows-1252; 0 where the code page defines nothing.
constexpr char32_t kCp1252High[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                      0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

struct Record {
    int line = 0;
    std::vector<std::string> fields;
};

/// RFC 4180 records: quoted fields may hold separators, doubled quotes and newlines.
/// Records starting with '#' are comments.
std::vector<Record> split_records(std::string_view text, char sep) {
    std::vector<Record> out;
    int line = 1;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '#') {  // a comment runs to the end of its line
            while (i < text.size() && text[i] != '\n') ++i;
            ++i;
            ++line;
            continue;
        }
        Record r;
        r.line = line;
        std::string field;
        bool quoted = false, was_quoted = false;
        for (; i < text.size(); ++i) {
            char c = text[i];
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') {
                        field += '"';
                        ++i;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') ++line;
                    field += c;
                }
            } else if (c == '"' && field.empty() && !was_quoted) {
                quoted = was_quoted = true;
            } else if (c == sep) {
                r.fields.push_back(std::move(field));
                field.clear();
                was_quoted = false;
            } else if (c == '\n') {
                ++line;
                ++i;
                break;
            } else if (c != '\r') {
                field += c;
            }
        }
        r.fields.push_back(std::move(field));
        bool blank = true;
        for (const auto& f : r.fields) blank &= trim(f).empty();
        if (!blank) out.push_back(std::move(r));
    }
    return out;
}

char detect_separator(std::string_view text) {
    // The first line that is neither blank nor a comment is the header.
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        auto line = text.substr(start, end - start);
        if (!trim(line).empty() && line[0] != '#') {
            std::map<char, int> n{{';', 0}, {',', 0}, {'\t', 0}};
            bool quoted = false;
            for (char c : line) {
                if (c == '"') quoted = !quoted;
                else if (!quoted && n.count(c)) ++n[c];
            }
            if (n['\t'] > n[';'] && n['\t'] > n[',']) return '\t';
            return n[','] > n[';'] ? ',' : ';';
        }
        start = end + 1;
    }
    return ';';
}

enum class Column { code, label, price_euros, price_cents, system, vat, activity, active, ignored };

Column classify(const std::string& h) {
    auto starts = [&](std::string_view p) { return h.rfind(p, 0) == 0; };
    if (h == "price cents" || h == "prix centimes" || h == "tarif cents" || h == "price in cents") return Column::price_cents;
    if (starts("code activite") || h == "activite" || h == "activity" || h == "code activity") return Column::activity;
    if (starts("code") || h == "acte" || h == "act") return Column::code;
    if (starts("libelle") || starts("label") || h == "texte" || h == "text" || starts("designation") || h == "description" ||
        h == "intitule")
        return Column::label;
    if (starts("vat") || starts("tva") || starts("taux tva") || starts("taux de tva")) return Column::vat;
    if (starts("tarif") || starts("prix") || starts("price") || starts("montant")) return Column::price_euros;
    if (h == "system" || h == "systeme" || h == "nomenclature") return Column::system;
    if (h == "active" || h == "actif" || h == "enabled") return Column::active;
    return Column::ignored;
}

std::optional<bool> parse_flag(const std::string& v) {
    std::string f = fold(v);
    if (f == "1" || f == "true" || f == "oui" || f == "yes" || f == "o" || f == "y") return true;
    if (f == "0" || f == "false" || f == "non" || f == "no" || f == "n") return false;
    return std::nullopt;
}

}  // namespace

std::string cp1252_to_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 8);
    for (char ch : bytes) {
        auto b = static_cast<unsigned char>(ch);
        if (b < 0x80) out += ch;
        else if (b < 0xa0) append_utf8(out, kCp1252High[b - 0x80] ? kCp1252High[b - 0x80] : U'?');
        else append_utf8(out, b);
    }
    return out;
}

ParsedActCsv parse_act_csv(std::string_view content, ActSystem default_system) {
    ParsedActCsv out;
    std::string text;
    if (content.substr(0, 3) == "\xef\xbb\xbf") content.remove_prefix(3);
    text = is_valid_utf8(content) ? std::string(content) : cp1252_to_utf8(content);

    auto records = split_records(text, detect_separator(text));
    if (records.empty()) {
        out.error = "the file has no header line";
        return out;
    }
    const auto& header = records.front().fields;
    std::map<Column, std::size_t> col;
    std::optional<std::size_t> preferred_price;
    for (std::size_t i = 0; i < header.size(); ++i) {
        std::string h = fold(header[i]);
        Column c = classify(h);
        if (c == Column::ignored) continue;
        if (c == Column::price_euros && (h.find("secteur 1") != std::string::npos || h.find("optam") != std::string::npos) &&
            h.find("hors") == std::string::npos &&
            !preferred_price)
            preferred_price = i;
        col.emplace(c, i);  // the first column of each kind wins
    }
    if (preferred_price) col[Column::price_euros] = *preferred_price;
    std::vector<std::string> missing;
    if (!col.count(Column::code)) missing.push_back("code");
    if (!col.count(Column::label)) missing.push_back("label");
    if (!col.count(Column::price_euros) && !col.count(Column::price_cents)) missing.push_back("price");
    if (!missing.empty()) {
        std::string m;
        for (const auto& s : missing) m += (m.empty() ? "" : ", ") + s;
        out.error = "the header names no " + m + " column";
        return out;
    }
    if (records.size() - 1 > kMaxCsvRows) {
        out.error = "more than 200000 rows";
        return out;
    }

    std::set<std::string> seen;
    for (std::size_t r = 1; r < records.size(); ++r) {
        const auto& rec = records[r];
        auto get = [&](Column c) -> std::string {
            auto it = col.find(c);
            if (it == col.end() || it->second >= rec.fields.size()) return {};
            return trim(rec.fields[it->second]);
        };
        CsvAct a;
        a.line = rec.line;
        a.act.code = normalize_code(get(Column::code));
        auto skip = [&](std::string reason) { out.skipped.push_back({rec.line, a.act.code, std::move(reason)}); };
        if (a.act.code.empty()) {
            skip("no code");
            continue;
        }
        if (auto act = get(Column::activity); !act.empty() && act != "1") {
            skip("activity " + std::string(act.size() <= 2 ? act : "?") + " (only activity 1 is imported)");
            continue;
        }
        a.act.system = default_system;
        if (col.count(Column::system)) {
            auto s = parse_act_system(get(Column::system));
            if (!s) {
                skip("unknown system (NGAP, CCAM or OTHER)");
                continue;
            }
            a.act.system = *s;
        }
        a.act.label = get(Column::label);
        if (col.count(Column::price_cents)) {
            auto v = get(Column::price_cents);
            bool digits = !v.empty() && v.size() <= 12 && v.find_first_not_of("0123456789") == std::string::npos;
            if (!digits) {
                skip("price_cents is not a whole number of cents");
                continue;
            }
            a.act.price_cents = std::stoll(v);
        } else {
            auto p = parse_euros(get(Column::price_euros));
            if (!p) {
                skip("no price (an act without a tariff needs one set by the practice)");
                continue;
            }
            a.act.price_cents = *p;
        }
        if (col.count(Column::vat)) {
            auto v = get(Column::vat);
            auto rate = v.empty() ? std::optional<BasisPoints>(0) : parse_percent(v);
            if (!rate) {
                skip("VAT rate is not a percentage");
                continue;
            }
            a.act.vat_rate_bp = *rate;
        }
        if (col.count(Column::active)) {
            auto f = parse_flag(get(Column::active));
            if (!f) {
                skip("active is not 1/0, oui/non or true/false");
                continue;
            }
            a.act.active = *f;
            a.sets_active = true;
        }
        if (auto issues = validate(a.act); !issues.empty()) {
            skip(issues.front().field.substr(1) + ": " + issues.front().message);
            continue;
        }
        if (!seen.insert(a.act.code).second) {
            skip("duplicate code (the first row was kept)");
            continue;
        }
        out.acts.push_back(std::move(a));
    }
    return out;
}

}  // namespace medisecure::billing
