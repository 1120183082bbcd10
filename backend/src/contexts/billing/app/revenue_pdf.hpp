// SPDX-License-Identifier: Apache-2.0
// The revenue report (A4 PDF) of a month or a year: totals, then per practitioner and per
// payment method, and month by month for a year. Amounts as the statistics endpoint gives them.
#pragma once

#include <string>

#include "contexts/billing/app/invoice_service.hpp"

namespace medisecure::billing {

/// `generated` is the local time printed in the footer ("24/11/2026 à 09:30").
std::string render_revenue_pdf(const BillingStats& stats, const PracticeInfo& practice, const std::string& generated);
/// "chiffre-affaires-2026-11.pdf" or "chiffre-affaires-2026.pdf".
std::string revenue_report_filename(int year, std::optional<unsigned> month);

}  // namespace medisecure::billing
