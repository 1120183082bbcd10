// SPDX-License-Identifier: Apache-2.0
// NIR / INS matricule parsing (patients' registration and search): anything a form or an
// import sends. An accepted NIR is in normal form and its key is right.
#include <string>

#include "contexts/patients/domain/mrn.hpp"
#include "contexts/patients/domain/nir.hpp"
#include "fuzz_input.hpp"

using namespace medisecure;
using namespace medisecure::patients;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    NirError why = NirError::format;
    auto nir = parse_nir(text, &why);
    if (nir) {
        const std::string& v = nir->value;
        fuzz::check(v.size() == 15, "a NIR has 15 characters");
        for (char c : v) fuzz::check((c >= '0' && c <= '9') || c == 'A' || c == 'B', "a NIR is digits and 2A/2B");
        int key = (v[13] - '0') * 10 + (v[14] - '0');
        fuzz::check(nir_key(std::string_view(v).substr(0, 13)) == key, "an accepted NIR has the right key");
        fuzz::check(nir->sex_digit() >= 0 && nir->sex_digit() <= 9, "sex digit");
        fuzz::check(nir->birth_month() >= 0 && nir->birth_month() <= 99, "birth month digits");
        auto again = parse_nir(v);
        fuzz::check(again && again->value == v, "a normal-form NIR parses to itself");
    }
    (void)valid_mrn(text);
    return 0;
}
