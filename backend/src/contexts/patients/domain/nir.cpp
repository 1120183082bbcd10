// SPDX-License-Identifier: Apache-2.0
#include "contexts/patients/domain/nir.hpp"

namespace medisecure::patients {

int nir_key(std::string_view s) {
    // 13 digits fit in 64 bits; Corsica replaces 2A by 19 and 2B by 18 for the computation.
    unsigned long long n = 0;
    for (std::size_t i = 0; i < 13; ++i) {
        char c = s[i];
        int d;
        if (i == 6 && (c == 'A' || c == 'B')) {
            n = n * 10 + (c == 'A' ? 9 : 8);
            n -= 10;  // the "2" before becomes "1": 2A -> 19, 2B -> 18
            continue;
        }
        d = c - '0';
        n = n * 10 + static_cast<unsigned>(d);
    }
    return static_cast<int>(97 - n % 97);
}

std::optional<Nir> parse_nir(std::string_view text, NirError* why) {
    std::string v;
    for (char c : text) {
        if (c == ' ' || c == '.' || c == '-') continue;
        if (c == 'a' || c == 'b') c = static_cast<char>(c - 'a' + 'A');
        v += c;
    }
    auto fail = [&](NirError e) -> std::optional<Nir> {
        if (why) *why = e;
        return std::nullopt;
    };
    if (v.size() != 15) return fail(NirError::format);
    for (std::size_t i = 0; i < 15; ++i) {
        bool digit = v[i] >= '0' && v[i] <= '9';
        bool corsica = i == 6 && v[5] == '2' && (v[i] == 'A' || v[i] == 'B');
        if (!digit && !corsica) return fail(NirError::format);
    }
    // Sex: 1/2, 3/4 while a number is being assigned, 7/8 for temporary numbers.
    if (v[0] != '1' && v[0] != '2' && v[0] != '3' && v[0] != '4' && v[0] != '7' && v[0] != '8')
        return fail(NirError::format);
    int month = (v[3] - '0') * 10 + (v[4] - '0');
    // 01-12, or 20-42 and 50-99 when the month of birth is unknown.
    if (!((month >= 1 && month <= 12) || (month >= 20 && month <= 42) || (month >= 50 && month <= 99)))
        return fail(NirError::format);
    int key = (v[13] - '0') * 10 + (v[14] - '0');
    if (key < 1 || key > 97 || key != nir_key(v)) return fail(NirError::key);
    return Nir{v};
}

}  // namespace medisecure::patients
