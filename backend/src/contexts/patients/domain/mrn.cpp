// SPDX-License-Identifier: Apache-2.0
#include "contexts/patients/domain/mrn.hpp"

#include <cstdio>

namespace medisecure::patients {

int luhn_digit(std::string_view digits) {
    int sum = 0;
    bool dbl = true;  // doubling starts with the right-most digit of the payload
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        int d = *it - '0';
        if (dbl) {
            d *= 2;
            if (d > 9) d -= 9;
        }
        sum += d;
        dbl = !dbl;
    }
    return (10 - sum % 10) % 10;
}

std::string make_mrn(std::int64_t sequence) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%07lld", static_cast<long long>(sequence % 10000000));
    return std::string("MS") + buf + static_cast<char>('0' + luhn_digit(buf));
}

bool valid_mrn(std::string_view mrn) {
    if (mrn.size() != 10 || mrn.substr(0, 2) != "MS") return false;
    for (char c : mrn.substr(2))
        if (c < '0' || c > '9') return false;
    return luhn_digit(mrn.substr(2, 7)) == mrn[9] - '0';
}

}  // namespace medisecure::patients
