// SPDX-License-Identifier: Apache-2.0
// JSON request bodies: the pipeline's parser (value count and depth limits) and the schema
// validator, on the schemas of the fuzz route table (every feature the contexts use). The
// first input byte picks the schema. Issues are bounded and point inside the document.
#include <boost/json.hpp>
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "fuzz_input.hpp"
#include "platform/http/router.hpp"
#include "platform/json/json_util.hpp"
#include "platform/json/schema.hpp"
#include "routes_fixture.hpp"

using namespace medisecure;

namespace {

/// Equal, numbers within a few units in the last place: Boost.JSON 1.81 parses decimal numbers
/// without exact rounding, so a double may come back one unit off after a round trip.
bool same(const boost::json::value& a, const boost::json::value& b) {
    if (a.is_number() && b.is_number() && (a.is_double() || b.is_double())) {
        const double x = a.to_number<double>(), y = b.to_number<double>();
        return x == y || std::abs(x - y) <= 1e-12 * std::max(std::abs(x), std::abs(y));
    }
    if (a.kind() != b.kind()) return false;
    if (a.is_array()) {
        const auto &p = a.get_array(), &q = b.get_array();
        if (p.size() != q.size()) return false;
        for (std::size_t i = 0; i < p.size(); ++i)
            if (!same(p[i], q[i])) return false;
        return true;
    }
    if (a.is_object()) {
        const auto &p = a.get_object(), &q = b.get_object();
        if (p.size() != q.size()) return false;
        for (const auto& kv : p) {
            auto it = q.find(kv.key());
            if (it == q.end() || !same(kv.value(), it->value())) return false;
        }
        return true;
    }
    return a == b;
}

std::vector<schema::Schema> collect_schemas() {
    http::Router router;
    fuzz::add_fuzz_routes(router);
    std::vector<schema::Schema> out;
    for (const auto& r : router.routes()) {
        if (r.body) out.push_back(r.body->schema);
        for (const auto& p : r.params) out.push_back(p.schema);
    }
    out.push_back(schema::Schema::array(schema::Schema::map_of(schema::Schema::number().nullable())).min_items(1));
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::vector<schema::Schema> schemas = collect_schemas();
    fuzz::Input in(data, size);
    const auto& s = schemas[in.byte() % schemas.size()];
    auto v = jsonu::parse(in.rest());
    if (!v) return 0;
    std::vector<FieldIssue> issues;
    bool ok = schema::validate(s, *v, issues);
    fuzz::check(ok == issues.empty(), "valid exactly when there is no issue");
    fuzz::check(issues.size() <= schema::kMaxIssues, "at most kMaxIssues issues");
    for (const auto& i : issues) {
        fuzz::check(i.field.empty() || i.field[0] == '/', "issue paths are JSON pointers");
        // Except a missing member and the document itself ("/"), an issue names a value that is there.
        if (i.code != "required" && i.field != "/") {
            boost::system::error_code ec;
            fuzz::check(v->find_pointer(i.field, ec) != nullptr, "an issue's pointer names a value of the body");
        }
    }
    // What is accepted serialises and reads back the same.
    if (ok) {
        auto again = jsonu::parse(jsonu::serialize(*v));
        fuzz::check(again && same(*again, *v), "an accepted body round-trips");
    }
    return 0;
}
