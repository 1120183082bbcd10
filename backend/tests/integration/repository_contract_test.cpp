// SPDX-License-Identifier: Apache-2.0
// One contract per repository port, run against every SQL engine: SQLite (embedded default)
// and PostgreSQL 15 (started on loopback by scripts/test.sh).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <thread>

#include "contexts/audit/adapters/sql/sql_audit_repository.hpp"
#include "contexts/audit/app/audit_log.hpp"
#include "contexts/audit/app/audit_queries.hpp"
#include "contexts/identity/adapters/sql/sql_identity_store.hpp"
#include "contexts/patients/adapters/sql/sql_patient_store.hpp"
#include "contexts/patients/app/patient_service.hpp"
#include "contexts/patients/domain/mrn.hpp"
#include "core/random.hpp"
#include "core/text.hpp"
#include "platform/db/query.hpp"
#include "test_support.hpp"

using namespace medisecure;
using medisecure::testkit::caller_of;

namespace {

class Engine : public ::testing::TestWithParam<std::string> {
protected:
    testkit::TempDir dir;
    std::unique_ptr<db::Database> open(const std::string& context, std::size_t pool = 4) {
        if (GetParam() == "sqlite") return testkit::sqlite_database(dir, context, pool);
        return testkit::postgres_database(context, pool);
    }
    void SetUp() override {
        if (GetParam() == "postgresql") MS_REQUIRE_POSTGRES();
    }
};

std::string engine_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

Timestamp t0() { return *parse_instant("2026-11-24T08:00:00Z"); }

// ----- identity -----

using IdentityContract = Engine;

identity::User user(const std::string& email, Role role = Role::doctor, const std::string& patient = "") {
    identity::User u;
    u.id = new_uuid_v7(t0());
    u.email = email;
    u.display_name = "Dr " + email;
    u.role = role;
    u.patient_id = patient;
    u.password_hash = "$argon2id$x";
    u.created_at = u.updated_at = u.password_changed_at = t0();
    return u;
}

TEST_P(IdentityContract, UsersAreUniqueAndVersioned) {
    auto db = open("identity");
    identity::SqlIdentityStore s(*db);
    auto u = user("a@x.fr");
    ASSERT_TRUE(s.insert_user(u));
    EXPECT_EQ(s.insert_user(user("a@x.fr")).error().code, "email_taken");
    auto p1 = user("p1@x.fr", Role::patient, "pat-1");
    ASSERT_TRUE(s.insert_user(p1));
    EXPECT_EQ(s.insert_user(user("p2@x.fr", Role::patient, "pat-1")).error().code, "patient_already_linked");
    EXPECT_EQ(s.find_user_by_patient("pat-1")->email, "p1@x.fr");
    EXPECT_FALSE(s.find_user_by_patient("pat-2"));

    auto found = s.find_user_by_email("a@x.fr");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, u.id);
    EXPECT_EQ(found->role, Role::doctor);
    EXPECT_EQ(found->created_at, t0());
    EXPECT_TRUE(found->patient_id.empty());
    found->display_name = "Dr Renamed";
    found->version = 2;
    ASSERT_TRUE(s.update_user(*found));
    EXPECT_EQ(s.find_user(u.id)->display_name, "Dr Renamed");
    found->version = 2;  // stale: the stored version is already 2
    EXPECT_EQ(s.update_user(*found).error().kind, ErrorKind::precondition_failed);
    EXPECT_FALSE(s.find_user("missing"));
    EXPECT_EQ(s.count_users(), 2);
    EXPECT_EQ(s.display_names({u.id, "missing"}).at(u.id), "Dr Renamed");
}

TEST_P(IdentityContract, ListsByEmailWithFiltersAndCursor) {
    auto db = open("identity");
    identity::SqlIdentityStore s(*db);
    for (const char* e : {"c@x.fr", "a@x.fr", "b@x.fr", "b2@x.fr"}) ASSERT_TRUE(s.insert_user(user(e)));
    auto admin = user("z@x.fr", Role::admin);
    ASSERT_TRUE(s.insert_user(admin));
    identity::UserFilter f;
    f.role = Role::doctor;
    f.limit = 2;
    auto page = s.list_users(f);
    ASSERT_EQ(page.size(), 2u);
    EXPECT_EQ(page[0].email, "a@x.fr");
    f.after_email = page.back().email;
    auto next = s.list_users(f);
    EXPECT_EQ(page[1].email, "b2@x.fr");  // byte order: '2' sorts before '@'
    EXPECT_EQ(next.at(0).email, "b@x.fr");
    identity::UserFilter prefix;
    prefix.email_prefix = "b";
    EXPECT_EQ(s.list_users(prefix).size(), 2u);
    EXPECT_EQ(s.count_active_admins(), 1);
}

