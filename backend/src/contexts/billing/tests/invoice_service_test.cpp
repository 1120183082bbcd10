// SPDX-License-Identifier: Apache-2.0
// Billing use cases against the real SQL store on SQLite: lifecycle, roles, payments, credit
// notes, numbering across a year change, the PDF, statistics and the audit trail.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "contexts/billing/app/act_catalogue.hpp"
#include "contexts/billing/app/billing_export.hpp"
#include "contexts/billing/app/invoice_pdf.hpp"
#include "contexts/billing/app/invoice_service.hpp"
#include "contexts/billing/tests/billing_fixture.hpp"
#include "core/text.hpp"
#include "test_support.hpp"

using namespace medisecure;
using namespace medisecure::billing;
using audit::Outcome;
using medisecure::testkit::caller_of;

namespace {

using namespace medisecure::billing::sql_testing;

struct Billing : ::testing::Test, SqlBilling {
    ActCatalogue acts{store, audit, clock};
    InvoiceService invoices{store, audit, clock, tz, directory(), PracticeInfo{"Cabinet des Tilleuls", "3 place de l'Église\n20000 Ajaccio", "04 95 00 00 00", "", "2A0001234", "123 456 789 00012", "F"}};

    Caller accountant = caller_of(Role::accountant, "acc");
    Caller admin = caller_of(Role::admin, "adm");
    Caller doctor = caller_of(Role::doctor, kDoctor);
    Caller other_doctor = caller_of(Role::doctor, kOtherDoctor);
    Caller patient = caller_of(Role::patient, "u-pat", kPatient);
    Caller other_patient = caller_of(Role::patient, "u-pat2", kOtherPatient);
    Caller nurse = caller_of(Role::nurse, "nurse");

    static Directory directory() {
        Directory d;
        d.patient_exists = [](const std::string& id) { return id == kPatient || id == kOtherPatient; };
        d.patient_briefs = [](const std::set<std::string>& ids) {
            std::map<std::string, patients::PatientBrief> out;
            for (const auto& id : ids) {
                patients::PatientBrief b;
                b.id = id;
                b.mrn = "MS00000018";
                b.first_name = "Hélène";
                b.last_name = id == kPatient ? "Dupont" : "Martin";
                b.birth_date = *parse_date("1984-05-12");
                b.sex = patients::Sex::female;
                b.nir = "284052A00412355";
                b.address.line1 = "3 rue de l'Église";
                b.address.postal_code = "20000";
                b.address.city = "Ajaccio";
                out[id] = b;
            }
            return out;
        };
        d.is_practitioner = [](const std::string& id) { return id == kDoctor || id == kOtherDoctor; };
        d.user_names = [](const std::set<std::string>& ids) {
            std::map<std::string, std::string> out;
            for (const auto& id : ids) out[id] = id == kDoctor ? "Dr Lefèvre" : "Dr Nguyen";
            return out;
        };
        return d;
    }

    void SetUp() override { ASSERT_GT(acts.seed_if_empty(starter_acts_csv()), 10); }

    NewInvoice consultation(const std::string& patient_id = kPatient, const std::string& practitioner = kDoctor) {
        NewInvoice in;
        in.patient_id = patient_id;
        in.practitioner_id = practitioner;
        LineInput g;
        g.code = "G";
        LineInput ik;
        ik.code = "ik";
        ik.quantity = 7;
        in.lines = {g, ik};
        return in;
    }
    /// Ids are UUIDv7: a second between documents keeps their creation order unambiguous.
    Result<InvoiceView> draft(const NewInvoice& in) {
        clock.advance(std::chrono::seconds(1));
        return invoices.create(accountant, in);
    }
    InvoiceView issued(const NewInvoice& in) {
        auto d = draft(in);
        EXPECT_TRUE(d) << (d ? "" : d.error().code);
        auto v = invoices.issue(accountant, d->invoice.id);
        EXPECT_TRUE(v) << (v ? "" : v.error().code);
        return *v;
    }
    NewPayment payment(Cents amount, PaymentMethod m = PaymentMethod::card) {
        NewPayment p;
        p.method = m;
        p.amount_cents = amount;
        return p;
    }
};

}  // namespace

