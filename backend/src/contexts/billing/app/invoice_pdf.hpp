// SPDX-License-Identifier: Apache-2.0
// The printed invoice or credit note (A4 PDF): the practice, the patient (name, address,
// NIR), the practitioner, the lines, totals with the VAT breakdown or the exemption mention,
// payments and the balance due, the number and the dates.
#pragma once

#include <string>

#include "contexts/billing/app/invoice_service.hpp"

namespace medisecure::billing {

/// The French VAT exemption mention for medical care.
inline constexpr const char* kVatExemption = "TVA non applicable – article 261-4-1° du CGI";

std::string render_invoice_pdf(const InvoiceView& view, const PracticeInfo& practice, const TimeZone& tz);

/// "2 84 05 2A 004 123 55" from the 15 stored characters (other lengths unchanged).
std::string format_nir(const std::string& nir);
/// "24/11/2026".
std::string format_date_fr(const Date& d);

}  // namespace medisecure::billing
