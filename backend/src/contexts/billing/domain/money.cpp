// SPDX-License-Identifier: Apache-2.0
#include "contexts/billing/domain/money.hpp"

#include <cstdlib>
#include <limits>

namespace medisecure::billing {

std::int64_t divide_rounded(std::int64_t numerator, std::int64_t denominator) {
    std::int64_t q = numerator / denominator;
    std::int64_t r = numerator % denominator;
    // |r| * 2 >= denominator means the fraction is at least one half: move away from zero.
    if (std::llabs(r) * 2 >= denominator) q += numerator < 0 ? -1 : 1;
    return q;
}

Cents vat_on(Cents base, BasisPoints rate) { return divide_rounded(base * rate, 10000); }

namespace {

/// Parses "<digits>[sep<1-2 digits>]" into hundredths (cents, basis points) after removing
/// spaces, currency signs and thousands separators.
std::optional<std::int64_t> parse_decimal(std::string_view text, bool allow_negative) {
    std::string s;
    for (std::size_t i = 0; i < text.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == ' ' || c == '\t') continue;
        // U+00A0 and U+202F (no-break spaces) and U+20AC (€) in UTF-8.
        if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xa0) {
            ++i;
            continue;
        }
        if (c == 0xe2 && i + 2 < text.size()) {
            auto b1 = static_cast<unsigned char>(text[i + 1]), b2 = static_cast<unsigned char>(text[i + 2]);
            if ((b1 == 0x80 && b2 == 0xaf) || (b1 == 0x82 && b2 == 0xac)) {
                i += 2;
                continue;
            }
        }
        s += static_cast<char>(c);
    }
    for (const char* unit : {"EUR", "eur", "%"}) {
        std::string_view u(unit);
        if (s.size() >= u.size() && s.compare(s.size() - u.size(), u.size(), u) == 0) s.erase(s.size() - u.size());
        if (s.compare(0, u.size(), u) == 0) s.erase(0, u.size());
    }
    bool negative = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        negative = s[0] == '-';
        s.erase(0, 1);
    }
    if (s.empty() || (negative && !allow_negative)) return std::nullopt;
    // The last '.' or ',' followed by one or two digits is the decimal mark; any other is a
    // thousands separator ("1.234,56" and "1,234.56" both read 1234.56).
    std::size_t mark = s.find_last_of(".,");
    std::string whole = s, frac;
    if (mark != std::string::npos && s.size() - mark - 1 <= 2 && s.size() - mark - 1 >= 1) {
        whole = s.substr(0, mark);
        frac = s.substr(mark + 1);
    } else if (mark != std::string::npos && s.size() - mark - 1 != 3) {
        return std::nullopt;  // "12,3456": neither decimals nor thousands
    }
    std::string digits;
    for (char c : whole) {
        if (c == '.' || c == ',') continue;
        if (c < '0' || c > '9') return std::nullopt;
        digits += c;
    }
    for (char c : frac)
        if (c < '0' || c > '9') return std::nullopt;
    if (digits.empty() || digits.size() > 12) return std::nullopt;
    while (frac.size() < 2) frac += '0';
    std::int64_t v = std::stoll(digits) * 100 + std::stoll(frac);
    return negative ? -v : v;
}

std::string group_thousands(std::int64_t v) {
    std::string d = std::to_string(v);
    std::string out;
    int n = 0;
    for (auto it = d.rbegin(); it != d.rend(); ++it) {
        if (n && n % 3 == 0) out.insert(0, "\u202f");
        out.insert(out.begin(), *it);
        ++n;
    }
    return out;
}

}  // namespace

std::optional<Cents> parse_euros(std::string_view text) { return parse_decimal(text, true); }

std::optional<BasisPoints> parse_percent(std::string_view text) {
    auto v = parse_decimal(text, false);
    if (!v || *v > kMaxVatRate) return std::nullopt;
    return static_cast<BasisPoints>(*v);
}

std::string format_euros(Cents cents) {
    bool negative = cents < 0;
    std::uint64_t abs = negative ? 0 - static_cast<std::uint64_t>(cents) : static_cast<std::uint64_t>(cents);
    auto units = static_cast<std::int64_t>(abs / 100);
    auto rest = static_cast<int>(abs % 100);
    std::string out = (negative ? "-" : "") + group_thousands(units) + "," + (rest < 10 ? "0" : "") + std::to_string(rest);
    return out + "\u202f€";
}

std::string format_percent(BasisPoints rate) {
    std::string out = std::to_string(rate / 100);
    int rest = rate % 100;
    if (rest) {
        out += "," + std::string(rest < 10 ? "0" : "") + std::to_string(rest);
        if (out.back() == '0') out.pop_back();
    }
    return out + "\u202f%";
}

}  // namespace medisecure::billing
