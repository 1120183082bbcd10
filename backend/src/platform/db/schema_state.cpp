// SPDX-License-Identifier: Apache-2.0
#include "platform/db/schema_state.hpp"

#include <stdexcept>

namespace medisecure::db {

std::string ensure_schema(const SchemaState& st, bool allow_migrate,
                          const std::function<int()>& migrate) {
    if (!st.problems.empty()) throw std::runtime_error(st.problems.front());
    const std::string name = "database." + st.context;
    if (st.ahead())
        throw std::runtime_error(name + " has schema version " + std::to_string(st.current) +
                                 ", newer than this binary's " + std::to_string(st.latest) +
                                 ": upgrade MediSecure");
    if (!st.behind()) return name + " is at version " + std::to_string(st.current);
    if (st.current != 0 && !allow_migrate)
        throw std::runtime_error(name + " has schema version " + std::to_string(st.current) +
                                 " but this binary needs " + std::to_string(st.latest) +
                                 ": run `medisecure migrate` or start with --migrate");
    int n = migrate();
    return name + (st.current == 0 ? " created" : " upgraded") + " at version " +
           std::to_string(st.latest) + " (" + std::to_string(n) + " migrations)";
}

}  // namespace medisecure::db
