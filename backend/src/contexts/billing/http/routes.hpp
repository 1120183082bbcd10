// SPDX-License-Identifier: Apache-2.0
// Billing over HTTP: /api/v1/billing/acts (catalogue), /api/v1/invoices (invoices, credit
// notes, payments, PDF) and /api/v1/billing/stats.
#pragma once

#include "contexts/billing/app/act_catalogue.hpp"
#include "contexts/billing/app/invoice_service.hpp"
#include "platform/http/router.hpp"

namespace medisecure::billing {

void add_act_routes(http::Router& router, ActCatalogue& acts);
void add_invoice_routes(http::Router& router, InvoiceService& invoices);

/// The `limit` query parameter (already validated as an integer >= 1), or `fallback`.
int query_limit(const http::Request& r, int fallback);

inline void add_routes(http::Router& router, ActCatalogue& acts, InvoiceService& invoices) {
    add_act_routes(router, acts);
    add_invoice_routes(router, invoices);
}

}  // namespace medisecure::billing
