// SPDX-License-Identifier: Apache-2.0
// Background jobs across instances, through a real RabbitMQ: jobs made on two `serve` processes
// are each run once by whichever process takes them (the two instances and a `medisecure worker`),
// proven by the e-mails a real SMTP sink receives; and a broker stopped for 20 s under a stream
// of bookings loses no confirmation e-mail and sends none twice.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "cluster.hpp"
#include "core/random.hpp"
#include "core/time.hpp"
#include "core/timezone.hpp"

using namespace medisecure;
using namespace medisecure::testkit;
namespace json = boost::json;
using namespace std::chrono;

namespace {

/// A RabbitMQ of the test's own (scripts/services/rabbitmq.sh on free ports), to stop and start.
class OwnRabbit {
public:
    OwnRabbit() : port_(free_tcp_port()) {}
    ~OwnRabbit() {
        (void)run("stop");
        remove_service_dir("rabbitmq-own-" + std::to_string(port_));
    }
    OwnRabbit(const OwnRabbit&) = delete;
    OwnRabbit& operator=(const OwnRabbit&) = delete;
    std::string start() { return run("start"); }
    void stop() { run("stop"); }
    /// Where its rabbitmq_prometheus plugin answers.
    std::string metrics_url() const { return "http://127.0.0.1:" + std::to_string(prometheus_port_); }

private:
    std::string run(const std::string& verb) {
        if (ports_.empty()) ports_ = " MS_RABBITMQ_PROMETHEUS_PORT=" + std::to_string(prometheus_port_) +
                                     " MS_RABBITMQ_DIST_PORT=" + std::to_string(free_tcp_port()) +
                                     " MS_RABBITMQ_EPMD_PORT=" + std::to_string(free_tcp_port());
        return run_service("MS_RABBITMQ_NAME=own-" + std::to_string(port_) + " MS_RABBITMQ_PORT=" + std::to_string(port_) + ports_,
                           "rabbitmq.sh", verb);
    }
    int port_;
    int prometheus_port_ = free_tcp_port();
    std::string ports_;
};

/// A Prometheus of the test's own (scripts/services/prometheus.sh) scraping, every second, the
/// instances' /metrics and the broker's rabbitmq_prometheus plugin.
class OwnPrometheus {
public:
    OwnPrometheus(const std::string& dir, const std::vector<std::string>& instances, const std::string& broker)
        : port_(free_tcp_port()), config_(dir + "/prometheus.yml") {
        std::filesystem::create_directories(dir);
        auto host = [](const std::string& url) { return url.substr(url.find("://") + 3); };
        std::ofstream out(config_);
        out << "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n"
            << "  - job_name: medisecure\n    static_configs:\n      - targets: [";
        for (std::size_t i = 0; i < instances.size(); ++i) out << (i ? ", " : "") << "'" << host(instances[i]) << "'";
        out << "]\n  - job_name: rabbitmq\n    static_configs:\n      - targets: ['" << host(broker) << "']\n";
    }
    ~OwnPrometheus() {
        (void)run("stop");
        remove_service_dir("prometheus-own-" + std::to_string(port_));
    }
    OwnPrometheus(const OwnPrometheus&) = delete;
    OwnPrometheus& operator=(const OwnPrometheus&) = delete;
    void start() { url_ = run("start"); }
    /// The instant vector `promql` evaluates to: each series' labels and value.
    std::vector<std::pair<json::object, double>> query(const std::string& promql) const {
        std::string encoded;
        for (unsigned char ch : promql) {
            if (std::isalnum(ch) || ch == '_') {
                encoded += static_cast<char>(ch);
            } else {
                char buf[4];
                std::snprintf(buf, sizeof buf, "%%%02X", ch);
                encoded += buf;
            }
        }
        auto r = HttpClient(url_).get("/api/v1/query?query=" + encoded);
        std::vector<std::pair<json::object, double>> out;
        if (r.status != 200) return out;
        for (const auto& v : r.json().at("data").at("result").as_array())
            out.emplace_back(v.at("metric").as_object(), std::stod(std::string(v.at("value").as_array()[1].as_string())));
        return out;
    }

private:
    std::string run(const std::string& verb) {
        return run_service("MS_PROMETHEUS_NAME=own-" + std::to_string(port_) + " MS_PROMETHEUS_PORT=" + std::to_string(port_) +
                               " MS_PROMETHEUS_CONFIG=" + config_,
                           "prometheus.sh", verb);
    }
    int port_;
    std::string config_, url_;
};

/// Subjects of the messages the SMTP sink (scripts/services/smtp.sh) holds for `to`, counted.
std::map<std::string, int> mail_to(const std::string& to) {
    std::map<std::string, int> subjects;
    const char* dir = std::getenv("MEDISECURE_TEST_SMTP_MAILDIR");
    if (!dir) return subjects;
    for (const char* sub : {"new", "cur"}) {
        std::error_code ec;
        for (const auto& f : std::filesystem::directory_iterator(std::filesystem::path(dir) / sub, ec)) {
            std::ifstream in(f.path());
            std::string line, subject;
            bool ours = false;
            while (std::getline(in, line) && !line.empty() && line != "\r") {
                if (!line.empty() && line.back() == '\r') line.pop_back();
                if (line.rfind("To:", 0) == 0 && line.find(to) != std::string::npos) ours = true;
                if (line.rfind("Subject: ", 0) == 0) subject = line.substr(9);
            }
            if (ours) ++subjects[subject];
        }
    }
    return subjects;
}

int total(const std::map<std::string, int>& m) {
    int n = 0;
    for (const auto& [k, v] : m) n += v;
    return n;
}

/// A practice ready to book: a doctor open every day 06:00-22:00, a 20-minute consultation, and a
/// patient with an address of the test's own (English, so subjects are plain ASCII).
struct Bookable {
    std::string doctor_id, type_id, patient_id, email;
    sys_days first_day;
};

class ClusterJobs : public Cluster {
protected:
    void SetUp() override {
        Cluster::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        if (!std::getenv("MEDISECURE_TEST_SMTP_URL")) {
            if (ci()) FAIL() << "MEDISECURE_TEST_SMTP_URL is not set under CI";
            GTEST_SKIP() << "no SMTP sink: set MEDISECURE_TEST_SMTP_URL (scripts/test.sh starts one)";
        }
    }
    /// Instances A and B (and the shared environment) with jobs carried by the broker at `queue_url`.
    void start_with_queue(const std::string& queue_url) {
        start(cluster_redis_url(redis_url()), [&](auto& e) {
            e["MEDISECURE_QUEUE_URL"] = queue_url;
            e["MEDISECURE_SMTP_URL"] = std::getenv("MEDISECURE_TEST_SMTP_URL");
        });
    }
    Bookable practice() {
        Bookable p;
        secretary = account("secretary", *a);
        const auto doctor = account("doctor", *a);
        p.doctor_id = std::string(as(*a, doctor).get("/api/v1/auth/me").json().at("id").as_string());
        json::array ranges;
        for (int d = 1; d <= 7; ++d) ranges.push_back(json::object{{"weekday", d}, {"start", "06:00"}, {"end", "22:00"}});
        auto hours = as(*a, secretary).request("PUT", "/api/v1/practitioners/" + p.doctor_id + "/opening-hours",
                                                json::serialize(json::object{{"ranges", ranges}}), {"If-Match: \"v0\""});
        if (hours.status != 200) throw std::runtime_error("opening hours: " + hours.body);
        auto type = as(*a, secretary).post("/api/v1/practitioners/" + p.doctor_id + "/appointment-types",
                                           R"({"label":"Consultation","duration_minutes":20})");
        if (type.status != 201) throw std::runtime_error("appointment type: " + type.body);
        p.type_id = std::string(type.json().at("id").as_string());
        p.email = "cluster-" + new_uuid_v7(SystemClock().now()) + "@exemple.org";
        auto patient = as(*a, secretary).post(
            "/api/v1/patients?allow_duplicate=true",
            json::serialize(json::object{{"first_name", "Ada"}, {"last_name", "Queue"}, {"sex", "female"},
                                         {"birth_date", "1980-03-04"}, {"email", p.email}, {"preferred_language", "en"}}));
        if (patient.status != 201) throw std::runtime_error("patient: " + patient.body);
        p.patient_id = std::string(patient.json().at("id").as_string());
        const auto paris = *TimeZone::named("Europe/Paris");
        p.first_day = sys_days{paris.local_date(SystemClock().now())} + days(8);
        return p;
    }
    /// Books slot `n` (48 a day from 06:00, day after day) through `via`; returns the status.
    int book(const Bookable& p, int n, const ServeProcess& via) {
        static const auto paris = *TimeZone::named("Europe/Paris");
        const auto day = p.first_day + days(n / 48);
        const auto start = paris.to_utc(LocalSeconds{local_days{day.time_since_epoch()}.time_since_epoch()} + hours(6) +
                                        minutes(20 * (n % 48)));
        auto r = as(via, secretary).post(
            "/api/v1/appointments", json::serialize(json::object{{"practitioner_id", p.doctor_id},
                                                                  {"type_id", p.type_id},
                                                                  {"patient_id", p.patient_id},
                                                                  {"start", format_instant(start)}}));
        if (r.status != 201) {
            std::lock_guard lock(mu);
            last_failure = std::to_string(r.status) + " " + r.body;
        }
        return r.status;
    }
    /// Jobs of `type` this instance ran to success, from its /metrics.
    static int ran(const ServeProcess& p, const std::string& type) {
        auto m = p.client().get("/metrics");
        const std::string series = "medisecure_jobs_total{type=\"" + type + "\",outcome=\"succeeded\"} ";
        auto at = m.body.find(series);
        return at == std::string::npos ? 0 : std::stoi(m.body.substr(at + series.size()));
    }
    std::string secretary, last_failure;
    std::mutex mu;
};

TEST_F(ClusterJobs, JobsMadeOnTwoInstancesAreEachRunOnceByAnyProcess) {
    MS_REQUIRE_RABBITMQ();
    start_with_queue(rabbitmq_url());
    auto worker = ServeProcess::worker(env, dir.file("worker"));
    const auto p = practice();
    constexpr int kBookings = 500;
    std::atomic<int> next{0}, failed{0};
    auto t0 = steady_clock::now();
    std::vector<std::thread> clients;
    for (int c = 0; c < 4; ++c)
        clients.emplace_back([&] {
            for (int n = next++; n < kBookings; n = next++)
                if (book(p, n, n % 2 ? *a : *b) != 201) ++failed;
        });
    for (auto& t : clients) t.join();
    const double booking_s = duration<double>(steady_clock::now() - t0).count();
    ASSERT_EQ(failed.load(), 0) << last_failure;
    // Each booking's confirmation e-mail, once: a message delivered twice, or taken by two
    // processes, would show as a subject counted twice.
    const auto deadline = steady_clock::now() + seconds(120);
    while (total(mail_to(p.email)) < kBookings && steady_clock::now() < deadline) std::this_thread::sleep_for(100ms);
    const double mailed_s = duration<double>(steady_clock::now() - t0).count();
    std::this_thread::sleep_for(2s);  // a duplicate, if any, would arrive by now
    const auto mails = mail_to(p.email);
    int twice = 0;
    for (const auto& [subject, n] : mails)
        if (n > 1) ++twice;
    const int on_a = ran(*a, "appointments.confirmation_email"), on_b = ran(*b, "appointments.confirmation_email");
    std::cout << "jobs across instances: " << kBookings << " bookings through A and B in " << booking_s << " s; "
              << mails.size() << " distinct confirmation e-mails received, " << total(mails) << " in all, " << twice
              << " subjects more than once, last one " << mailed_s << " s after the first booking; run by A " << on_a
              << ", B " << on_b << ", the worker " << kBookings - on_a - on_b << "\n";
    EXPECT_EQ(mails.size(), static_cast<std::size_t>(kBookings));
    EXPECT_EQ(total(mails), kBookings);
    EXPECT_EQ(twice, 0);
    EXPECT_LT(on_a + on_b, kBookings) << "the worker ran none";
    EXPECT_GT(on_a, 0);
    EXPECT_GT(on_b, 0);
}

TEST_F(ClusterJobs, ABookingOnOneInstanceReachesThePatientsStreamOnTheOther) {
    MS_REQUIRE_RABBITMQ();
    start_with_queue(rabbitmq_url());
    const auto p = practice();
    auto made = run_cli("user create --email " + p.email + " --role patient --patient-id " + p.patient_id +
                            " --password-stdin",
                        dir.file("cli"), "correct horse battery staple", env);
    ASSERT_EQ(made.status, 0) << made.out;
    const auto patient = login(*b, p.email, "correct horse battery staple");
    std::promise<void> connected;
    auto stream = std::async(std::launch::async, [&] {
        return read_event_stream(b->base_url() + "/api/v1/notifications/stream", patient, "appointment.booked",
                                 std::chrono::seconds(30), &connected);
    });
    connected.get_future().wait();
    ASSERT_EQ(book(p, 0, *a), 201) << last_failure;
    const auto events = stream.get();
    EXPECT_NE(events.find("appointment.booked"), std::string::npos) << "B's stream got:\n" << events;
}

TEST_F(ClusterJobs, ABrokerStoppedTwentySecondsLosesNoEmailAndSendsNoneTwice) {
    MS_REQUIRE_RABBITMQ();  // the package and the script; this test runs a broker of its own
    OwnRabbit broker;
    const auto url = broker.start();
    start_with_queue(url);
    const auto p = practice();
    std::atomic<bool> stop{false};
    std::atomic<int> n{0}, failed{0}, during_outage{0};
    std::atomic<bool> outage{false};
    std::string ready_during_outage;
    int ready_status = 0;
    // A steady stream of bookings, alternating instances, all along.
    std::thread stream([&] {
        while (!stop) {
            const int i = n++;
            if (book(p, i, i % 2 ? *a : *b) != 201) ++failed;
            if (outage) ++during_outage;
            std::this_thread::sleep_for(100ms);
        }
    });
    std::this_thread::sleep_for(5s);
    const auto stopping = steady_clock::now();
    broker.stop();
    outage = true;
    const auto stopped = steady_clock::now();
    std::this_thread::sleep_for(2s);
    auto ready = a->client().get("/health/ready");
    ready_status = ready.status;
    ready_during_outage = ready.body;
    std::this_thread::sleep_for(18s);
    outage = false;
    const auto restarting = steady_clock::now();
    ASSERT_EQ(broker.start(), url);
    const auto restarted = steady_clock::now();
    std::this_thread::sleep_for(3s);
    stop = true;
    stream.join();
    const int bookings = n.load();
    const auto deadline = steady_clock::now() + seconds(90);
    while (total(mail_to(p.email)) < bookings && steady_clock::now() < deadline) std::this_thread::sleep_for(100ms);
    const double caught_up_s = duration<double>(steady_clock::now() - restarted).count();
    std::this_thread::sleep_for(2s);
    const auto mails = mail_to(p.email);
    int twice = 0;
    for (const auto& [subject, count] : mails)
        if (count > 1) ++twice;
    std::cout << "broker stopped under bookings: " << bookings << " bookings (" << during_outage.load()
              << " while it was down for " << duration<double>(restarting - stopped).count() << " s; stopping took "
              << duration<double>(stopped - stopping).count() << " s, starting "
              << duration<double>(restarted - restarting).count() << " s), " << failed.load()
              << " failed; e-mails: " << mails.size() << " distinct, " << total(mails) << " in all, lost "
              << bookings - static_cast<int>(mails.size()) << ", duplicated " << twice << "; all in " << caught_up_s
              << " s after the restart\n";
    EXPECT_EQ(failed.load(), 0) << last_failure;
    EXPECT_GT(during_outage.load(), 100);
    EXPECT_EQ(ready_status, 200) << ready_during_outage;
    EXPECT_NE(ready_during_outage.find("degraded"), std::string::npos) << ready_during_outage;
    EXPECT_EQ(mails.size(), static_cast<std::size_t>(bookings));
    EXPECT_EQ(total(mails), bookings);
    EXPECT_EQ(twice, 0);
    // Prometheus scrapes both instances' queue metrics and the broker's own plugin.
    OwnPrometheus prometheus(dir.file("prometheus"), {a->base_url(), b->base_url()}, broker.metrics_url());
    prometheus.start();
    std::vector<std::pair<json::object, double>> up, confirmed, broker_queues;
    const auto scrape_deadline = steady_clock::now() + seconds(20);
    while (steady_clock::now() < scrape_deadline) {
        up = prometheus.query("up == 1");
        confirmed = prometheus.query("medisecure_queue_confirmed_total");
        broker_queues = prometheus.query("rabbitmq_queues");
        if (up.size() == 3 && confirmed.size() == 2 && broker_queues.size() == 1) break;
        std::this_thread::sleep_for(250ms);
    }
    EXPECT_EQ(up.size(), 3u) << "targets up: instances A and B, and the broker";
    ASSERT_EQ(confirmed.size(), 2u);
    EXPECT_GE(confirmed[0].second + confirmed[1].second, bookings) << "every confirmation e-mail's job was confirmed";
    ASSERT_EQ(broker_queues.size(), 1u);
    EXPECT_GT(broker_queues[0].second, 0);
    EXPECT_EQ(prometheus.query("medisecure_jobs_outbox_depth").size(), 2u);
    double failures = 0;
    for (const auto& [labels, v] : prometheus.query("medisecure_queue_publish_failures_total")) failures += v;
    EXPECT_GT(failures, 0) << "publications the outage refused, counted";
    std::cout << "prometheus: " << up.size() << " targets up; confirmed (A + B) "
              << (confirmed.size() == 2 ? confirmed[0].second + confirmed[1].second : 0) << ", publication failures "
              << failures << ", broker queues " << (broker_queues.empty() ? 0 : broker_queues[0].second) << "\n";
}

}  // namespace