TEST_P(IdentityContract, RefreshTokensRotateOnceAndReuseRevokes) {
    auto db = open("identity");
    identity::SqlIdentityStore s(*db);
    auto u = user("a@x.fr");
    ASSERT_TRUE(s.insert_user(u));
    identity::Session sess{"sess-1", u.id, t0(), t0(), t0() + std::chrono::hours(8), std::nullopt, "", "10.0.0.1"};
    s.create_session(sess, {"h1", "sess-1", t0(), sess.expires_at});
    EXPECT_EQ(s.rotate("nope", {"h9", "", t0(), t0()}, t0()).status, identity::RotateStatus::unknown);
    auto r = s.rotate("h1", {"h2", "", t0(), t0()}, t0() + std::chrono::minutes(1));
    EXPECT_EQ(r.status, identity::RotateStatus::rotated);
    EXPECT_EQ(r.session.user_id, u.id);
    EXPECT_EQ(s.session_of_token("h2")->id, "sess-1");
    auto again = s.rotate("h1", {"h3", "", t0(), t0()}, t0() + std::chrono::minutes(2));
    EXPECT_EQ(again.status, identity::RotateStatus::reused);
    EXPECT_TRUE(s.find_session("sess-1")->revoked_at);
    EXPECT_EQ(s.rotate("h2", {"h4", "", t0(), t0()}, t0()).status, identity::RotateStatus::revoked);
    auto revoked = s.revoked_since(t0());
    EXPECT_EQ(revoked, (std::vector<std::string>{"sess-1"}));

    identity::Session old{"sess-2", u.id, t0(), t0(), t0() + std::chrono::hours(1), std::nullopt, "", "10.0.0.1"};
    s.create_session(old, {"o1", "sess-2", t0(), old.expires_at});
    EXPECT_EQ(s.rotate("o1", {"o2", "", t0(), t0()}, t0() + std::chrono::hours(2)).status, identity::RotateStatus::expired);
}

TEST_P(IdentityContract, ConcurrentRotationsOfOneTokenLetOnlyOneWin) {
    auto db = open("identity", 8);
    identity::SqlIdentityStore s(*db);
    auto u = user("a@x.fr");
    ASSERT_TRUE(s.insert_user(u));
    s.create_session({"s", u.id, t0(), t0(), t0() + std::chrono::hours(8), std::nullopt, "", "ip"},
                     {"h", "s", t0(), t0() + std::chrono::hours(8)});
    std::atomic<int> rotated{0}, reused{0};
    std::vector<std::thread> ts;
    for (int i = 0; i < 6; ++i)
        ts.emplace_back([&, i] {
            auto r = s.rotate("h", {"n" + std::to_string(i), "", t0(), t0()}, t0());
            if (r.status == identity::RotateStatus::rotated) ++rotated;
            if (r.status == identity::RotateStatus::reused || r.status == identity::RotateStatus::revoked) ++reused;
        });
    for (auto& t : ts) t.join();
    EXPECT_EQ(rotated.load(), 1);
    EXPECT_EQ(reused.load(), 5);
}

TEST_P(IdentityContract, SessionsOfAUserEndTogether) {
    auto db = open("identity");
    identity::SqlIdentityStore s(*db);
    auto u = user("a@x.fr");
    ASSERT_TRUE(s.insert_user(u));
    for (const char* id : {"s1", "s2", "s3"})
        s.create_session({id, u.id, t0(), t0(), t0() + std::chrono::hours(8), std::nullopt, "", "ip"},
                         {std::string("h") + id, id, t0(), t0() + std::chrono::hours(8)});
    auto ended = s.revoke_user_sessions(u.id, t0(), "test", "s2");
    std::sort(ended.begin(), ended.end());
    EXPECT_EQ(ended, (std::vector<std::string>{"s1", "s3"}));
    EXPECT_FALSE(s.find_session("s2")->revoked_at);
}

TEST_P(IdentityContract, ThrottleLocksAfterTheThreshold) {
    auto db = open("identity");
    identity::SqlIdentityStore s(*db);
    using namespace std::chrono;
    for (int i = 1; i < 5; ++i) EXPECT_EQ(s.record_failure("k", t0(), 5, minutes(15), minutes(15)).failures, i);
    auto locked = s.record_failure("k", t0(), 5, minutes(15), minutes(15));
    EXPECT_EQ(locked.locked_until, t0() + minutes(15));
    EXPECT_EQ(s.throttle("k").locked_until, t0() + minutes(15));
    s.clear_throttle("k");
    EXPECT_EQ(s.throttle("k").failures, 0);
    // Failures spread beyond the window start over.
    s.record_failure("w", t0(), 3, minutes(1), minutes(15));
    s.record_failure("w", t0() + minutes(2), 3, minutes(1), minutes(15));
    EXPECT_EQ(s.throttle("w").failures, 1);
}

