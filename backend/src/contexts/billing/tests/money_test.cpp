// SPDX-License-Identifier: Apache-2.0
// Money, totals and rounding, numbering: the rules that need no database.
#include <gtest/gtest.h>

#include "contexts/billing/domain/invoice.hpp"

using namespace medisecure;
using namespace medisecure::billing;

TEST(Money, RoundsHalvesAwayFromZeroSymmetrically) {
    EXPECT_EQ(divide_rounded(5, 10), 1);
    EXPECT_EQ(divide_rounded(4, 10), 0);
    EXPECT_EQ(divide_rounded(15, 10), 2);
    EXPECT_EQ(divide_rounded(-5, 10), -1);
    EXPECT_EQ(divide_rounded(-15, 10), -2);
    EXPECT_EQ(divide_rounded(-4, 10), 0);
    // 20 % of 0,05 € is 0,01 € exactly; 5,5 % of 0,10 € is 0,0055 → 0,01 €.
    EXPECT_EQ(vat_on(5, 2000), 1);
    EXPECT_EQ(vat_on(10, 550), 1);
    EXPECT_EQ(vat_on(9, 550), 0);
    for (Cents base : {1, 7, 99, 1234567, 8001}) EXPECT_EQ(vat_on(-base, 2000), -vat_on(base, 2000)) << base;
}

TEST(Money, ParsesFrenchAndCsvAmounts) {
    EXPECT_EQ(parse_euros("26,50"), 2650);
    EXPECT_EQ(parse_euros("26.5"), 2650);
    EXPECT_EQ(parse_euros("30"), 3000);
    EXPECT_EQ(parse_euros("0,61"), 61);
    EXPECT_EQ(parse_euros("1 234,56"), 123456);
    EXPECT_EQ(parse_euros("1.234,56"), 123456);
    EXPECT_EQ(parse_euros("1,234.56"), 123456);
    EXPECT_EQ(parse_euros("26,50 €"), 2650);
    EXPECT_EQ(parse_euros("1\u202f234,00\u00a0€"), 123400);
    EXPECT_EQ(parse_euros("-12,00"), -1200);
    EXPECT_FALSE(parse_euros(""));
    EXPECT_FALSE(parse_euros("Non pris en charge"));
    EXPECT_FALSE(parse_euros("12,3456"));
    EXPECT_FALSE(parse_euros("1e5"));
    EXPECT_EQ(parse_percent("20"), 2000);
    EXPECT_EQ(parse_percent("5,5"), 550);
    EXPECT_EQ(parse_percent("2.1 %"), 210);
    EXPECT_FALSE(parse_percent("101"));
    EXPECT_FALSE(parse_percent("-1"));
}

TEST(Money, FormatsForPrinting) {
    EXPECT_EQ(format_euros(3000), "30,00\u202f€");
    EXPECT_EQ(format_euros(61), "0,61\u202f€");
    EXPECT_EQ(format_euros(123456789), "1\u202f234\u202f567,89\u202f€");
    EXPECT_EQ(format_euros(-2650), "-26,50\u202f€");
    EXPECT_EQ(format_percent(2000), "20\u202f%");
    EXPECT_EQ(format_percent(550), "5,5\u202f%");
    EXPECT_EQ(format_percent(210), "2,1\u202f%");
    EXPECT_EQ(format_percent(0), "0\u202f%");
}

namespace {
InvoiceLine make(const char* code, int qty, Cents unit, BasisPoints vat = 0) {
    InvoiceLine l;
    l.code = code;
    l.label = code;
    l.quantity = qty;
    l.unit_price_cents = unit;
    l.vat_rate_bp = vat;
    return l;
}
}  // namespace

