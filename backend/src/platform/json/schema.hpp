// SPDX-License-Identifier: Apache-2.0
// One description of a JSON document serves both to validate requests (field-level issues) and
// to document them (JSON Schema 2020-12 inside OpenAPI 3.1), so the two cannot drift apart.
#pragma once

#include <boost/json/value.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace medisecure::schema {

enum class Type { object, array, string, integer, number, boolean, any };

struct Node;
struct Property;

/// Immutable value type; builder methods return modified copies.
class Schema {
public:
    static Schema string();
    static Schema integer();
    static Schema number();
    static Schema boolean();
    static Schema any();
    static Schema array(Schema items);
    /// A closed object: properties not listed are rejected.
    static Schema object(std::vector<Property> properties);
    /// An object whose values all follow `values` (a map).
    static Schema map_of(Schema values);
    /// Names this schema: it is documented once under components/schemas and referenced.
    static Schema named(std::string name, Schema s);

    Schema min_length(std::size_t n) const;
    Schema max_length(std::size_t n) const;
    Schema pattern(std::string ecmascript_regex) const;
    /// "date", "date-time", "email", "uuid", "password" (documented; validated when known).
    Schema format(std::string f) const;
    Schema enumeration(std::vector<std::string> values) const;
    Schema minimum(double v) const;
    Schema maximum(double v) const;
    Schema min_items(std::size_t n) const;  // on objects: the fewest properties (minProperties)
    Schema max_items(std::size_t n) const;
    Schema nullable() const;
    Schema multiline() const;  // strings may hold newlines and tabs
    Schema describe(std::string text) const;
    Schema example(boost::json::value v) const;

    explicit Schema(std::shared_ptr<const Node> n) : node_(std::move(n)) {}
    const Node& node() const { return *node_; }
    Type type() const;
    /// A copy of this schema with `f` applied to its node.
    template <class F>
    Schema edit(F f) const;

private:
    std::shared_ptr<const Node> node_;
};

struct Property {
    std::string name;
    Schema schema;
    bool required = false;
};
inline Property req(std::string name, Schema s) { return {std::move(name), std::move(s), true}; }
inline Property opt(std::string name, Schema s) { return {std::move(name), std::move(s), false}; }

struct Node {
    Type type = Type::any;
    std::string name;  // non-empty for named schemas
    std::shared_ptr<const Node> target;  // the named schema's body
    std::vector<Property> properties;
    std::optional<Schema> items;
    std::optional<Schema> values;
    std::optional<std::size_t> min_length, max_length, min_items, max_items;
    std::optional<double> minimum, maximum;
    std::string pattern, format, description;
    std::shared_ptr<const void> compiled_pattern;
    std::vector<std::string> enum_values;
    bool nullable = false;
    bool multiline = false;
    std::optional<boost::json::value> example;
};

template <class F>
Schema Schema::edit(F f) const {
    auto copy = std::make_shared<Node>(*node_);
    f(*copy);
    return Schema(std::move(copy));
}

/// Issues one validation lists at most: a body of 70,000 unknown fields gets a short answer,
/// and the search for more stops there (the reply never grows with the attacker's input).
inline constexpr std::size_t kMaxIssues = 20;

/// Appends one FieldIssue per problem (JSON pointer paths), kMaxIssues at most (the first ones
/// met, then it stops looking); returns true when valid.
bool validate(const Schema& s, const boost::json::value& v, std::vector<FieldIssue>& issues,
              const std::string& path = "");

/// JSON Schema for `s`; named schemas become $ref and are added to `components`.
boost::json::value to_json_schema(const Schema& s, boost::json::object& components);

}  // namespace medisecure::schema
