// SPDX-License-Identifier: Apache-2.0
// One result row, read by column index, whatever the engine: SQLite rows are read straight
// from the prepared statement (no copy), PostgreSQL rows from libpq's result (text format).
// The readers are tolerant: SQLite and PostgreSQL report integer widths differently, and NULL
// reads as 0 or "".
#pragma once

#include <cstddef>
#include <string>

namespace medisecure::db {

class Row {
public:
    virtual ~Row() = default;
    virtual std::size_t size() const = 0;
    virtual bool null_at(std::size_t i) const = 0;
    virtual long long int64_at(std::size_t i) const = 0;
    virtual double double_at(std::size_t i) const = 0;
    virtual std::string string_at(std::size_t i) const = 0;
};

inline bool is_null(const Row& r, std::size_t i) { return r.null_at(i); }
inline long long as_int64(const Row& r, std::size_t i) { return r.int64_at(i); }
inline double as_double(const Row& r, std::size_t i) { return r.double_at(i); }
/// NULL reads as "".
inline std::string as_string(const Row& r, std::size_t i) { return r.string_at(i); }

}  // namespace medisecure::db