TEST_F(Billing, DraftLinesComeFromTheCatalogueAndTotalsAreComputed) {
    auto d = invoices.create(accountant, consultation());
    ASSERT_TRUE(d) << d.error().code;
    const auto& v = d->invoice;
    EXPECT_EQ(v.status, InvoiceStatus::draft);
    EXPECT_TRUE(v.number.empty());
    ASSERT_EQ(v.lines.size(), 2u);
    EXPECT_EQ(v.lines[0].label, "Consultation au cabinet du médecin généraliste");
    EXPECT_EQ(v.lines[1].code, "IK");
    EXPECT_EQ(v.lines[1].amount_cents, 7 * 61);
    EXPECT_EQ(v.total_cents, 3000 + 427);
    EXPECT_EQ(v.vat_cents, 0);
    EXPECT_EQ(v.service_date, *parse_date("2026-11-24"));
    EXPECT_EQ(d->patient_name(), "Hélène Dupont");
    EXPECT_EQ(d->practitioner_name, "Dr Lefèvre");

    // An overridden fee (dépassement) and a taxable practice item.
    NewInvoice in = consultation();
    in.lines[0].unit_price_cents = 5000;
    LineInput expert;
    expert.code = "HN-EXPERT";
    in.lines.push_back(expert);
    auto e = invoices.create(accountant, in);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->invoice.subtotal_cents, 5000 + 427 + 8000);
    EXPECT_EQ(e->invoice.vat_cents, 1600);
    EXPECT_EQ(e->invoice.total_cents, 5000 + 427 + 8000 + 1600);
    EXPECT_EQ(audit.count("invoice.create", Outcome::success), 2u);
}

TEST_F(Billing, CreationIsValidated) {
    NewInvoice in = consultation(kPatient, "");
    in.lines[1].code = "NOPE";
    in.lines[0].quantity = 0;
    in.service_date = *parse_date("2026-12-01");
    auto r = invoices.create(accountant, in);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(r.error().fields.at(0).field, "/practitioner_id");
    EXPECT_EQ(r.error().fields.at(1).field, "/service_date");

    in = consultation("01900000-0000-7000-8000-0000000000ff", "01900000-0000-7000-8000-0000000000ee");
    r = invoices.create(accountant, in);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().fields.at(0).code, "unknown_practitioner");
    EXPECT_EQ(r.error().fields.at(1).code, "unknown_patient");

    in = consultation();
    in.lines[1].code = "NOPE";
    in.lines[0].quantity = 0;
    r = invoices.create(accountant, in);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().fields.at(0).field, "/lines/0/quantity");
    EXPECT_EQ(r.error().fields.at(1).field, "/lines/1/code");
    EXPECT_EQ(r.error().fields.at(1).code, "unknown_code");

    ActPatch off;
    off.active = false;
    ASSERT_TRUE(acts.update(admin, "IK", std::nullopt, off));
    r = invoices.create(accountant, consultation());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().fields.at(0).code, "inactive_code");
}

TEST_F(Billing, IssuingNumbersAndFreezes) {
    auto d = invoices.create(doctor, consultation());
    ASSERT_TRUE(d);
    auto v = invoices.issue(doctor, d->invoice.id);
    ASSERT_TRUE(v) << v.error().code;
    EXPECT_EQ(v->invoice.number, "F-2026-000001");
    EXPECT_EQ(v->invoice.status, InvoiceStatus::issued);
    EXPECT_EQ(v->invoice.issue_date, *parse_date("2026-11-24"));
    EXPECT_EQ(v->invoice.issued_by, kDoctor);
    EXPECT_EQ(invoices.issue(doctor, d->invoice.id).error().code, "invoice.not_draft");

    InvoicePatch p;
    p.service_date = *parse_date("2026-11-20");
    auto changed = invoices.update_draft(accountant, d->invoice.id, v->invoice.version, p);
    EXPECT_EQ(changed.error().code, "invoice.not_draft");
    EXPECT_EQ(invoices.discard_draft(accountant, d->invoice.id).error().code, "invoice.not_draft");

    auto second = issued(consultation());
    EXPECT_EQ(second.invoice.number, "F-2026-000002");

    // An empty draft is not issued, and deleting a draft leaves no gap.
    NewInvoice empty = consultation();
    empty.lines.clear();
    auto e = invoices.create(accountant, empty);
    ASSERT_TRUE(e);
    EXPECT_EQ(invoices.issue(accountant, e->invoice.id).error().code, "invoice.empty");
    ASSERT_TRUE(invoices.discard_draft(accountant, e->invoice.id));
    EXPECT_EQ(invoices.get(accountant, e->invoice.id).error().kind, ErrorKind::not_found);
    EXPECT_EQ(issued(consultation()).invoice.number, "F-2026-000003");
}