TEST(Totals, LinesAreExactAndVatIsRoundedPerRate) {
    std::vector<InvoiceLine> lines = {make("G", 1, 3000), make("IK", 7, 61), make("HN-EXPERT", 1, 8333, 2000),
                                      make("HN-COPY", 3, 333, 2000), make("HN-BOOK", 1, 999, 550)};
    auto t = compute_totals(lines);
    EXPECT_EQ(lines[1].position, 2);
    EXPECT_EQ(lines[1].amount_cents, 427);
    EXPECT_EQ(lines[3].amount_cents, 999);
    EXPECT_EQ(t.subtotal_cents, 3000 + 427 + 8333 + 999 + 999);
    ASSERT_EQ(t.vat_breakdown.size(), 3u);
    EXPECT_EQ(t.vat_breakdown[0].rate_bp, 0);
    EXPECT_EQ(t.vat_breakdown[0].vat_cents, 0);
    // Buckets ascend by rate. 5,5 % of 9,99 = 0,54945 → 0,55.
    EXPECT_EQ(t.vat_breakdown[1].rate_bp, 550);
    EXPECT_EQ(t.vat_breakdown[1].vat_cents, 55);
    // 20 % of (83,33 + 9,99) = 18,664 → 18,66 (per rate, not per line: 16,67 + 2,00 = 18,67).
    EXPECT_EQ(t.vat_breakdown[2].base_cents, 9332);
    EXPECT_EQ(t.vat_breakdown[2].vat_cents, 1866);
    EXPECT_EQ(t.vat_cents, 1866 + 55);
    EXPECT_EQ(t.total_cents, t.subtotal_cents + t.vat_cents);
}

TEST(Totals, CreditNoteIsTheExactOpposite) {
    std::vector<InvoiceLine> lines = {make("G", 1, 3000), make("HN-EXPERT", 1, 8333, 2000), make("HN-BOOK", 1, 999, 550)};
    auto t = compute_totals(lines);
    auto credit = credit_lines(lines);
    auto c = totals_of(credit);
    EXPECT_EQ(c.subtotal_cents, -t.subtotal_cents);
    EXPECT_EQ(c.vat_cents, -t.vat_cents);
    EXPECT_EQ(c.total_cents, -t.total_cents);
    EXPECT_EQ(credit[0].quantity, 1);
    EXPECT_EQ(credit[0].unit_price_cents, -3000);
}

TEST(Totals, LineValidation) {
    auto ok = make("G", 1, 3000);
    EXPECT_TRUE(validate_line(ok, "/lines/0").empty());
    auto bad = make("G", 0, -1, 10001);
    bad.label = "";
    auto issues = validate_line(bad, "/lines/3");
    ASSERT_EQ(issues.size(), 4u);
    EXPECT_EQ(issues[0].field, "/lines/3/label");
    EXPECT_EQ(issues[1].field, "/lines/3/quantity");
    EXPECT_EQ(issues[2].field, "/lines/3/unit_price_cents");
    EXPECT_EQ(issues[3].field, "/lines/3/vat_rate_bp");
}

TEST(Numbering, FormatAndYearlySequence) {
    EXPECT_EQ(format_invoice_number("F", 2026, 42), "F-2026-000042");
    EXPECT_EQ(format_invoice_number("CAB1", 2027, 1234567), "CAB1-2027-1234567");
    EXPECT_EQ(*next_in_sequence({0, 0}, 2026), 1);
    EXPECT_EQ(*next_in_sequence({2026, 41}, 2026), 42);
    EXPECT_EQ(*next_in_sequence({2026, 41}, 2027), 1);  // a new year starts again at 1
    auto behind = next_in_sequence({2027, 3}, 2026);
    ASSERT_FALSE(behind);
    EXPECT_EQ(behind.error().code, "invoice.clock_behind");
}

TEST(Status, FollowsPayments) {
    EXPECT_EQ(status_after_payments(3000, 0), InvoiceStatus::issued);
    EXPECT_EQ(status_after_payments(3000, 1), InvoiceStatus::partially_paid);
    EXPECT_EQ(status_after_payments(3000, 2999), InvoiceStatus::partially_paid);
    EXPECT_EQ(status_after_payments(3000, 3000), InvoiceStatus::paid);
    Invoice v;
    v.total_cents = 3000;
    v.paid_cents = 1000;
    v.status = InvoiceStatus::partially_paid;
    EXPECT_EQ(v.balance_due(), 2000);
    v.status = InvoiceStatus::cancelled;
    EXPECT_EQ(v.balance_due(), 0);
    v.status = InvoiceStatus::draft;
    EXPECT_EQ(v.balance_due(), 0);
    for (auto s : all_invoice_statuses()) EXPECT_EQ(parse_invoice_status(to_string(s)), s);
    for (auto m : all_payment_methods()) EXPECT_EQ(parse_payment_method(to_string(m)), m);
}
