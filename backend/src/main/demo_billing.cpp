// SPDX-License-Identifier: Apache-2.0
// Billing demo data: an invoice for each demo consultation of the last four months (the
// doctors' weekday surgeries), issued on the day of the visit, most of them paid by card,
// cheque, cash or the insurers (AMO/AMC, a few weeks later), some partially paid, recent ones
// still due, and one cancelled by a credit note. The use cases run over a clock set to each
// event's time, in chronological order, so numbers and dates read as a real year's would.
#include <algorithm>
#include <map>

#include "contexts/billing/app/invoice_service.hpp"
#include "core/timezone.hpp"
#include "main/demo.hpp"

namespace medisecure {
namespace {

using billing::LineInput;
using billing::PaymentMethod;

struct Consultation {
    Timestamp at{};
    std::string doctor_id;
    std::string patient_id;
    std::vector<LineInput> lines;
    std::string invoice_id;
};

enum class Step { issue, pay, cancel };

struct Event {
    Timestamp at{};
    Step step = Step::issue;
    std::size_t consultation = 0;
    PaymentMethod method = PaymentMethod::card;
    int percent = 100;  // of the invoice's total, for a payment; 100 pays whatever remains
    std::string reference;
};

LineInput line(const char* code, int quantity = 1) {
    LineInput l;
    l.code = code;
    l.quantity = quantity;
    return l;
}

/// The acts of the k-th consultation: mostly a consultation, sometimes a home visit, an ECG,
/// an expert opinion; the child majoration for the under-sixes.
std::vector<LineInput> acts_for(std::size_t k, bool child) {
    switch (k % 10) {
    case 3: return {line("VG"), line("MD"), line("IK", 6)};
    case 5: return {line("G"), line("DEQP003")};
    case 7: return {line("APC")};
    case 9: return {line("G"), line("MIC")};
    default: return child ? std::vector<LineInput>{line("G"), line("MEG")} : std::vector<LineInput>{line("G")};
    }
}

}  // namespace

std::string seed_billing_demo(Application& app, const DemoPractice& practice) {
    if (practice.doctors.empty() || practice.patients.empty()) return "";
    auto tz = TimeZone::named(app.config().practice_timezone).value_or(*TimeZone::from_posix("CET-1CEST,M3.5.0,M10.5.0/3"));
    Timestamp now = SystemClock{}.now();
    Date today = tz.local_date(now);
    using namespace std::chrono;
    auto first_day = sys_days{today} - days{120};

    // The consultations: each doctor sees one patient on alternate weekdays, in the morning.
    std::vector<Consultation> visits;
    std::size_t next_patient = 0;
    for (auto day = first_day; day < sys_days{today}; day += days{1}) {
        weekday wd{day};
        if (wd == Saturday || wd == Sunday) continue;
        auto n = static_cast<std::size_t>((day - first_day).count());
        for (std::size_t d = 0; d < practice.doctors.size(); ++d) {
            if ((n + d) % 2) continue;
            const auto& patient = practice.patients[next_patient++ % practice.patients.size()];
            Consultation c;
            auto local = local_days{year_month_day{day}} + hours{9 + static_cast<int>(d) * 2} + minutes{15 * static_cast<int>(n % 4)};
            c.at = tz.to_utc(local_seconds{local});
            c.doctor_id = practice.doctors[d].id;
            c.patient_id = patient.id;
            bool child = years_between(patient.birth_date, Date{day}) < 6;
            c.lines = acts_for(visits.size(), child);
            visits.push_back(std::move(c));
        }
    }
    if (visits.empty()) return "";

    // The patients with a portal account get the telling cases, so their portal shows them:
    // the first a paid and a partially paid invoice, the second a cancelled one with its credit
    // note, the third one still due.
    auto portal = [&](std::size_t i) { return i < practice.portal_patient_ids.size() ? practice.portal_patient_ids[i] : ""; };
    auto old_visit = [&](std::size_t nth) { return std::min(nth, visits.size() - 1); };
    std::size_t paid_case = old_visit(4), partial_case = old_visit(10), cancelled_case = old_visit(7);
    std::size_t due_case = visits.size() - 1;
    if (!portal(0).empty()) visits[paid_case].patient_id = visits[partial_case].patient_id = portal(0);
    if (!portal(1).empty()) visits[cancelled_case].patient_id = portal(1);
    if (!portal(2).empty()) visits[due_case].patient_id = portal(2);

    std::vector<Event> events;
    for (std::size_t i = 0; i < visits.size(); ++i) {
        Timestamp done = visits[i].at + minutes{20};
        events.push_back({done, Step::issue, i});
        bool recent = visits[i].at > now - days{30};
        auto pay = [&](Timestamp at, PaymentMethod m, int percent, std::string ref = "") {
            events.push_back({at, Step::pay, i, m, percent, std::move(ref)});
        };
        if (i == cancelled_case) {
            events.push_back({done + days{1}, Step::cancel, i});
            continue;
        }
        if (i == partial_case) {
            pay(done + days{12}, PaymentMethod::amo, 70, "Virement CPAM");
            continue;
        }
        if (i == paid_case) {
            pay(done + minutes{1}, PaymentMethod::card, 100);
            continue;
        }
        if (i == due_case) continue;
        switch (i % 8) {
        case 0:
        case 1:
        case 2: pay(done + minutes{1}, PaymentMethod::card, 100); break;
        case 3: pay(done + minutes{1}, PaymentMethod::cheque, 100, "Chèque n° " + std::to_string(4810200 + i)); break;
        case 4: pay(done + minutes{1}, PaymentMethod::cash, 100); break;
        case 5:  // tiers payant: the insurers pay weeks later
            if (!recent) {
                pay(done + days{14}, PaymentMethod::amo, 70, "Virement CPAM");
                pay(done + days{21}, PaymentMethod::amc, 100, "Virement mutuelle");
            } else {
                pay(done + days{14}, PaymentMethod::amo, 70, "Virement CPAM");
            }
            break;
        case 6:
            if (!recent) pay(done + days{9}, PaymentMethod::transfer, 100, "Virement patient");
            break;
        default: break;  // still due
        }
    }
    std::erase_if(events, [&](const Event& e) { return e.at > now; });
    std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.at < b.at; });

    ManualClock clock(first_day);
    auto service = app.invoices_at(clock);
    const Caller& demo = practice.system;
    std::map<std::string, std::int64_t> total_of, paid_of;
    int issued = 0, payments = 0, cancelled = 0;
    for (const auto& e : events) {
        clock.set(e.at);
        auto& c = visits[e.consultation];
        switch (e.step) {
        case Step::issue: {
            billing::NewInvoice in;
            in.patient_id = c.patient_id;
            in.practitioner_id = c.doctor_id;
            in.service_date = tz.local_date(c.at);
            in.lines = c.lines;
            auto draft = service->create(demo, in);
            if (!draft) throw std::runtime_error("demo invoice: " + draft.error().code);
            auto done = service->issue(demo, draft->invoice.id);
            if (!done) throw std::runtime_error("demo invoice issue: " + done.error().code);
            c.invoice_id = done->invoice.id;
            total_of[c.invoice_id] = done->invoice.total_cents;
            ++issued;
            break;
        }
        case Step::pay: {
            billing::NewPayment p;
            p.method = e.method;
            auto total = total_of[c.invoice_id];
            p.amount_cents = e.percent == 100 ? total - paid_of[c.invoice_id] : total * e.percent / 100;
            paid_of[c.invoice_id] += p.amount_cents;
            p.paid_on = tz.local_date(e.at);
            p.reference = e.reference;
            auto r = service->add_payment(demo, c.invoice_id, p);
            if (!r) throw std::runtime_error("demo payment: " + r.error().code);
            ++payments;
            break;
        }
        case Step::cancel: {
            auto r = service->cancel(demo, c.invoice_id, "Erreur de cotation : acte facturé deux fois");
            if (!r) throw std::runtime_error("demo cancellation: " + r.error().code);
            ++cancelled;
            break;
        }
        }
    }
    return std::to_string(issued) + " invoices issued (" + std::to_string(payments) + " payments, " +
           std::to_string(cancelled) + " cancelled by a credit note).\n";
}

}  // namespace medisecure
