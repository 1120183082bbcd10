// SPDX-License-Identifier: Apache-2.0
// Structured logging: one JSON object per line (or key=value text for a terminal), written by
// spdlog's async logger so request threads never wait on stdout. Callers pass event names and
// fields; never patient data, clinical content or secrets.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <optional>
#include <variant>

namespace medisecure::log {

enum class Level { debug, info, warn, error };

struct Field {
    std::string_view key;
    std::variant<std::string_view, std::int64_t, double, bool> value;
    Field(std::string_view k, std::string_view v) : key(k), value(v) {}
    Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
    Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
    Field(std::string_view k, std::int64_t v) : key(k), value(v) {}
    Field(std::string_view k, int v) : key(k), value(static_cast<std::int64_t>(v)) {}
    Field(std::string_view k, unsigned v) : key(k), value(static_cast<std::int64_t>(v)) {}
    Field(std::string_view k, std::size_t v) : key(k), value(static_cast<std::int64_t>(v)) {}
    Field(std::string_view k, double v) : key(k), value(v) {}
    Field(std::string_view k, bool v) : key(k), value(v) {}
};

std::optional<Level> parse_level(std::string_view s);
/// Call once at start; before it, lines go synchronously to stderr.
void setup(Level level, bool json);
void flush();
bool enabled(Level level);
void write(Level level, std::string_view event, std::initializer_list<Field> fields = {});

inline void debug(std::string_view e, std::initializer_list<Field> f = {}) { write(Level::debug, e, f); }
inline void info(std::string_view e, std::initializer_list<Field> f = {}) { write(Level::info, e, f); }
inline void warn(std::string_view e, std::initializer_list<Field> f = {}) { write(Level::warn, e, f); }
inline void error(std::string_view e, std::initializer_list<Field> f = {}) { write(Level::error, e, f); }

/// Names the calling thread (at most 15 characters are kept) as `top -H`, `ps -L`, gdb and
/// profilers show it.
void name_thread(const char* name);

/// Appends `s` to `out` as the body of a JSON string (no quotes).
void json_escape(std::string& out, std::string_view s);

}  // namespace medisecure::log
