// SPDX-License-Identifier: Apache-2.0
// The CCAM/NGAP act catalogue importer (`medisecure codes import`, the billing admin upload):
// RFC 4180 CSV in UTF-8 or Windows-1252 with columns found by name.
#include <string>

#include "contexts/billing/domain/act_csv.hpp"
#include "fuzz_input.hpp"

using namespace medisecure;
using namespace medisecure::billing;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::Input in(data, size);
    ActSystem system = static_cast<ActSystem>(in.byte() % 3);
    std::string_view content = in.rest();
    auto parsed = parse_act_csv(content, system);
    if (!parsed.error.empty()) fuzz::check(parsed.acts.empty(), "a fatal error leaves no acts");
    fuzz::check(parsed.acts.size() <= kMaxCsvRows, "at most kMaxCsvRows acts");
    int last_line = 0;
    for (const auto& a : parsed.acts) {
        fuzz::check(a.line > last_line, "acts come in file order");
        last_line = a.line;
        fuzz::check(fuzz::valid_utf8(a.act.code) && fuzz::valid_utf8(a.act.label), "acts are UTF-8");
        fuzz::check(validate(a.act).empty(), "an imported act passes the catalogue's validation");
    }
    for (const auto& s : parsed.skipped) fuzz::check(fuzz::valid_utf8(s.reason), "skip reasons are UTF-8");
    fuzz::check(fuzz::valid_utf8(cp1252_to_utf8(content)), "Windows-1252 converts to valid UTF-8");
    (void)parse_act_system(content.substr(0, 8));
    return 0;
}
