// SPDX-License-Identifier: Apache-2.0
// Billing's section of a patient's data export (GDPR art. 15/20): every invoice and credit
// note with its lines and payments as JSON, and the PDF of each issued document.
#pragma once

#include "contexts/billing/app/invoice_service.hpp"
#include "platform/jobs/patient_export.hpp"

namespace medisecure::billing {

class BillingExportSource final : public jobs::PatientDataSource {
public:
    explicit BillingExportSource(InvoiceService& invoices) : invoices_(invoices) {}
    std::string section() const override { return "billing"; }
    /// {"invoices": [...]} oldest first, drafts included (they are data held about the patient).
    boost::json::value export_json(const std::string& patient_id) override;
    /// billing/<number>.pdf for each issued invoice and credit note.
    std::vector<jobs::ExportFile> export_files(const std::string& patient_id) override;

private:
    InvoiceService& invoices_;
};

}  // namespace medisecure::billing