TEST_F(Billing, DraftsAreEditedWithTheirVersion) {
    auto d = invoices.create(accountant, consultation());
    ASSERT_TRUE(d);
    InvoicePatch p;
    LineInput apc;
    apc.code = "APC";
    p.lines = std::vector<LineInput>{apc};
    p.fields = {"lines"};
    auto v = invoices.update_draft(accountant, d->invoice.id, d->invoice.version, p);
    ASSERT_TRUE(v) << v.error().code;
    EXPECT_EQ(v->invoice.version, 2);
    ASSERT_EQ(v->invoice.lines.size(), 1u);
    EXPECT_EQ(v->invoice.total_cents, 6000);
    EXPECT_EQ(invoices.get(accountant, d->invoice.id)->invoice.lines.size(), 1u);
    EXPECT_EQ(invoices.update_draft(accountant, d->invoice.id, 1, p).error().kind, ErrorKind::precondition_failed);
}

TEST_F(Billing, NumbersRestartEachLocalYear) {
    clock.set(*parse_instant("2026-12-31T22:30:00Z"));  // 23:30 in Paris: still 2026
    EXPECT_EQ(issued(consultation()).invoice.number, "F-2026-000001");
    EXPECT_EQ(issued(consultation()).invoice.number, "F-2026-000002");
    clock.set(*parse_instant("2026-12-31T23:00:00Z"));  // midnight in Paris: 2027
    auto first = issued(consultation());
    EXPECT_EQ(first.invoice.number, "F-2027-000001");
    EXPECT_EQ(first.invoice.issue_date, *parse_date("2027-01-01"));
    // A clock set back into the previous year cannot reuse or reorder numbers.
    clock.set(*parse_instant("2026-12-31T12:00:00Z"));
    auto d = invoices.create(accountant, consultation());
    ASSERT_TRUE(d);
    EXPECT_EQ(invoices.issue(accountant, d->invoice.id).error().code, "invoice.clock_behind");
}

TEST_F(Billing, PaymentsPartialFullAndRefused) {
    auto v = issued(consultation());  // 34,27 €
    auto p1 = invoices.add_payment(accountant, v.invoice.id, payment(2100, PaymentMethod::amo));
    ASSERT_TRUE(p1) << p1.error().code;
    EXPECT_EQ(p1->invoice.invoice.status, InvoiceStatus::partially_paid);
    EXPECT_EQ(p1->invoice.invoice.balance_due(), 1327);

    auto over = invoices.add_payment(accountant, v.invoice.id, payment(1328));
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().kind, ErrorKind::conflict);
    EXPECT_EQ(over.error().code, "payment.exceeds_balance");
    EXPECT_NE(over.error().extensions_json.find("\"balance_due_cents\":1327"), std::string::npos);

    NewPayment future = payment(100);
    future.paid_on = *parse_date("2026-11-25");
    EXPECT_EQ(invoices.add_payment(accountant, v.invoice.id, future).error().fields.at(0).code, "in_future");
    EXPECT_EQ(invoices.add_payment(accountant, v.invoice.id, payment(0)).error().kind, ErrorKind::invalid_input);

    auto p2 = invoices.add_payment(accountant, v.invoice.id, payment(1327, PaymentMethod::amc));
    ASSERT_TRUE(p2);
    EXPECT_EQ(p2->invoice.invoice.status, InvoiceStatus::paid);
    EXPECT_EQ(p2->invoice.invoice.paid_cents, 3427);
    EXPECT_EQ(invoices.add_payment(accountant, v.invoice.id, payment(1)).error().code, "invoice.already_paid");

    // Drafts take no payment; neither do doctors record them.
    auto d = invoices.create(accountant, consultation());
    EXPECT_EQ(invoices.add_payment(accountant, d->invoice.id, payment(100)).error().code, "invoice.not_issued");
    EXPECT_EQ(invoices.add_payment(doctor, v.invoice.id, payment(100)).error().kind, ErrorKind::forbidden);
    EXPECT_EQ(audit.count("payment.create", Outcome::success), 2u);
    EXPECT_EQ(audit.count("payment.create", Outcome::denied), 1u);
}