INSTANTIATE_TEST_SUITE_P(Sql, IdentityContract, ::testing::Values("sqlite", "postgresql"), engine_name);

// ----- patients -----

using PatientContract = Engine;

patients::Patient patient(const std::string& first, const std::string& last, const std::string& birth) {
    patients::Patient p;
    p.id = new_uuid_v7(t0());
    p.first_name = first;
    p.last_name = last;
    p.sex = patients::Sex::female;
    p.birth_date = *parse_date(birth);
    p.created_at = p.updated_at = t0();
    p.address.country = "FR";
    return p;
}

Result<patients::Patient> insert(patients::PatientStore& s, patients::Patient p) {
    return s.write([&](patients::PatientUnit& u) -> Result<patients::Patient> {
        p.mrn = patients::make_mrn(u.next_mrn_sequence());
        u.insert(p);
        return p;
    });
}

TEST_P(PatientContract, StoresEveryFieldExactly) {
    auto db = open("patients");
    patients::SqlPatientStore s(*db);
    auto p = patient("Hélène", "N'Diaye", "1984-05-12");
    p.birth_name = "Lebœuf";
    p.nir = "284052A00412355";
    p.ins_oid = "1.2.250.1.213.1.4.8";
    p.identity_status = patients::IdentityStatus::qualified;
    p.birth_place_code = "2A004";
    p.email = "h@x.fr";
    p.phone = "+33 6 00 00 00 00";
    p.address = {"1 rue de l'Église", "Bât. B", "20000", "Ajaccio", "FR"};
    p.emergency_contact = {"Zoé", "fille", "+33 6 11 11 11 11"};
    p.insurance = {"2840520040123", "CPAM 2A", "MGEN", "123"};
    p.preferred_language = "en";
    p.primary_practitioner_id = "doc";
    auto created = insert(s, p);
    ASSERT_TRUE(created);
    auto back = s.find(p.id);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->birth_name, "Lebœuf");
    EXPECT_EQ(back->nir, p.nir);
    EXPECT_EQ(back->identity_status, patients::IdentityStatus::qualified);
    EXPECT_EQ(back->address.line1, "1 rue de l'Église");
    EXPECT_EQ(back->emergency_contact.relationship, "fille");
    EXPECT_EQ(back->insurance.amc_name, "MGEN");
    EXPECT_EQ(back->preferred_language, "en");
    EXPECT_EQ(back->birth_date, p.birth_date);
    EXPECT_EQ(back->created_at, t0());
    EXPECT_TRUE(s.exists(p.id));
    EXPECT_FALSE(s.exists("x"));
}

TEST_P(PatientContract, SearchesNamePrefixesAcrossAccentsAndPages) {
    auto db = open("patients");
    patients::SqlPatientStore s(*db);
    ASSERT_TRUE(insert(s, patient("Hélène", "Dupont", "1984-05-12")));
    ASSERT_TRUE(insert(s, patient("Marie", "Dupont", "1990-01-02")));
    ASSERT_TRUE(insert(s, patient("Ελένη", "Παππά", "1990-01-02")));
    auto q = [&](std::string text) {
        patients::PatientQuery pq;
        pq.terms = query_terms(text);
        std::vector<std::string> out;
        for (const auto& p : s.search(pq)) out.push_back(p.first_name);
        return out;
    };
    EXPECT_EQ(q("helene"), (std::vector<std::string>{"Hélène"}));
    EXPECT_EQ(q("dupont mar"), (std::vector<std::string>{"Marie"}));
    EXPECT_EQ(q("dup"), (std::vector<std::string>{"Hélène", "Marie"}));
    EXPECT_EQ(q("Ελέ"), (std::vector<std::string>{"Ελένη"}));
    patients::PatientQuery by_date;
    by_date.birth_date = *parse_date("1990-01-02");
    EXPECT_EQ(s.search(by_date).size(), 2u);

    patients::PatientQuery page;
    page.terms = {"dup"};
    page.limit = 1;
    auto first = s.search(page);
    ASSERT_EQ(first.size(), 1u);
    page.after = patients::SearchCursor{patients::sort_key_of(first[0]), first[0].id};
    auto second = s.search(page);
    ASSERT_EQ(second.size(), 1u);
    EXPECT_NE(second[0].id, first[0].id);
}

