// SPDX-License-Identifier: Apache-2.0
// Billing storage: the act catalogue, invoices and credit notes with their lines, payments
// and the yearly invoice sequence. Implementation: SqlBillingStore (SQLite, PostgreSQL; the
// SQL is portable so that a MariaDB adapter only adds its migrations and dialect name).
// Blocking: yes, call from the worker pool. Thread safety: safe; write() runs its function in
// one transaction and may run it again after a serialization failure, so the function must
// have no effect outside the unit. PHI: invoices and payments name a patient and their acts.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "contexts/billing/domain/act.hpp"
#include "contexts/billing/domain/invoice.hpp"

namespace medisecure::billing {

struct ActQuery {
    std::vector<std::string> terms;  // folded words; each must start the code or occur in the label
    bool include_inactive = false;
    std::optional<ActSystem> system;
    std::string after_code;  // keyset cursor when there are no terms (catalogue browsing)
    int limit = 50;
};

struct InvoiceQuery {
    std::string patient_id;
    std::string practitioner_id;
    std::vector<InvoiceStatus> statuses;  // empty: any
    std::optional<InvoiceKind> kind;
    std::optional<Date> issued_from, issued_to;  // inclusive; drafts have no issue date
    std::string before_id;  // keyset cursor: ids are UUIDv7, so id order is creation order
    int limit = 20;
};

/// Revenue rows grouped by practitioner and month (YYYY-MM), for the statistics.
struct IssuedGroup {
    std::string practitioner_id;
    std::string month;
    InvoiceKind kind = InvoiceKind::invoice;
    std::int64_t count = 0;
    Cents total_cents = 0;
    Cents outstanding_cents = 0;  // balance still due today on these documents
};
struct CollectedGroup {
    std::string practitioner_id;
    std::string month;
    PaymentMethod method = PaymentMethod::card;
    std::int64_t count = 0;
    Cents amount_cents = 0;
};
struct StatsRows {
    std::vector<IssuedGroup> issued;
    std::vector<CollectedGroup> collected;
};

/// The operations available inside one write transaction.
class BillingUnit {
public:
    virtual ~BillingUnit() = default;

    virtual std::optional<Act> find_act(const std::string& code) = 0;
    virtual void insert_act(const Act& act) = 0;
    /// Stores `act` when the stored version is `act.version - 1`; false otherwise.
    virtual bool update_act(const Act& act) = 0;
    /// True when some invoice or credit note line carries `code`.
    virtual bool act_invoiced(const std::string& code) = 0;
    virtual void delete_act(const std::string& code) = 0;

    /// The invoice with its lines and payments, its row locked until the transaction ends
    /// (PostgreSQL/MariaDB: SELECT … FOR UPDATE; SQLite: the single writer already holds it).
    virtual std::optional<Invoice> lock_invoice(const std::string& id) = 0;
    /// Inserts the header and its lines.
    virtual void insert_invoice(const Invoice& invoice) = 0;
    /// Stores the header when the stored version is `invoice.version - 1`, and replaces the
    /// lines when `replace_lines`; false when the version does not match.
    virtual bool update_invoice(const Invoice& invoice, bool replace_lines) = 0;
    /// Deletes a draft and its lines (drafts have no number and no payment).
    virtual void delete_draft(const std::string& id) = 0;

    /// Locks the invoice sequence and reads it; every document number is allocated between
    /// this call and the end of the transaction, so numbers follow commit order: no gap, no
    /// duplicate, also across server instances.
    virtual SequenceState lock_sequence() = 0;
    virtual void store_sequence(const SequenceState& s) = 0;

    virtual void insert_payment(const Payment& payment) = 0;
    /// Records the void fields of an existing, not yet voided payment; false otherwise.
    virtual bool void_payment(const Payment& payment) = 0;
};

class BillingStore {
public:
    virtual ~BillingStore() = default;
    virtual Result<void> write(const std::function<Result<void>(BillingUnit&)>& fn) = 0;

    virtual std::optional<Act> find_act(const std::string& code) = 0;
    /// Exact code first, then codes starting with the first term, then the rest by code.
    virtual std::vector<Act> search_acts(const ActQuery& q) = 0;
    virtual std::int64_t count_acts() = 0;

    /// With lines and payments.
    virtual std::optional<Invoice> find_invoice(const std::string& id) = 0;
    /// Newest first; headers only (no lines, no payments).
    virtual std::vector<Invoice> list_invoices(const InvoiceQuery& q) = 0;
    /// Documents issued and payments received (not voided) with `from` <= date <= `to`.
    virtual StatsRows stats(const Date& from, const Date& to) = 0;
    virtual bool ping() = 0;
};

}  // namespace medisecure::billing