TEST_F(Billing, OnlyAdministratorsVoidPaymentsAndTheyStayOnRecord) {
    auto v = issued(consultation());
    auto p = invoices.add_payment(accountant, v.invoice.id, payment(v.invoice.total_cents, PaymentMethod::cheque));
    ASSERT_TRUE(p);
    EXPECT_EQ(invoices.void_payment(accountant, v.invoice.id, p->payment.id, "erreur").error().kind, ErrorKind::forbidden);
    EXPECT_EQ(invoices.void_payment(admin, v.invoice.id, p->payment.id, " ").error().kind, ErrorKind::invalid_input);
    auto after = invoices.void_payment(admin, v.invoice.id, p->payment.id, "Chèque sans provision");
    ASSERT_TRUE(after) << after.error().code;
    EXPECT_EQ(after->invoice.status, InvoiceStatus::issued);
    EXPECT_EQ(after->invoice.paid_cents, 0);
    ASSERT_EQ(after->invoice.payments.size(), 1u);
    EXPECT_TRUE(after->invoice.payments[0].voided());
    EXPECT_EQ(after->invoice.payments[0].void_reason, "Chèque sans provision");
    EXPECT_EQ(invoices.void_payment(admin, v.invoice.id, p->payment.id, "encore").error().code, "payment.already_voided");
    EXPECT_EQ(invoices.void_payment(admin, v.invoice.id, "01900000-0000-7000-8000-000000000000", "x").error().kind,
              ErrorKind::not_found);
    EXPECT_EQ(audit.count("payment.void", Outcome::success), 1u);
    EXPECT_EQ(audit.count("payment.void", Outcome::denied), 1u);
}

TEST_F(Billing, CancellationIssuesACreditNoteInTheSameSequence) {
    auto v = issued(consultation());
    auto paid = issued(consultation());
    ASSERT_TRUE(invoices.add_payment(accountant, paid.invoice.id, payment(100)));
    EXPECT_EQ(invoices.cancel(accountant, paid.invoice.id, "erreur").error().code, "invoice.has_payments");
    EXPECT_EQ(invoices.cancel(doctor, v.invoice.id, "erreur").error().kind, ErrorKind::forbidden);
    EXPECT_EQ(invoices.cancel(accountant, v.invoice.id, "").error().kind, ErrorKind::invalid_input);

    auto c = invoices.cancel(accountant, v.invoice.id, "Erreur de cotation");
    ASSERT_TRUE(c) << c.error().code;
    const auto& cn = c->credit_note.invoice;
    EXPECT_EQ(cn.kind, InvoiceKind::credit_note);
    EXPECT_EQ(cn.number, "F-2026-000003");
    EXPECT_EQ(cn.status, InvoiceStatus::issued);
    EXPECT_EQ(cn.total_cents, -v.invoice.total_cents);
    EXPECT_EQ(cn.lines.size(), v.invoice.lines.size());
    EXPECT_EQ(cn.lines[0].amount_cents, -3000);
    EXPECT_EQ(cn.credited_invoice_id, v.invoice.id);
    EXPECT_EQ(cn.credited_invoice_number, "F-2026-000001");
    EXPECT_EQ(cn.balance_due(), 0);
    const auto& inv = c->invoice.invoice;
    EXPECT_EQ(inv.status, InvoiceStatus::cancelled);
    EXPECT_EQ(inv.credit_note_number, "F-2026-000003");
    EXPECT_EQ(inv.cancel_reason, "Erreur de cotation");
    EXPECT_EQ(inv.balance_due(), 0);

    EXPECT_EQ(invoices.cancel(accountant, v.invoice.id, "encore").error().code, "invoice.already_cancelled");
    EXPECT_EQ(invoices.cancel(accountant, cn.id, "non").error().code, "invoice.is_credit_note");
    EXPECT_EQ(invoices.add_payment(accountant, v.invoice.id, payment(100)).error().code, "invoice.cancelled");
    EXPECT_EQ(invoices.add_payment(accountant, cn.id, payment(100)).error().code, "invoice.is_credit_note");
    auto d = invoices.create(accountant, consultation());
    EXPECT_EQ(invoices.cancel(accountant, d->invoice.id, "x").error().code, "invoice.draft");
    EXPECT_EQ(issued(consultation()).invoice.number, "F-2026-000004");
}

