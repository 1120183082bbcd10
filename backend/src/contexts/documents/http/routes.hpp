// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "contexts/documents/app/document_service.hpp"
#include "platform/http/router.hpp"

namespace medisecure::documents {

void add_routes(http::Router& router, DocumentService& service, std::size_t max_upload_bytes);

}  // namespace medisecure::documents