// issue 20: a search never reads the registry. On PostgreSQL it reads one page from one index
// range, in order, however many patients match: counted, not timed, with the rows the engine's
// statistics say the prepared statements the store really runs have read (ten times each, so
// that the generic plan is in use too). On SQLite (tokens, not prefixes: see the adapter) its
// plan searches index ranges only, never scanning a table.
TEST_P(PatientContract, issue_20_SearchReadsOnePageNotTheRegistry) {
    auto db = open("patients", 1);  // one connection: the statistics read are its own
    patients::SqlPatientStore s(*db);
    const char* firsts[] = {"Anne", "Paul", "Zoé", "Léa", "Marc"};
    ASSERT_TRUE(s.write([&](patients::PatientUnit& u) -> Result<patients::Patient> {
        patients::Patient last;
        for (int i = 0; i < 3000; ++i) {
            last = patient(firsts[i % 5], i % 2 ? "Dupont" : "Durand-Martin", "1980-01-01");
            last.id = new_uuid_v7(t0());
            last.mrn = patients::make_mrn(u.next_mrn_sequence());
            u.insert(last);
        }
        return last;
    }));
    db->refresh_statistics();
    // Rows read by scans of the patients' tables, as PostgreSQL counts them.
    auto rows_read = [&] {
        long long n = 0;
        db->read([&](soci::session& sql) {
            db::Query("SELECT coalesce(sum(idx_tup_read), 0) FROM pg_stat_user_indexes WHERE relname IN "
                      "('patients', 'patient_prefixes')")
                .for_each(sql, [&](const db::Row& r) { n += db::as_int64(r, 0); });
            db::Query("SELECT coalesce(sum(seq_tup_read), 0) FROM pg_stat_user_tables WHERE relname IN "
                      "('patients', 'patient_prefixes')")
                .for_each(sql, [&](const db::Row& r) { n += db::as_int64(r, 0); });
        });
        return n;
    };
    auto flush_statistics = [&] {
        db->read([](soci::session& sql) { db::Query("SELECT pg_stat_force_next_flush()").for_each(sql, [](const db::Row&) {}); });
        db->read([](soci::session& sql) { db::Query("SELECT pg_stat_clear_snapshot()").for_each(sql, [](const db::Row&) {}); });
    };
    // Each matching patient costs a prefix row, a patient row and a probe per other term: a page
    // of twenty is at most 80 rows read, where a scan would read thousands.
    for (const char* text : {"du", "dupont", "d anne", "durand mar", "zoe dup"}) {
        patients::PatientQuery pq;
        pq.terms = query_terms(text);
        db::Query q = patients::SqlPatientStore::search_query(pq, db->dialect());
        if (GetParam() == "postgresql") {
            flush_statistics();
            long long before = rows_read();
            for (int i = 0; i < 10; ++i) ASSERT_EQ(s.search(pq).size(), 20u) << text;
            flush_statistics();
            long long read = rows_read() - before;
            std::string plan;
            if (read > 10 * 80) {
                db->read([&](soci::session& sql) {
                    q.with_prefix("EXPLAIN ANALYZE ").for_each(sql, [&](const db::Row& r) { plan += db::as_string(r, 0) + "\n"; });
                });
            }
            EXPECT_LE(read, 10 * 80) << "ten searches for \"" << text << "\" read " << read << " rows:\n" << plan;
        } else {
            ASSERT_EQ(s.search(pq).size(), 20u) << text;
            std::string plan;
            db->read([&](soci::session& sql) {
                q.with_prefix("EXPLAIN QUERY PLAN ").for_each(sql, [&](const db::Row& r) { plan += db::as_string(r, 3) + "\n"; });
            });
            EXPECT_EQ(plan.find("SCAN "), std::string::npos) << text << ":\n" << plan;
            EXPECT_NE(plan.find("SEARCH s USING PRIMARY KEY (token>? AND token<?)"), std::string::npos) << text << ":\n" << plan;
        }
    }
}

TEST_P(PatientContract, UpdatesAreVersionedAndReindexed) {
    auto db = open("patients");
    patients::SqlPatientStore s(*db);
    auto p = *insert(s, patient("Zoé", "Bérard", "2001-02-03"));
    // Changes the stored patient with `change`, as version `version`.
    auto edit = [&](std::int64_t version, const std::function<void(patients::Patient&)>& change) {
        return s.write([&](patients::PatientUnit& u) -> Result<patients::Patient> {
            auto cur = *u.find(p.id);
            change(cur);
            cur.version = version;
            if (!u.update(cur)) return conflict("stale", "");
            return cur;
        });
    };
    ASSERT_TRUE(edit(2, [](patients::Patient& cur) { cur.last_name = "Lemaître"; }));
    patients::PatientQuery q;
    q.terms = {"lemai"};
    EXPECT_EQ(s.search(q).size(), 1u);
    q.terms = {"berard"};
    EXPECT_TRUE(s.search(q).empty());
    q.terms = {"zoe"};  // the unchanged first name keeps its token
    EXPECT_EQ(s.search(q).size(), 1u);
    // A birth name alone leaves the sort key: its prefixes come and go, the others stay.
    ASSERT_TRUE(edit(3, [](patients::Patient& cur) { cur.birth_name = "Fontaine"; }));
    q.terms = {"font"};
    EXPECT_EQ(s.search(q).size(), 1u);
    q.terms = {"lemaitre", "zo"};
    EXPECT_EQ(s.search(q).size(), 1u);
    ASSERT_TRUE(edit(4, [](patients::Patient& cur) { cur.birth_name = ""; }));
    q.terms = {"font"};
    EXPECT_TRUE(s.search(q).empty());
    q.terms = {"lem"};
    EXPECT_EQ(s.search(q).size(), 1u);
    auto stale = s.write([&](patients::PatientUnit& u) -> Result<patients::Patient> {
        auto cur = p;  // version 1
        cur.version = 2;
        if (!u.update(cur)) return conflict("stale", "");
        return cur;
    });
    EXPECT_FALSE(stale);
}