TEST_F(Billing, DoctorsReachTheirOwnInvoicesOnly) {
    NewInvoice mine = consultation();
    mine.practitioner_id.clear();  // defaults to the doctor
    auto d = invoices.create(doctor, mine);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->invoice.practitioner_id, kDoctor);
    EXPECT_EQ(invoices.create(doctor, consultation(kPatient, kOtherDoctor)).error().code, "invoice.not_own_acts");

    auto theirs = issued(consultation(kPatient, kOtherDoctor));
    EXPECT_EQ(invoices.get(doctor, theirs.invoice.id).error().kind, ErrorKind::not_found);
    EXPECT_EQ(invoices.issue(doctor, theirs.invoice.id).error().kind, ErrorKind::not_found);
    EXPECT_EQ(invoices.pdf(doctor, theirs.invoice.id).error().kind, ErrorKind::not_found);
    EXPECT_TRUE(invoices.get(other_doctor, theirs.invoice.id));

    InvoiceQuery q;
    auto page = invoices.list(doctor, q);
    ASSERT_TRUE(page);
    ASSERT_EQ(page->items.size(), 1u);
    EXPECT_EQ(page->items[0].invoice.id, d->invoice.id);
    q.practitioner_id = kOtherDoctor;
    EXPECT_TRUE(invoices.list(doctor, q)->items.empty());
    EXPECT_EQ(audit.count("invoice.read", Outcome::denied), 1u);
}

TEST_F(Billing, PatientsReadTheirOwnIssuedDocumentsOnly) {
    auto pending = invoices.create(accountant, consultation());
    auto mine = issued(consultation());
    auto theirs = issued(consultation(kOtherPatient));
    EXPECT_TRUE(invoices.get(patient, mine.invoice.id));
    EXPECT_EQ(invoices.get(patient, pending->invoice.id).error().kind, ErrorKind::not_found);
    EXPECT_EQ(invoices.get(patient, theirs.invoice.id).error().kind, ErrorKind::not_found);
    EXPECT_EQ(invoices.pdf(other_patient, mine.invoice.id).error().kind, ErrorKind::not_found);
    EXPECT_EQ(invoices.create(patient, consultation()).error().kind, ErrorKind::forbidden);

    InvoiceQuery q;
    auto page = invoices.list(patient, q);
    ASSERT_TRUE(page);
    ASSERT_EQ(page->items.size(), 1u);
    EXPECT_EQ(page->items[0].invoice.id, mine.invoice.id);
    q.patient_id = kOtherPatient;
    EXPECT_TRUE(invoices.list(patient, q)->items.empty());
    q = {};
    q.statuses = {InvoiceStatus::draft};
    EXPECT_TRUE(invoices.list(patient, q)->items.empty());

    EXPECT_EQ(invoices.get(nurse, mine.invoice.id).error().kind, ErrorKind::forbidden);
    EXPECT_EQ(invoices.list(nurse, {}).error().kind, ErrorKind::forbidden);
}

