// SPDX-License-Identifier: Apache-2.0
#include "contexts/billing/app/billing_export.hpp"

#include <boost/json.hpp>

#include "contexts/billing/app/billing_json.hpp"

namespace medisecure::billing {

boost::json::value BillingExportSource::export_json(const std::string& patient_id) {
    boost::json::array items;
    for (const auto& v : invoices_.documents_of(patient_id)) items.push_back(invoice_json(v, true));
    return boost::json::object{{"invoices", std::move(items)}};
}

std::vector<jobs::ExportFile> BillingExportSource::export_files(const std::string& patient_id) {
    std::vector<jobs::ExportFile> files;
    for (const auto& v : invoices_.documents_of(patient_id)) {
        if (v.invoice.is_draft()) continue;
        auto pdf = invoices_.render_pdf(v);
        files.push_back({"billing/" + pdf.filename, std::move(pdf.bytes)});
    }
    return files;
}

}  // namespace medisecure::billing
