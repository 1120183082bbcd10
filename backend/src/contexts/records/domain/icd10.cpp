// SPDX-License-Identifier: Apache-2.0
#include "contexts/records/domain/icd10.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "contexts/records/domain/encounter.hpp"
#include "core/text.hpp"

namespace medisecure::records {

namespace {

bool upper(char c) { return c >= 'A' && c <= 'Z'; }
bool digit(char c) { return c >= '0' && c <= '9'; }
char to_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

/// Letters and digits of a code, upper-cased, without its dot; a dagger, asterisk, plus or
/// exclamation mark ends it. Anything else ("A00-A09", a block of codes) is not a code: "".
std::string compact(std::string_view raw) {
    std::string t = trim(raw);
    std::string out;
    for (std::size_t i = 0; i < t.size(); ++i) {
        char c = t[i];
        char u = to_upper(c);
        if (upper(u) || digit(u)) out += u;
        else if (c == '.' || c == ' ') continue;
        else if (c == '*' || c == '+' || c == '!' || t.compare(i, 3, "\xE2\x80\xA0") == 0) break;  // † is E2 80 A0
        else return {};
    }
    return out;
}

std::string with_dot(const std::string& c) { return c.size() > 3 ? c.substr(0, 3) + "." + c.substr(3) : c; }

// Windows-1252 0x80..0x9F; 0 marks the five undefined bytes.
constexpr char32_t kCp1252High[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                      0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::vector<std::string> split_row(std::string_view line, char delim) {
    std::vector<std::string> fields;
    std::string cur;
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (quoted) {
            if (c != '"') cur += c;
            else if (i + 1 < line.size() && line[i + 1] == '"') {
                cur += '"';
                ++i;
            } else {
                quoted = false;
            }
        } else if (c == '"' && trim(cur).empty()) {
            cur.clear();
            quoted = true;
        } else if (c == delim) {
            fields.push_back(trim(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    fields.push_back(trim(cur));
    return fields;
}

/// A header cell without accents, case, spaces, dashes or underscores.
std::string header_key(std::string_view cell) {
    std::string out;
    for (char c : fold(cell))
        if (c != ' ' && c != '_' && c != '-') out += c;
    return out;
}

int label_rank(const std::string& key) {
    static const std::map<std::string, int> ranks = {
        {"libellelong", 1}, {"liblong", 1}, {"labellong", 1}, {"longlabel", 1}, {"label", 2},
        {"libelle", 2},     {"lib", 3},     {"description", 3}, {"title", 3},   {"titre", 3},
        {"intitule", 3},    {"designation", 3}, {"libellecourt", 4}, {"libcourt", 4}, {"shortlabel", 4}};
    auto it = ranks.find(key);
    return it == ranks.end() ? 0 : it->second;
}

bool is_code_header(const std::string& key) {
    static const std::set<std::string> names = {"code", "codes", "cim10", "cim", "icd10", "icd", "codecim10",
                                                "codecim", "codeicd10", "codeicd"};
    return names.count(key) > 0;
}

}  // namespace

std::optional<std::string> normalise_code(std::string_view raw) {
    auto c = with_dot(compact(raw));
    if (!is_icd10_code(c)) return std::nullopt;
    return c;
}

std::optional<std::string> code_prefix(std::string_view query) {
    std::string t = trim(query);
    if (t.empty() || t.size() > 9) return std::nullopt;
    std::string c;
    for (char ch : t) {
        if (ch == '.') continue;
        char u = to_upper(ch);
        if (!upper(u) && !digit(u)) return std::nullopt;
        c += u;
    }
    if (c.empty() || !upper(c[0]) || c.size() > 7) return std::nullopt;
    for (std::size_t i = 1; i < c.size() && i < 3; ++i)
        if (!digit(c[i])) return std::nullopt;
    return with_dot(c);
}

std::vector<std::string> label_tokens(std::string_view label) {
    std::vector<std::string> out;
    for (auto& t : query_terms(label))
        if (t.size() > 1 || digit(t[0])) out.push_back(std::move(t));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::string cp1252_to_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 8);
    for (char ch : bytes) {
        auto b = static_cast<unsigned char>(ch);
        char32_t cp = b;
        if (b >= 0x80 && b < 0xA0) cp = kCp1252High[b - 0x80] ? kCp1252High[b - 0x80] : U'\uFFFD';
        append_utf8(out, cp);
    }
    return out;
}

Result<CodeFile> parse_code_file(std::string_view bytes) {
    CodeFile file;
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
    std::string text;
    if (is_valid_utf8(bytes)) {
        text = std::string(bytes);
        file.encoding = "UTF-8";
    } else {
        text = cp1252_to_utf8(bytes);
        file.encoding = "Windows-1252";
    }

    std::vector<std::string_view> lines;
    std::string_view all = text;
    while (!all.empty()) {
        auto nl = all.find('\n');
        auto line = all.substr(0, nl);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        if (nl == std::string_view::npos) break;
        all.remove_prefix(nl + 1);
    }
    std::size_t first = 0;
    while (first < lines.size() && trim(lines[first]).empty()) ++first;
    if (first == lines.size()) return invalid_input("empty_file", "The file holds no lines.");

    const auto head = lines[first];
    bool found = false;
    for (char d : {';', '\t', '|', ','}) {
        if (head.find(d) != std::string_view::npos) {
            file.delimiter = d;
            found = true;
            break;
        }
    }
    if (!found)
        return invalid_input("no_delimiter", "The first line has no ';', tab, '|' or ',' between a code and its label.");

    std::size_t code_col = 0;
    std::optional<std::size_t> label_col;
    auto cells = split_row(head, file.delimiter);
    if (!normalise_code(cells.at(0))) {
        // Not a code in the first column: the line names the columns.
        std::optional<std::size_t> code_at;
        int best = 0;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            auto key = header_key(cells[i]);
            if (!code_at && is_code_header(key)) code_at = i;
            int rank = label_rank(key);
            if (rank && (!best || rank < best)) {
                best = rank;
                label_col = i;
            }
        }
        if (!code_at)
            return invalid_input("no_code_column",
                                 "The first line is neither a code nor a header naming a 'code' column.");
        code_col = *code_at;
        file.header = true;
        ++first;
    }

    std::set<std::string> seen;
    auto skip = [&](std::size_t line_no, const std::string& why) {
        ++file.skipped;
        if (file.problems.size() < 20) file.problems.push_back("line " + std::to_string(line_no) + ": " + why);
    };
    for (std::size_t i = first; i < lines.size(); ++i) {
        if (trim(lines[i]).empty()) continue;
        auto row = split_row(lines[i], file.delimiter);
        if (code_col >= row.size()) {
            skip(i + 1, "no code column");
            continue;
        }
        auto code = normalise_code(row[code_col]);
        if (!code) {
            skip(i + 1, "not an ICD-10 code");
            continue;
        }
        std::string label;
        if (label_col) {
            if (*label_col < row.size()) label = row[*label_col];
        } else {
            for (std::size_t k = row.size(); k-- > 0;)
                if (k != code_col && !row[k].empty()) {
                    label = row[k];
                    break;
                }
        }
        if (label.empty() || label.size() > kMaxLabelBytes || has_control_chars(label)) {
            skip(i + 1, label.empty() ? "no label" : "unusable label");
            continue;
        }
        if (!seen.insert(*code).second) {
            skip(i + 1, "repeats " + *code);
            continue;
        }
        file.codes.push_back({std::move(*code), std::move(label)});
    }
    if (file.codes.empty()) return invalid_input("no_codes", "No line of the file holds a valid ICD-10 code and label.");
    return file;
}

}  // namespace medisecure::records