TEST_F(Billing, EveryReadAndChangeIsAuditedWithThePatient) {
    auto v = issued(consultation());
    audit.clear();
    ASSERT_TRUE(invoices.get(accountant, v.invoice.id));
    ASSERT_TRUE(invoices.pdf(patient, v.invoice.id));
    ASSERT_TRUE(invoices.add_payment(accountant, v.invoice.id, payment(100)));
    issued(consultation(kOtherPatient));
    ASSERT_TRUE(invoices.list(accountant, {}));
    auto entries = audit.entries();
    std::vector<std::string> actions;
    for (const auto& [caller, e] : entries) {
        actions.push_back(e.action);
        EXPECT_FALSE(e.patient_id.empty()) << e.action;
    }
    EXPECT_EQ(actions, (std::vector<std::string>{"invoice.read", "invoice.pdf", "payment.create", "invoice.create",
                                                 "invoice.issue", "invoice.list", "invoice.list"}));
    EXPECT_EQ(audit.count("invoice.issue", Outcome::success), 1u);
}

TEST_F(Billing, ListsPageNewestFirstAndFilter) {
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) {
        clock.advance(std::chrono::minutes(1));
        ids.push_back(issued(consultation()).invoice.id);
    }
    auto d = draft(consultation());
    InvoiceQuery q;
    q.limit = 2;
    auto p1 = invoices.list(accountant, q);
    ASSERT_EQ(p1->items.size(), 2u);
    EXPECT_EQ(p1->items[0].invoice.id, d->invoice.id);
    EXPECT_EQ(p1->items[1].invoice.id, ids[4]);
    q.before_id = p1->next_cursor;
    auto p2 = invoices.list(accountant, q);
    EXPECT_EQ(p2->items[0].invoice.id, ids[3]);
    q = {};
    q.statuses = {InvoiceStatus::draft};
    EXPECT_EQ(invoices.list(accountant, q)->items.size(), 1u);
    q = {};
    q.issued_from = *parse_date("2026-11-24");
    q.issued_to = *parse_date("2026-11-24");
    EXPECT_EQ(invoices.list(accountant, q)->items.size(), 5u);
    q.issued_from = *parse_date("2026-11-25");
    q.issued_to.reset();
    EXPECT_TRUE(invoices.list(accountant, q)->items.empty());
}

TEST_F(Billing, PdfCarriesTheInvoice) {
    auto v = issued(consultation());
    ASSERT_TRUE(invoices.add_payment(accountant, v.invoice.id, payment(1000, PaymentMethod::cheque)));
    auto f = invoices.pdf(accountant, v.invoice.id);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->filename, "F-2026-000001.pdf");
    EXPECT_EQ(f->bytes.substr(0, 5), "%PDF-");
    EXPECT_NE(f->bytes.find("%%EOF"), std::string::npos);
    EXPECT_NE(f->bytes.find("FACTURE F-2026-000001"), std::string::npos);  // the document's title
    auto c = invoices.cancel(admin, issued(consultation()).invoice.id, "Doublon");
    ASSERT_TRUE(c);
    auto credit = invoices.pdf(patient, c->credit_note.invoice.id);
    ASSERT_TRUE(credit);
    EXPECT_NE(credit->bytes.find("AVOIR F-2026-000003"), std::string::npos);
    auto d = invoices.create(accountant, consultation());
    EXPECT_EQ(invoices.pdf(accountant, d->invoice.id)->filename.substr(0, 10), "brouillon-");
    EXPECT_EQ(format_nir("284052A00412355"), "2 84 05 2A 004 123 55");
}

