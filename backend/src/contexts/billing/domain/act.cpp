// SPDX-License-Identifier: Apache-2.0
#include "contexts/billing/domain/act.hpp"

#include "core/text.hpp"

namespace medisecure::billing {

std::string_view to_string(ActSystem s) {
    switch (s) {
    case ActSystem::ngap: return "NGAP";
    case ActSystem::ccam: return "CCAM";
    case ActSystem::other: return "OTHER";
    }
    return "OTHER";
}

std::optional<ActSystem> parse_act_system(std::string_view s) {
    std::string up = normalize_code(s);
    for (auto v : {ActSystem::ngap, ActSystem::ccam, ActSystem::other})
        if (to_string(v) == up) return v;
    return std::nullopt;
}

std::string normalize_code(std::string_view code) {
    std::string out = trim(code);
    for (auto& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

bool valid_code(ActSystem system, std::string_view code) {
    auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    switch (system) {
    case ActSystem::ccam:
        if (code.size() != 7) return false;
        for (std::size_t i = 0; i < 7; ++i)
            if (i < 4 ? !upper(code[i]) : !digit(code[i])) return false;
        return true;
    case ActSystem::ngap:
        if (code.empty() || code.size() > 10 || !upper(code[0])) return false;
        for (char c : code)
            if (!upper(c) && !digit(c)) return false;
        return true;
    case ActSystem::other:
        if (code.empty() || code.size() > 16 || !(upper(code[0]) || digit(code[0]))) return false;
        for (char c : code)
            if (!upper(c) && !digit(c) && c != '.' && c != '_' && c != '-') return false;
        return true;
    }
    return false;
}

std::vector<FieldIssue> validate(const Act& a) {
    std::vector<FieldIssue> issues;
    if (!valid_code(a.system, a.code)) {
        const char* why = a.system == ActSystem::ccam   ? "a CCAM code is four letters and three digits (DEQP003)"
                          : a.system == ActSystem::ngap ? "an NGAP code is up to 10 letters and digits, starting with a letter"
                                                        : "up to 16 letters, digits, '.', '_' or '-'";
        issues.push_back({"/code", "invalid_code", why});
    }
    if (trim(a.label).empty()) issues.push_back({"/label", "required", "must not be empty"});
    else if (!is_valid_utf8(a.label) || has_control_chars(a.label)) issues.push_back({"/label", "invalid_text", "contains characters that are not allowed"});
    else if (utf8_length(a.label) > kMaxLabelLength) issues.push_back({"/label", "too_long", "at most 500 characters"});
    if (a.price_cents < 0 || a.price_cents > kMaxUnitPrice)
        issues.push_back({"/price_cents", "out_of_range", "between 0 and 10000000 cents"});
    if (a.vat_rate_bp < 0 || a.vat_rate_bp > kMaxVatRate)
        issues.push_back({"/vat_rate_bp", "out_of_range", "between 0 and 10000 basis points"});
    return issues;
}

}  // namespace medisecure::billing
