// SPDX-License-Identifier: Apache-2.0
// The MongoDB plumbing the appointments store stands on: URLs (database required, password
// redacted), versioned schema steps (created, up to date, upgraded only when asked, a newer or
// modified schema refused), unique indexes answering duplicate keys (code 11000), and a
// transaction that is aborted leaving nothing behind. On a real MongoDB when
// MEDISECURE_TEST_MONGO_URL is set, else on the test double (scripts/services/mongo-double.sh).
#include "platform/mongo/migrator.hpp"
#include "platform/mongo/mongo.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

using namespace medisecure;
using mongo::Bson;

namespace {

mongo::Migration step(int version, const char* field) {
    return {version,
            std::string("by_") + field,
            {{"things", std::string("things_") + field, {{field, 1}}, false}}};
}

class MongoSchema : public ::testing::Test {
protected:
    std::unique_ptr<mongo::Pool> pool;

    void SetUp() override {
        MS_REQUIRE_MONGO();
        pool =
            std::make_unique<mongo::Pool>(*mongo::parse_url(testkit::mongo_test_database_url()), 2);
    }
    void TearDown() override {
        if (pool) pool->drop_database_for_test();
    }

    std::vector<std::string> index_names(const char* collection) {
        std::vector<std::string> out;
        pool->read([&](mongo::Connection& c) {
            auto reply = c.command(Bson().add("listIndexes", collection));
            Bson cursor;
            bson_iter_t it;
            if (bson_iter_init_find(&it, reply.get(), "cursor") && BSON_ITER_HOLDS_DOCUMENT(&it)) {
                std::uint32_t len = 0;
                const std::uint8_t* data = nullptr;
                bson_iter_document(&it, &len, &data);
                bson_t sub;
                bson_init_static(&sub, data, len);
                cursor = Bson(&sub);
            }
            for (const auto& index : cursor.array("firstBatch"))
                out.push_back(index.str("name"));
        });
        return out;
    }
};

}  // namespace

TEST(MongoUrl, NamesADatabaseAndHidesThePassword) {
    auto url =
        mongo::parse_url("mongodb://app:s3cret@db1:27017,db2:27017/appointments?replicaSet=rs0");
    ASSERT_TRUE(url);
    EXPECT_EQ(url->database, "appointments");
    EXPECT_EQ(url->hosts, "db1:27017,db2:27017");
    EXPECT_EQ(url->redacted, "mongodb://app:***@db1:27017,db2:27017/appointments?replicaSet=rs0");
    EXPECT_EQ(url->redacted.find("s3cret"), std::string::npos);
    EXPECT_TRUE(mongo::parse_url("mongodb+srv://cluster.example/appointments"));
    EXPECT_FALSE(mongo::parse_url("mongodb://db1:27017"));
    EXPECT_FALSE(mongo::parse_url("mongodb://db1:27017/?replicaSet=rs0"));
    EXPECT_FALSE(mongo::parse_url("postgresql://db1/appointments"));
}

TEST_F(MongoSchema, AFreshDatabaseIsCreatedThenUpToDate) {
    mongo::Migrator m(*pool, "appointments", {step(1, "a")});
    EXPECT_EQ(m.state().current, 0);
    EXPECT_EQ(m.ensure(false), "database.appointments created at version 1 (1 migrations)");
    EXPECT_TRUE(m.state().up_to_date());
    EXPECT_EQ(m.ensure(false), "database.appointments is at version 1");
    auto names = index_names("things");
    EXPECT_NE(std::find(names.begin(), names.end(), "things_a"), names.end());
    EXPECT_EQ(m.migrate(), 0);  // again: nothing to do
}

TEST_F(MongoSchema, AnOlderSchemaIsUpgradedOnlyWhenAsked) {
    mongo::Migrator(*pool, "appointments", {step(1, "a")}).migrate();
    mongo::Migrator next(*pool, "appointments", {step(1, "a"), step(2, "b")});
    try {
        next.ensure(false);
        FAIL() << "an older schema was accepted without --migrate";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("medisecure migrate"), std::string::npos) << e.what();
    }
    EXPECT_EQ(next.ensure(true), "database.appointments upgraded at version 2 (1 migrations)");
    auto names = index_names("things");
    EXPECT_NE(std::find(names.begin(), names.end(), "things_b"), names.end());
}

TEST_F(MongoSchema, ANewerOrModifiedSchemaIsRefused) {
    mongo::Migrator(*pool, "appointments", {step(1, "a"), step(2, "b")}).migrate();
    mongo::Migrator older(*pool, "appointments", {step(1, "a")});
    EXPECT_TRUE(older.state().ahead());
    EXPECT_THROW(older.ensure(true), std::runtime_error);
    mongo::Migrator changed(*pool, "appointments", {step(1, "z"), step(2, "b")});
    ASSERT_EQ(changed.state().problems.size(), 1u);
    EXPECT_THROW(changed.ensure(true), std::runtime_error);
}

TEST_F(MongoSchema, AUniqueIndexAnswersADuplicateKey) {
    mongo::Migrator(*pool, "appointments",
                    {{1, "unique", {{"things", "things_code", {{"code", 1}}, true}}}})
        .migrate();
    pool->read([](mongo::Connection& c) {
        c.insert_one("things", Bson().add("_id", "1").add("code", "A"));
        try {
            c.insert_one("things", Bson().add("_id", "2").add("code", "A"));
            ADD_FAILURE() << "a duplicate key was accepted";
        } catch (const mongo::Error& e) {
            EXPECT_TRUE(e.duplicate_key()) << e.what();
            EXPECT_EQ(std::string(e.what()).find("\"A\""), std::string::npos) << "the value leaked";
        }
        EXPECT_EQ(c.count("things", Bson()), 1);
    });
}

TEST_F(MongoSchema, AnAbortedTransactionLeavesNothing) {
    EXPECT_FALSE(pool->transaction([](mongo::Connection& c) {
        c.insert_one("things", Bson().add("_id", "1"));
        c.update_one("counters", Bson().add("_id", "n"), Bson().add("$inc", Bson().add("n", 1)),
                     true);
        return false;
    }));
    EXPECT_TRUE(pool->transaction([](mongo::Connection& c) {
        c.insert_one("things", Bson().add("_id", "2"));
        return true;
    }));
    pool->read([](mongo::Connection& c) {
        EXPECT_EQ(c.count("things", Bson()), 1);
        EXPECT_EQ(c.count("counters", Bson()), 0);
    });
}
