// SPDX-License-Identifier: Apache-2.0
#include "platform/mongo/migrator.hpp"

#include "core/clock.hpp"
#include "platform/crypto/digest.hpp"
#include "platform/log/log.hpp"

#include <algorithm>
#include <stdexcept>

namespace medisecure::mongo {

namespace {

constexpr const char* kHistory = "schema_migrations";

Bson index_document(const IndexSpec& spec) {
    Bson keys;
    for (const auto& [field, direction] : spec.keys)
        keys.add(field.c_str(), direction);
    Bson doc;
    doc.add("key", keys).add("name", spec.name);
    if (spec.unique) doc.add("unique", true);
    return doc;
}

void create_indexes(Connection& c, const Migration& m) {
    // One createIndexes command per collection, in the order the step lists them.
    std::vector<std::string> collections;
    for (const auto& spec : m.indexes)
        if (std::find(collections.begin(), collections.end(), spec.collection) == collections.end())
            collections.push_back(spec.collection);
    for (const auto& collection : collections) {
        std::vector<Bson> specs;
        for (const auto& spec : m.indexes)
            if (spec.collection == collection) specs.push_back(index_document(spec));
        c.command(Bson().add("createIndexes", collection).add_array("indexes", specs));
    }
}

}  // namespace

std::string Migration::checksum() const {
    std::string text;
    for (const auto& spec : indexes)
        text += spec.collection + "\n" + index_document(spec).json() + "\n";
    return crypto::sha256_hex(text);
}

Migrator::Migrator(Pool& pool, std::string context, std::vector<Migration> migrations)
    : pool_(pool), context_(std::move(context)), migrations_(std::move(migrations)) {
    for (std::size_t i = 0; i < migrations_.size(); ++i)
        if (migrations_[i].version != static_cast<int>(i) + 1)
            throw std::logic_error("MongoDB schema steps of " + context_ +
                                   " are not numbered 1..n");
}

db::SchemaState Migrator::state() {
    db::SchemaState st;
    st.context = context_;
    st.latest = migrations_.empty() ? 0 : migrations_.back().version;
    pool_.read([&](Connection& c) {
        FindOptions by_version;
        by_version.sort = {{"version", 1}};
        for (const auto& row : c.find(kHistory, Bson().add("context", context_), by_version)) {
            const int version = static_cast<int>(row.int64("version"));
            st.current = std::max(st.current, version);
            if (version < 1 || version > st.latest) continue;
            if (migrations_[version - 1].checksum() != row.str("checksum"))
                st.problems.push_back("schema step V" + std::to_string(version) + " of " +
                                      context_ + " was modified after it was applied");
        }
    });
    return st;
}

int Migrator::migrate() {
    const int current = state().current;
    int applied = 0;
    pool_.read([&](Connection& c) {
        for (const auto& m : migrations_) {
            if (m.version <= current) continue;
            create_indexes(c, m);
            Bson row;
            row.add("_id", context_ + ":" + std::to_string(m.version))
                .add("context", context_)
                .add("version", m.version)
                .add("name", m.name)
                .add("checksum", m.checksum())
                .add("applied_at", to_micros(SystemClock{}.now()));
            try {
                c.insert_one(kHistory, row);
            } catch (const Error& e) {
                if (!e.duplicate_key()) throw;  // another instance recorded it first
            }
            log::info("db.migrated",
                      {{"context", context_}, {"version", m.version}, {"name", m.name}});
            ++applied;
        }
    });
    return applied;
}

std::string Migrator::ensure(bool allow_migrate) {
    return db::ensure_schema(state(), allow_migrate, [this] { return migrate(); });
}

}  // namespace medisecure::mongo
