// SPDX-License-Identifier: Apache-2.0
#include "platform/json/schema.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <regex>

#include "core/random.hpp"
#include "core/text.hpp"
#include "core/time.hpp"

namespace medisecure::schema {
namespace json = boost::json;

namespace {

bool valid_email(std::string_view s) {
    // Deliberately simple (RFC 5321 lengths, one '@', a dot in the domain, no spaces): the
    // real check is a message that arrives.
    if (s.size() < 3 || s.size() > 254) return false;
    auto at = s.find('@');
    if (at == std::string_view::npos || at == 0 || at > 64 || s.find('@', at + 1) != s.npos)
        return false;
    auto domain = s.substr(at + 1);
    if (domain.size() < 3 || domain.find('.') == s.npos || domain.front() == '.' ||
        domain.back() == '.' || domain.find("..") != s.npos)
        return false;
    for (unsigned char c : s)
        if (c <= ' ' || c == 0x7f || c == '"' || c == '(' || c == ')' || c == ',' || c == ';' ||
            c == '<' || c == '>' || c == '[' || c == ']' || c == '\\')
            return false;
    return true;
}

std::string type_name(Type t) {
    switch (t) {
    case Type::object: return "object";
    case Type::array: return "array";
    case Type::string: return "string";
    case Type::integer: return "integer";
    case Type::number: return "number";
    case Type::boolean: return "boolean";
    case Type::any: return "any";
    }
    return "any";
}

const Node& resolve(const Node& n) { return n.target ? resolve(*n.target) : n; }

void issue(std::vector<FieldIssue>& out, const std::string& path, std::string code,
           std::string message) {
    if (out.size() >= kMaxIssues) return;
    out.push_back({path.empty() ? "/" : path, std::move(code), std::move(message)});
}

std::string escape_pointer(std::string_view key) {
    std::string out;
    for (char c : key) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

}  // namespace

namespace {
Schema make(Type t) {
    auto n = std::make_shared<Node>();
    n->type = t;
    return Schema(std::move(n));
}
}  // namespace

Schema Schema::string() { return make(Type::string); }
Schema Schema::integer() { return make(Type::integer); }
Schema Schema::number() { return make(Type::number); }
Schema Schema::boolean() { return make(Type::boolean); }
Schema Schema::any() { return make(Type::any); }
Schema Schema::array(Schema items) {
    return make(Type::array).edit([&](Node& n) { n.items = std::move(items); });
}
Schema Schema::object(std::vector<Property> properties) {
    return make(Type::object).edit([&](Node& n) { n.properties = std::move(properties); });
}
Schema Schema::map_of(Schema values) {
    return make(Type::object).edit([&](Node& n) { n.values = std::move(values); });
}
Schema Schema::named(std::string name, Schema s) {
    auto n = std::make_shared<Node>();
    n->type = s.type();
    n->name = std::move(name);
    n->target = s.node_;
    return Schema(std::move(n));
}

Type Schema::type() const { return resolve(*node_).type; }

Schema Schema::min_length(std::size_t v) const { return edit([&](Node& n) { n.min_length = v; }); }
Schema Schema::max_length(std::size_t v) const { return edit([&](Node& n) { n.max_length = v; }); }
Schema Schema::format(std::string v) const { return edit([&](Node& n) { n.format = std::move(v); }); }
Schema Schema::enumeration(std::vector<std::string> v) const {
    return edit([&](Node& n) { n.enum_values = std::move(v); });
}
Schema Schema::minimum(double v) const { return edit([&](Node& n) { n.minimum = v; }); }
Schema Schema::maximum(double v) const { return edit([&](Node& n) { n.maximum = v; }); }
Schema Schema::min_items(std::size_t v) const { return edit([&](Node& n) { n.min_items = v; }); }
Schema Schema::max_items(std::size_t v) const { return edit([&](Node& n) { n.max_items = v; }); }
Schema Schema::describe(std::string v) const {
    return edit([&](Node& n) { n.description = std::move(v); });
}
Schema Schema::example(json::value v) const { return edit([&](Node& n) { n.example = std::move(v); }); }
Schema Schema::pattern(std::string re) const {
    return edit([&](Node& n) {
        n.compiled_pattern = std::make_shared<const std::regex>(re, std::regex::ECMAScript);
        n.pattern = std::move(re);
    });
}
Schema Schema::nullable() const { return edit([](Node& n) { n.nullable = true; }); }
Schema Schema::multiline() const { return edit([](Node& n) { n.multiline = true; }); }

bool validate(const Schema& s, const json::value& v, std::vector<FieldIssue>& out,
              const std::string& path) {
    const Node& n = resolve(s.node());
    auto before = out.size();
    if (out.size() >= kMaxIssues) return false;
    if (v.is_null()) {
        // A reference may be made nullable without its target being so ("address": null).
        bool nullable = false;
        for (const Node* k = &s.node(); k; k = k->target.get()) nullable |= k->nullable;
        if (!nullable && n.type != Type::any) issue(out, path, "null", "must not be null");
        return out.size() == before;
    }
    switch (n.type) {
    case Type::any: break;
    case Type::boolean:
        if (!v.is_bool()) issue(out, path, "type", "must be true or false");
        break;
    case Type::integer:
    case Type::number: {
        double d = 0;
        if (v.is_int64()) d = static_cast<double>(v.get_int64());
        else if (v.is_uint64()) d = static_cast<double>(v.get_uint64());
        else if (v.is_double() && !std::isfinite(v.get_double())) {
            // 1e999 parses to infinity: no quantity a practice records, and it would not read
            // back from what is stored (found by fuzzing).
            issue(out, path, "type", "must be a finite number");
            break;
        } else if (v.is_double() && n.type == Type::number) d = v.get_double();
        else if (v.is_double() && std::floor(v.get_double()) == v.get_double() &&
                 std::abs(v.get_double()) < 9e15)
            d = v.get_double();
        else {
            issue(out, path, "type", n.type == Type::integer ? "must be an integer" : "must be a number");
            break;
        }
        if (n.minimum && d < *n.minimum)
            issue(out, path, "minimum", "must be at least " + json::serialize(json::value(*n.minimum)));
        if (n.maximum && d > *n.maximum)
            issue(out, path, "maximum", "must be at most " + json::serialize(json::value(*n.maximum)));
        break;
    }
    case Type::string: {
        if (!v.is_string()) {
            issue(out, path, "type", "must be a string");
            break;
        }
        std::string_view str = v.get_string();
        if (!is_valid_utf8(str)) {
            issue(out, path, "encoding", "must be valid UTF-8");
            break;
        }
        if (has_control_chars(str, n.multiline)) {
            issue(out, path, "control_characters", "must not contain control characters");
            break;
        }
        auto len = utf8_length(str);
        if (n.min_length && len < *n.min_length)
            issue(out, path, *n.min_length == 1 ? "required" : "too_short",
                  *n.min_length == 1 ? "must not be empty"
                                     : "must be at least " + std::to_string(*n.min_length) + " characters");
        if (n.max_length && len > *n.max_length)
            issue(out, path, "too_long", "must be at most " + std::to_string(*n.max_length) + " characters");
        if (!n.enum_values.empty() &&
            std::find(n.enum_values.begin(), n.enum_values.end(), str) == n.enum_values.end()) {
            std::string allowed;
            for (const auto& e : n.enum_values) allowed += (allowed.empty() ? "" : ", ") + e;
            issue(out, path, "enum", "must be one of: " + allowed);
        }
        if (out.size() != before) break;
        if (n.format == "date" && !parse_date(str)) issue(out, path, "format", "must be a date (YYYY-MM-DD)");
        else if (n.format == "date-time" && !parse_instant(str))
            issue(out, path, "format", "must be a date-time (RFC 3339)");
        else if (n.format == "email" && !valid_email(str)) issue(out, path, "format", "must be an e-mail address");
        else if (n.format == "uuid" && !is_uuid(str)) issue(out, path, "format", "must be a UUID");
        if (n.compiled_pattern &&
            !std::regex_match(str.begin(), str.end(),
                              *static_cast<const std::regex*>(n.compiled_pattern.get())))
            issue(out, path, "pattern", "has an invalid format");
        break;
    }
    case Type::array: {
        if (!v.is_array()) {
            issue(out, path, "type", "must be an array");
            break;
        }
        const auto& arr = v.get_array();
        if (n.min_items && arr.size() < *n.min_items)
            issue(out, path, "too_few_items", "must have at least " + std::to_string(*n.min_items) + " items");
        if (n.max_items && arr.size() > *n.max_items)
            issue(out, path, "too_many_items", "must have at most " + std::to_string(*n.max_items) + " items");
        else if (n.items)
            for (std::size_t i = 0; i < arr.size() && out.size() < kMaxIssues; ++i)
                validate(*n.items, arr[i], out, path + "/" + std::to_string(i));
        break;
    }
    case Type::object: {
        if (!v.is_object()) {
            issue(out, path, "type", "must be an object");
            break;
        }
        const auto& obj = v.get_object();
        if (n.values) {
            if (n.max_items && obj.size() > *n.max_items)
                issue(out, path, "too_many_items", "must have at most " + std::to_string(*n.max_items) + " entries");
            for (const auto& kv : obj) {
                if (out.size() >= kMaxIssues) break;
                validate(*n.values, kv.value(), out, path + "/" + escape_pointer(kv.key()));
            }
            break;
        }
        if (n.min_items && obj.size() < *n.min_items)
            issue(out, path, "too_few_fields", "must contain at least " + std::to_string(*n.min_items) + " field(s)");
        for (const auto& p : n.properties) {
            auto it = obj.find(p.name);
            if (it == obj.end()) {
                if (p.required) issue(out, path + "/" + p.name, "required", "is required");
                continue;
            }
            validate(p.schema, it->value(), out, path + "/" + p.name);
        }
        for (const auto& kv : obj) {
            if (out.size() >= kMaxIssues) break;
            bool known = std::any_of(n.properties.begin(), n.properties.end(),
                                     [&](const Property& p) { return p.name == kv.key(); });
            if (!known) issue(out, path + "/" + escape_pointer(kv.key()), "unknown_field", "is not a known field");
        }
        break;
    }
    }
    return out.size() == before;
}

json::value to_json_schema(const Schema& s, json::object& components) {
    const Node& top = s.node();
    if (!top.name.empty()) {
        if (!components.contains(top.name)) {
            components[top.name] = nullptr;  // reserved first, so recursive schemas terminate
            components[top.name] = to_json_schema(Schema(top.target), components);
        }
        json::object ref;
        ref["$ref"] = "#/components/schemas/" + top.name;
        if (top.nullable) return json::object{{"anyOf", json::array{ref, json::object{{"type", "null"}}}}};
        return ref;
    }
    const Node& n = top;
    json::object o;
    if (n.type != Type::any) {
        if (n.nullable) o["type"] = json::array{json::string(type_name(n.type)), "null"};
        else o["type"] = type_name(n.type);
    }
    if (!n.description.empty()) o["description"] = n.description;
    if (!n.format.empty()) o["format"] = n.format;
    if (!n.pattern.empty()) o["pattern"] = n.pattern;
    if (n.min_length) o["minLength"] = *n.min_length;
    if (n.max_length) o["maxLength"] = *n.max_length;
    if (n.minimum) o["minimum"] = *n.minimum;
    if (n.maximum) o["maximum"] = *n.maximum;
    if (!n.enum_values.empty()) {
        json::array e;
        for (const auto& v : n.enum_values) e.emplace_back(v);
        if (n.nullable) e.emplace_back(nullptr);
        o["enum"] = std::move(e);
    }
    if (n.example) o["examples"] = json::array{*n.example};
    if (n.type == Type::array) {
        if (n.items) o["items"] = to_json_schema(*n.items, components);
        if (n.min_items) o["minItems"] = *n.min_items;
        if (n.max_items) o["maxItems"] = *n.max_items;
    }
    if (n.type == Type::object) {
        if (n.values) {
            o["additionalProperties"] = to_json_schema(*n.values, components);
        } else {
            json::object props;
            json::array required;
            for (const auto& p : n.properties) {
                props[p.name] = to_json_schema(p.schema, components);
                if (p.required) required.emplace_back(p.name);
            }
            o["properties"] = std::move(props);
            if (!required.empty()) o["required"] = std::move(required);
            if (n.min_items) o["minProperties"] = *n.min_items;
            o["additionalProperties"] = false;
        }
    }
    return o;
}

}  // namespace medisecure::schema
