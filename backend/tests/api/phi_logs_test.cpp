// SPDX-License-Identifier: Apache-2.0
// No patient data in the logs: a `medisecure serve` at the most verbose level (debug) is taken
// through what a practice does with a patient, and through what goes wrong (a refused
// registration, a duplicate, a bad search, sign-ins with the patient's e-mail and a wrong
// password, a document whose name and title carry the patient's name), then every line it wrote
// is searched for the patient's names, NIR, e-mail, phone and address, as written and as the
// JSON logs would escape them.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <iostream>

#include "platform/log/log.hpp"
#include "serve_process.hpp"
#include "test_app.hpp"

using namespace medisecure;
using namespace medisecure::testkit;
namespace json = boost::json;

namespace {
/// `s` as the JSON logs write it (non-ASCII escaped or not, depending on the writer).
std::string json_escaped(const std::string& s) {
    std::string out;
    log::json_escape(out, s);
    return out;
}
}  // namespace

TEST(PhiInLogs, NothingOfAPatientIsWrittenToTheLog) {
    TempDir dir;
    const std::string data = dir.file("data");
    ServeProcess serve({{"MEDISECURE_LOG_LEVEL", "debug"}, {"MEDISECURE_RATE_LIMIT_AUTH", "100/100"}}, data);
    const std::string password = "correct horse battery staple 7";
    auto made = run_cli("user create --email secretariat@cabinet.example.org --role secretary --password-stdin", data, password);
    ASSERT_EQ(made.status, 0) << made.out;
    auto login = serve.client().post("/api/v1/auth/login", json::serialize(json::object{
                                                                {"email", "secretariat@cabinet.example.org"}, {"password", password}}));
    ASSERT_EQ(login.status, 200) << login.body;
    HttpClient c = serve.client();
    c.bearer = std::string(login.json().at("access_token").as_string());

    // What must never be in a log line.
    const std::vector<std::string> phi{"Zéphyrine", "Quillebeuf", "Zephyrine", "quillebeuf", "zephyrine",
                                       "2 84 05 2A 004 123 55", "284052A00412355", "zephyrine.quillebeuf@exemple.fr",
                                       "+33 6 98 76 54 32", "Impasse des Oubliettes", "Bilan de Zéphyrine"};
    const std::string patient = R"({"first_name":"Zéphyrine","last_name":"Quillebeuf","sex":"female","birth_date":"1984-05-12",
      "nir":"2 84 05 2A 004 123 55","email":"zephyrine.quillebeuf@exemple.fr","phone":"+33 6 98 76 54 32",
      "address":{"line1":"7 Impasse des Oubliettes","postal_code":"20000","city":"Ajaccio"}})";
    auto created = c.post("/api/v1/patients", patient);
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id(created.json().at("id").as_string());
    // The same person again (a probable duplicate), a refused NIR, a search by name and by
    // e-mail, a change of phone, reads.
    EXPECT_EQ(c.post("/api/v1/patients", patient).status, 409);
    auto bad = std::string(patient);
    bad.replace(bad.find("2 84 05 2A 004 123 55"), 21, "2 84 05 2A 004 123 99");
    EXPECT_EQ(c.post("/api/v1/patients?allow_duplicate=true", bad).status, 422);
    EXPECT_EQ(c.get("/api/v1/patients?q=quillebeuf%20z%C3%A9phyrine").status, 200);
    EXPECT_EQ(c.get("/api/v1/patients?q=zephyrine.quillebeuf%40exemple.fr").status, 200);
    EXPECT_EQ(c.patch("/api/v1/patients/" + id, R"({"phone":"+33 6 11 22 33 44"})", {"If-Match: \"v1\""}).status, 200);
    EXPECT_EQ(c.get("/api/v1/patients/" + id).status, 200);
    // The patient's e-mail tried as a staff sign-in, with wrong passwords.
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(serve.client()
                      .post("/api/v1/auth/login", R"({"email":"zephyrine.quillebeuf@exemple.fr","password":"Quillebeuf1984"})")
                      .status,
                  401);
    // A document named after the patient, and one refused.
    auto doc = c.request("POST",
                         "/api/v1/patients/" + id + "/documents?category=lab_result&title=Bilan%20de%20Z%C3%A9phyrine&filename=" +
                             "Quillebeuf_bilan.pdf",
                         "%PDF-1.4\n%%EOF\n", {}, "application/octet-stream");
    EXPECT_EQ(doc.status, 201) << doc.body;
    EXPECT_EQ(c.request("POST", "/api/v1/patients/" + id + "/documents?title=Bilan%20de%20Z%C3%A9phyrine", "x", {},
                        "application/octet-stream")
                  .status,
              422);
    serve.stop();

    const std::string logged = serve.log();
    ASSERT_NE(logged.find("\"http.access\""), std::string::npos) << "the log was not written at all:\n" << logged.substr(0, 2000);
    std::size_t lines = 0;
    for (char ch : logged) lines += ch == '\n';
    for (const auto& value : phi) {
        for (const auto& form : {value, json_escaped(value)}) {
            auto at = logged.find(form);
            if (at == std::string::npos) continue;
            auto start = logged.rfind('\n', at);
            auto end = logged.find('\n', at);
            ADD_FAILURE() << "\"" << value << "\" is in the log:\n"
                          << logged.substr(start == std::string::npos ? 0 : start + 1,
                                           (end == std::string::npos ? logged.size() : end) - (start == std::string::npos ? 0 : start + 1));
        }
    }
    std::cout << "  " << lines << " log lines at level debug searched for " << phi.size() << " values of the patient\n";
}