TEST_P(PatientContract, ConcurrentRegistrationsGetDistinctMrns) {
    auto db = open("patients", 8);
    patients::SqlPatientStore s(*db);
    std::vector<std::thread> ts;
    std::mutex mu;
    std::set<std::string> mrns;
    for (int t = 0; t < 6; ++t)
        ts.emplace_back([&, t] {
            for (int i = 0; i < 15; ++i) {
                auto p = insert(s, patient("P" + std::to_string(t), "N" + std::to_string(i), "1980-01-01"));
                ASSERT_TRUE(p);
                std::lock_guard lock(mu);
                mrns.insert(p->mrn);
            }
        });
    for (auto& t : ts) t.join();
    EXPECT_EQ(mrns.size(), 90u);
    for (const auto& m : mrns) EXPECT_TRUE(patients::valid_mrn(m));
}

TEST_P(PatientContract, DuplicateCandidates) {
    auto db = open("patients");
    patients::SqlPatientStore s(*db);
    auto a = patient("Hélène", "Dupont", "1984-05-12");
    a.nir = "284052A00412355";
    ASSERT_TRUE(insert(s, a));
    auto dupes = [&](patients::Patient p) {
        std::vector<patients::DuplicateCandidate> out;
        (void)s.write([&](patients::PatientUnit& u) -> Result<patients::Patient> {
            out = u.find_duplicates(p);
            return p;
        });
        return out;
    };
    EXPECT_EQ(dupes(patient("helene", "DUPONT", "1984-05-12")).size(), 1u);
    auto other = patient("X", "Y", "2000-01-01");
    other.nir = "284052A00412355";
    EXPECT_EQ(dupes(other).at(0).reason, "same_nir");
    EXPECT_TRUE(dupes(patient("Hélène", "Dupont", "1984-05-13")).empty());
}

INSTANTIATE_TEST_SUITE_P(Sql, PatientContract, ::testing::Values("sqlite", "postgresql"), engine_name);

// ----- audit -----

using AuditContract = Engine;

TEST_P(AuditContract, AppendsAChainThatVerifiesAndSearches) {
    auto db = open("audit");
    audit::SqlAuditRepository repo(*db);
    SystemClock clock;
    metrics::Registry reg;
    audit::AuditLog log(repo, clock, std::string(40, 'k'), reg);
    log.start();
    for (int i = 0; i < 30; ++i)
        log.record_and_wait(caller_of(i % 2 ? Role::doctor : Role::nurse, "u" + std::to_string(i % 3)),
                            {"patient.read", "patient", "p" + std::to_string(i % 5), "p" + std::to_string(i % 5),
                             audit::Outcome::success, ""});
    audit::AuditQueries q(repo, log, [](const std::string&) { return true; });
    auto report = q.verify();
    EXPECT_TRUE(report.ok());
    // PostgreSQL: the writer's own chain and the record of the root chain that opened it.
    const bool pg = GetParam() == "postgresql";
    EXPECT_EQ(report.records, pg ? 31 : 30);
    EXPECT_EQ(report.chains, pg ? 2 : 1);
    if (!pg) {
        EXPECT_EQ(repo.head()->seq, 30);
    }
    audit::AuditFilter f;
    f.patient_id = "p1";
    f.limit = 100;
    auto hits = repo.search(f);
    EXPECT_EQ(hits.size(), 6u);
    EXPECT_GT(hits.front().seq, hits.back().seq);  // newest first
    f.before_seq = hits[2].seq;
    EXPECT_EQ(repo.search(f).size(), 3u);
    audit::AuditFilter actor;
    actor.actor_id = "u0";
    actor.limit = 100;
    EXPECT_EQ(repo.search(actor).size(), 10u);
    log.stop();
}

