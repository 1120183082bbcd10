// SPDX-License-Identifier: Apache-2.0
// The billing store over SQL (SQLite, PostgreSQL). Row locks are the only dialect-specific
// part: PostgreSQL locks with SELECT … FOR UPDATE; SQLite needs nothing, since a write
// transaction (BEGIN IMMEDIATE) already holds the database's single write lock.
#pragma once

#include "contexts/billing/ports/billing_store.hpp"
#include "platform/db/database.hpp"

namespace medisecure::billing {

class SqlBillingStore final : public BillingStore {
public:
    explicit SqlBillingStore(db::Database& db) : db_(db) {}

    Result<void> write(const std::function<Result<void>(BillingUnit&)>& fn) override;
    std::optional<Act> find_act(const std::string& code) override;
    std::vector<Act> search_acts(const ActQuery& q) override;
    std::int64_t count_acts() override;
    std::optional<Invoice> find_invoice(const std::string& id) override;
    std::vector<Invoice> list_invoices(const InvoiceQuery& q) override;
    StatsRows stats(const Date& from, const Date& to) override;
    bool ping() override { return db_.ping(); }

private:
    db::Database& db_;
};

}  // namespace medisecure::billing