TEST_F(Billing, MonthlyStatisticsPerPractitionerAndMethod) {
    clock.set(*parse_instant("2026-10-31T23:30:00Z"));  // 00:30 on 1 November in Paris
    auto a = issued(consultation());                       // 34,27 €, Dr Lefèvre
    ASSERT_TRUE(invoices.add_payment(accountant, a.invoice.id, payment(2000, PaymentMethod::card)));
    auto b = issued(consultation(kPatient, kOtherDoctor));  // 34,27 €, Dr Nguyen
    ASSERT_TRUE(invoices.add_payment(accountant, b.invoice.id, payment(b.invoice.total_cents, PaymentMethod::amo)));
    auto c = issued(consultation());
    ASSERT_TRUE(invoices.cancel(accountant, c.invoice.id, "Erreur"));
    clock.set(*parse_instant("2026-11-24T09:00:00Z"));

    auto s = invoices.stats(accountant, 2026, 11u);
    ASSERT_TRUE(s) << s.error().code;
    EXPECT_EQ(s->totals.issued_cents, 3 * 3427);
    EXPECT_EQ(s->totals.credited_cents, -3427);
    EXPECT_EQ(s->totals.collected_cents, 2000 + 3427);
    EXPECT_EQ(s->totals.outstanding_cents, 1427);
    EXPECT_EQ(s->totals.invoice_count, 3);
    EXPECT_EQ(s->totals.credit_note_count, 1);
    ASSERT_EQ(s->by_practitioner.size(), 2u);
    EXPECT_EQ(s->by_practitioner[0].name, "Dr Lefèvre");
    EXPECT_EQ(s->by_practitioner[0].issued_cents, 2 * 3427);
    EXPECT_EQ(s->by_practitioner[0].collected_cents, 2000);
    EXPECT_EQ(s->by_practitioner[1].collected_cents, 3427);
    std::map<std::string, Cents> by_method;
    for (const auto& l : s->by_method) by_method[l.key] = l.collected_cents;
    EXPECT_EQ(by_method.size(), 6u);
    EXPECT_EQ(by_method["card"], 2000);
    EXPECT_EQ(by_method["amo"], 3427);
    EXPECT_TRUE(s->by_month.empty());

    auto october = invoices.stats(accountant, 2026, 10u);
    EXPECT_EQ(october->totals.invoice_count, 0);
    auto year = invoices.stats(accountant, 2026, std::nullopt);
    ASSERT_EQ(year->by_month.size(), 12u);
    EXPECT_EQ(year->by_month[10].key, "2026-11");
    EXPECT_EQ(year->by_month[10].issued_cents, 3 * 3427);
    EXPECT_EQ(year->by_month[9].issued_cents, 0);

    EXPECT_EQ(invoices.stats(doctor, 2026, 11u).error().kind, ErrorKind::forbidden);
    EXPECT_EQ(invoices.stats(accountant, 2026, 13u).error().kind, ErrorKind::invalid_input);
}

TEST_F(Billing, ExportHoldsEveryDocumentAndItsPdf) {
    auto v = issued(consultation());
    ASSERT_TRUE(invoices.add_payment(accountant, v.invoice.id, payment(500)));
    auto cancelled = issued(consultation());
    clock.advance(std::chrono::seconds(1));
    ASSERT_TRUE(invoices.cancel(accountant, cancelled.invoice.id, "Erreur"));
    issued(consultation(kOtherPatient));
    ASSERT_TRUE(draft(consultation()));
    BillingExportSource source(invoices);
    EXPECT_EQ(source.section(), "billing");
    auto json = source.export_json(kPatient);
    const auto& items = json.at("invoices").as_array();
    ASSERT_EQ(items.size(), 4u);  // two invoices, the credit note, a draft; oldest first
    EXPECT_EQ(items[0].at("number").as_string(), "F-2026-000001");
    EXPECT_EQ(items[0].at("payments").as_array().size(), 1u);
    EXPECT_EQ(items[1].at("status").as_string(), "cancelled");
    EXPECT_EQ(items[2].at("kind").as_string(), "credit_note");
    EXPECT_TRUE(items[3].at("number").is_null());
    auto files = source.export_files(kPatient);
    ASSERT_EQ(files.size(), 3u);
    EXPECT_EQ(files[0].path, "billing/F-2026-000001.pdf");
    EXPECT_EQ(files[2].path, "billing/F-2026-000003.pdf");
    EXPECT_EQ(files[0].content.substr(0, 5), "%PDF-");
}