TEST_P(AuditContract, APatientsRecordsAreFoundAcrossSequenceRanges) {
    // The patient index is keyed by ranges of 65,536 records: a patient's page is gathered
    // range by range, newest first, and a cursor continues in the older ranges.
    auto db = open("audit");
    audit::SqlAuditRepository repo(*db);
    const std::set<std::int64_t> target{5, 65535, 65536, 65537, 69999};
    std::vector<audit::AuditRecord> batch;
    auto seal = [](const audit::AuditRecord& r) { return "h" + std::to_string(r.seq); };
    auto mac = [](std::int64_t, const std::string&) { return std::string("m"); };
    for (std::int64_t seq = 1; seq <= 70000; ++seq) {
        audit::AuditRecord r;
        r.at = from_micros(1'700'000'000'000'000 + seq);
        r.actor_id = "u";
        r.actor_role = "doctor";
        r.action = "patient.read";
        r.resource_type = "patient";
        r.patient_id = target.contains(seq) ? "p-target" : (seq % 3 ? "p-" + std::to_string(seq % 1000) : "");
        r.resource_id = r.patient_id;
        r.outcome = audit::Outcome::success;
        batch.push_back(std::move(r));
        if (batch.size() == 10000) {
            repo.append(batch, seal, mac);
            batch.clear();
        }
    }
    ASSERT_EQ(repo.head()->seq, 70000);
    auto seqs = [&](const audit::AuditFilter& f) {
        std::vector<std::int64_t> out;
        for (const auto& r : repo.search(f)) out.push_back(r.seq);
        return out;
    };
    audit::AuditFilter f;
    f.patient_id = "p-target";
    f.limit = 3;
    EXPECT_EQ(seqs(f), (std::vector<std::int64_t>{69999, 65537, 65536}));
    f.before_seq = 65536;
    f.limit = 10;
    EXPECT_EQ(seqs(f), (std::vector<std::int64_t>{65535, 5}));
    f.before_seq.reset();
    f.limit = 100;
    EXPECT_EQ(seqs(f), (std::vector<std::int64_t>{69999, 65537, 65536, 65535, 5}));
    f.action = "patient.update";
    EXPECT_TRUE(seqs(f).empty());
    f.patient_id = "p-nobody";
    f.action.clear();
    EXPECT_TRUE(seqs(f).empty());
    if (GetParam() == std::string("sqlite")) {
        // The lookup of one range is a seek into the index, not a scan of the table.
        std::string plan;
        db->read([&](soci::session& sql) {
            soci::rowset<soci::row> rows =
                sql.prepare << "EXPLAIN QUERY PLAN SELECT seq FROM audit_log WHERE 1 = 1 AND seq / 65536 = 1 "
                               "AND patient_id <> '' AND patient_id = 'p-target' ORDER BY seq DESC LIMIT 3";
            for (const auto& row : rows) plan += row.get<std::string>(3) + "\n";
        });
        EXPECT_NE(plan.find("INDEX audit_log_patient_range (<expr>=? AND patient_id=?)"), std::string::npos) << plan;
    }
}

TEST_P(AuditContract, TheStoreRefusesUpdatesAndDeletes) {
    auto db = open("audit");
    audit::SqlAuditRepository repo(*db);
    SystemClock clock;
    metrics::Registry reg;
    audit::AuditLog log(repo, clock, std::string(40, 'k'), reg);
    log.start();
    log.record_and_wait(caller_of(Role::doctor), {"patient.read", "patient", "p", "p", audit::Outcome::success, ""});
    EXPECT_ANY_THROW(db->write([](soci::session& sql) { sql << "UPDATE audit_log SET detail = 'x'"; }));
    EXPECT_ANY_THROW(db->write([](soci::session& sql) { sql << "DELETE FROM audit_log"; }));
    if (GetParam() == "postgresql") {  // nor is a writer's chain head
        EXPECT_ANY_THROW(db->write([](soci::session& sql) { sql << "DELETE FROM audit_chains"; }));
    }
    log.stop();
}

namespace audit_chains {

/// Two writers (two instances behind a load balancer) appending at once to one audit store.
void write_concurrently(audit::AuditLog& a, audit::AuditLog& b, int each = 40) {
    std::vector<std::thread> ts;
    for (auto* log : {&a, &b})
        for (int t = 0; t < 3; ++t)
            ts.emplace_back([log, each] {
                for (int i = 0; i < each; ++i)
                    EXPECT_TRUE(log->record_and_wait(caller_of(Role::nurse), {"patient.read", "patient", "p", "p", audit::Outcome::success, ""}));
            });
    for (auto& t : ts) t.join();
}

std::string problems_of(const audit::VerifyReport& r) {
    std::string out;
    for (const auto& p : r.problems) out += "[" + std::string(to_string(p.kind)) + "] " + p.message + "\n";
    return out;
}

}  // namespace audit_chains

TEST_P(AuditContract, TwoWritersOnOneStoreVerifyAsOneTrail) {
    auto db = open("audit", 8);
    audit::SqlAuditRepository repo(*db);
    SystemClock clock;
    metrics::Registry reg1, reg2;
    audit::AuditLog a(repo, clock, std::string(40, 'k'), reg1), b(repo, clock, std::string(40, 'k'), reg2);
    a.start();
    b.start();
    audit_chains::write_concurrently(a, b);
    audit::AuditQueries q(repo, a, [](const std::string&) { return true; });
    auto report = q.verify();
    EXPECT_TRUE(report.ok()) << audit_chains::problems_of(report);
    const bool pg = GetParam() == "postgresql";
    // On PostgreSQL each writer keeps its own chain (so that neither waits for the other's
    // commit), opened by a record of the root chain; the embedded store keeps one chain.
    EXPECT_EQ(report.records, pg ? 242 : 240);
    EXPECT_EQ(report.chains, pg ? 3 : 1);
    EXPECT_EQ(a.chain().empty(), !pg);
    if (pg) {
        EXPECT_NE(a.chain(), b.chain());
    }
    // Reading sees one trail, newest first, whichever writer wrote it.
    audit::AuditFilter f;
    f.patient_id = "p";
    f.limit = 300;
    auto page = repo.search(f);
    EXPECT_EQ(page.size(), 240u);
    EXPECT_TRUE(std::is_sorted(page.begin(), page.end(), [](const auto& x, const auto& y) { return x.seq > y.seq; }));
    a.stop();
    b.stop();
}

INSTANTIATE_TEST_SUITE_P(Sql, AuditContract, ::testing::Values("sqlite", "postgresql"), engine_name);

/// Tampering with writers' chains on PostgreSQL, by someone who can bypass the append-only
/// triggers: each way of hiding records is detected and named.
class AuditChainsTamper : public ::testing::Test {
protected:
    void SetUp() override { MS_REQUIRE_POSTGRES(); }
    struct Trail {
        std::unique_ptr<db::Database> db;
        std::unique_ptr<audit::SqlAuditRepository> repo;
        SystemClock clock;
        metrics::Registry reg1, reg2;
        std::unique_ptr<audit::AuditLog> a, b;
        std::string chain_a, chain_b;
        audit::VerifyReport verify() {
            audit::AuditQueries q(*repo, *a, [](const std::string&) { return true; });
            return q.verify();
        }
        void sql(const std::string& statement) {
            db->write([&](soci::session& s) {
                s << "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change";
                s << "ALTER TABLE audit_chains DISABLE TRIGGER audit_chains_no_delete";
                s << statement;
                s << "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change";
                s << "ALTER TABLE audit_chains ENABLE TRIGGER audit_chains_no_delete";
            });
        }
    };
    std::unique_ptr<Trail> trail() {
        auto t = std::make_unique<Trail>();
        t->db = testkit::postgres_database("audit", 8);
        t->repo = std::make_unique<audit::SqlAuditRepository>(*t->db);
        t->a = std::make_unique<audit::AuditLog>(*t->repo, t->clock, std::string(40, 'k'), t->reg1);
        t->b = std::make_unique<audit::AuditLog>(*t->repo, t->clock, std::string(40, 'k'), t->reg2);
        t->a->start();
        t->b->start();
        audit_chains::write_concurrently(*t->a, *t->b, 10);
        t->a->stop();
        t->b->stop();
        t->chain_a = t->a->chain();
        t->chain_b = t->b->chain();
        EXPECT_TRUE(t->verify().ok()) << audit_chains::problems_of(t->verify());
        return t;
    }
    static bool names(const audit::VerifyReport& r, const std::string& kind, const std::string& text) {
        for (const auto& p : r.problems)
            if (to_string(p.kind) == kind && p.message.find(text) != std::string::npos) return true;
        return false;
    }
};

TEST_F(AuditChainsTamper, AWholeChainDeletedWithItsHead) {
    auto t = trail();
    t->sql("DELETE FROM audit_log WHERE chain = '" + t->chain_b + "'");
    t->sql("DELETE FROM audit_chains WHERE chain = '" + t->chain_b + "'");
    auto r = t->verify();
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(names(r, "deleted", "chain " + t->chain_b)) << audit_chains::problems_of(r);
}

TEST_F(AuditChainsTamper, AChainAndTheRecordThatOpenedIt) {
    auto t = trail();
    t->sql("DELETE FROM audit_log WHERE chain = '" + t->chain_b + "' OR resource_id = '" + t->chain_b + "'");
    t->sql("DELETE FROM audit_chains WHERE chain = '" + t->chain_b + "'");
    auto r = t->verify();
    EXPECT_FALSE(r.ok());
    // The root chain lost a link (unless the registration was its last record: then its head).
    EXPECT_TRUE(names(r, "deleted", "") || names(r, "truncated", "")) << audit_chains::problems_of(r);
}

TEST_F(AuditChainsTamper, TheLastRecordsOfAChain) {
    auto t = trail();
    t->sql("DELETE FROM audit_log WHERE seq IN (SELECT seq FROM audit_log WHERE chain = '" + t->chain_a +
           "' ORDER BY seq DESC LIMIT 3)");
    auto r = t->verify();
    EXPECT_TRUE(names(r, "truncated", "chain " + t->chain_a)) << audit_chains::problems_of(r);
}

TEST_F(AuditChainsTamper, ARecordMovedToAnotherChain) {
    auto t = trail();
    t->sql("UPDATE audit_log SET chain = '" + t->chain_b + "' WHERE seq = (SELECT max(seq) FROM audit_log WHERE chain = '" +
           t->chain_a + "')");
    auto r = t->verify();
    EXPECT_FALSE(r.ok()) << "moved record not detected";
    // Its seal covers the chain it was written in: found edited where it lands among the other
    // chain's records, or inserted where it lands after their last one (which of the two depends
    // on which writer wrote last).
    EXPECT_TRUE(names(r, "edited", "") || names(r, "inserted", "")) << audit_chains::problems_of(r);
}

TEST_F(AuditChainsTamper, AChainNoRecordOpened) {
    auto t = trail();
    t->sql("INSERT INTO audit_chains (chain, seq, hash, mac) VALUES ('forged', 0, 'x', 'y')");
    auto r = t->verify();
    EXPECT_TRUE(names(r, "inserted", "chain forged has a head")) << audit_chains::problems_of(r);
}

// ----- the query layer -----

using QueryContract = Engine;

TEST_P(QueryContract, ARepeatedStatementBindsEachRowsValuesAndSurvivesAFailedRow) {
    auto db = open("audit");
    db->write([](soci::session& sql) {
        db::exec(sql, "CREATE TABLE repeated_rows (name TEXT NOT NULL, n BIGINT NOT NULL UNIQUE)");
    });
    const std::string insert = "INSERT INTO repeated_rows (name, n) VALUES (:p1, :p2)";
    db->write([&](soci::session& sql) {
        db::Repeated rows(sql, insert);
        std::string
            name;  // one buffer, changed between rows: each row's value is read when it runs
        for (long long n = 1; n <= 3; ++n) {
            name = "row-" + std::to_string(n) + (n == 2 ? "'; --" : "");
            EXPECT_EQ(rows.bind(name).bind(n).run(), 1);
        }
    });
    // A failing row (a duplicate n) throws; the statement is usable again afterwards.
    EXPECT_ANY_THROW(db->write([&](soci::session& sql) {
        db::Repeated rows(sql, insert);
        rows.bind(std::string_view("again")).bind(2LL).run();
    }));
    db->write([&](soci::session& sql) {
        db::Repeated rows(sql, insert);
        rows.bind(std::string_view("row-4")).bind(4LL).run();
    });
    std::string got;
    db->read([&](soci::session& sql) {
        db::Query("SELECT name, n FROM repeated_rows ORDER BY n")
            .for_each(sql, [&](const db::Row& r) {
                got += db::as_string(r, 0) + "=" + std::to_string(db::as_int64(r, 1)) + ";";
            });
    });
    EXPECT_EQ(got, "row-1=1;row-2'; --=2;row-3=3;row-4=4;");
    // A row with fewer values than the statement has parameters is refused on SQLite, and the
    // statement is usable again afterwards.
    if (GetParam() == "sqlite") {
        EXPECT_ANY_THROW(db->write([&](soci::session& sql) {
            db::Repeated rows(sql, insert);
            rows.bind(std::string_view("short")).run();
        }));
        db->write([&](soci::session& sql) {
            db::Repeated rows(sql, insert);
            EXPECT_ANY_THROW(rows.bind(std::string_view("short")).run());
            EXPECT_EQ(rows.bind(std::string_view("row-5")).bind(5LL).run(), 1);
        });
        EXPECT_EQ(db->read([](soci::session& sql) {
            long long n = 0;
            db::Query("SELECT count(*) FROM repeated_rows").for_each(sql, [&](const db::Row& r) { n = db::as_int64(r, 0); });
            return n;
        }), 5);
    }
}

INSTANTIATE_TEST_SUITE_P(Sql, QueryContract, ::testing::Values("sqlite", "postgresql"),
                         engine_name);

}  // namespace
