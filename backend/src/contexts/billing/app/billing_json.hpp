// SPDX-License-Identifier: Apache-2.0
// The JSON forms of billing's objects, shared by the HTTP API and the patient's data export
// so that both always say the same thing. Amounts are integer cents; dates YYYY-MM-DD;
// instants UTC ISO 8601; absent optional values are null.
#pragma once

#include <boost/json/object.hpp>

#include "contexts/billing/app/act_catalogue.hpp"
#include "contexts/billing/app/invoice_service.hpp"

namespace medisecure::billing {

boost::json::object act_json(const Act& a);
boost::json::object payment_json(const Payment& p);
/// `detailed` adds lines, the VAT breakdown and payments (a list shows headers only).
boost::json::object invoice_json(const InvoiceView& v, bool detailed);
boost::json::object stats_json(const BillingStats& s);

}  // namespace medisecure::billing