TEST_F(Billing, CatalogueUpkeepIsForAdministrators) {
    Act a;
    a.code = "hn-cert";
    a.system = ActSystem::other;
    a.label = "Certificat pour une assurance";
    a.price_cents = 2500;
    a.vat_rate_bp = 2000;
    EXPECT_EQ(acts.create(accountant, a).error().kind, ErrorKind::forbidden);
    auto created = acts.create(admin, a);
    ASSERT_TRUE(created);
    EXPECT_EQ(created->code, "HN-CERT");
    EXPECT_EQ(acts.create(admin, a).error().code, "act.code_taken");
    Act bad = a;
    bad.code = "DEQ";
    bad.system = ActSystem::ccam;
    EXPECT_EQ(acts.create(admin, bad).error().fields.at(0).code, "invalid_code");

    ActPatch p;
    p.price_cents = 3000;
    p.fields = {"price_cents"};
    auto changed = acts.update(admin, "hn-cert", 1, p);
    ASSERT_TRUE(changed);
    EXPECT_EQ(changed->price_cents, 3000);
    EXPECT_EQ(acts.update(admin, "HN-CERT", 1, p).error().kind, ErrorKind::precondition_failed);
    EXPECT_EQ(acts.update(admin, "NOPE", std::nullopt, p).error().kind, ErrorKind::not_found);

    // A code that was invoiced is never deleted; a code never used may be.
    ASSERT_TRUE(invoices.create(accountant, consultation()));
    EXPECT_EQ(acts.remove(admin, "G").error().code, "act.invoiced");
    EXPECT_TRUE(acts.remove(admin, "HN-CERT"));
    EXPECT_EQ(acts.get(doctor, "HN-CERT").error().kind, ErrorKind::not_found);
    EXPECT_EQ(acts.search(patient, {}).error().kind, ErrorKind::forbidden);
}

TEST_F(Billing, SearchIgnoresCaseAndAccents) {
    auto codes = [&](const std::string& q) {
        ActQuery aq;
        aq.terms = query_terms(q);
        std::vector<std::string> out;
        for (const auto& a : *acts.search(doctor, aq)) out.push_back(a.code);
        return out;
    };
    EXPECT_EQ(codes("ÉLECTROCARDIO"), std::vector<std::string>{"DEQP003"});
    EXPECT_EQ(codes("deqp"), std::vector<std::string>{"DEQP003"});
    EXPECT_EQ(codes("g").front(), "G");  // the exact code first
    EXPECT_EQ(codes("visite domicile"), (std::vector<std::string>{"MD", "VG", "VGS", "VL"}));
    EXPECT_TRUE(codes("zzz").empty());
}

TEST_F(Billing, ImportUpdatesAddsAndNeverDeletes) {
    std::string csv = "code;libellé;tarif\nDEQP003;Électrocardiographie sur au moins 12 dérivations;14,50\n"
                      "YYYY490;Supplément pour électrocardiographie au domicile du patient;9,60\nBAD;x;1\n";
    auto dry = acts.import_csv(admin, csv, ActSystem::ccam, true);
    ASSERT_TRUE(dry);
    EXPECT_EQ(dry->inserted, 1);
    EXPECT_EQ(dry->updated, 1);
    EXPECT_FALSE(store.find_act("YYYY490"));
    auto r = acts.import_csv(admin, csv, ActSystem::ccam, false);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->skipped.size(), 1u);
    EXPECT_EQ(store.find_act("DEQP003")->price_cents, 1450);
    EXPECT_EQ(store.find_act("YYYY490")->system, ActSystem::ccam);
    EXPECT_TRUE(store.find_act("G"));
    auto again = acts.import_csv(admin, csv, ActSystem::ccam, false);
    EXPECT_EQ(again->unchanged, 2);
    EXPECT_EQ(acts.import_csv(accountant, csv, ActSystem::ccam, false).error().kind, ErrorKind::forbidden);
    EXPECT_EQ(acts.import_csv(admin, "nothing useful", ActSystem::ccam, false).error().code, "act.import_unreadable");
}
