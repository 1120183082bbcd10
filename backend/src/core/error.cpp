// SPDX-License-Identifier: Apache-2.0
// Error catalogue and constructors.
#include "core/error.hpp"

#include <stdexcept>

namespace medisecure {

void throw_exception_from_error(const Error& e, const boost::source_location&) {
    throw UnexpectedError(e);
}

const std::vector<ErrorKindInfo>& error_catalogue() {
    static const std::vector<ErrorKindInfo> all = {
        {ErrorKind::bad_request, "bad-request", "Malformed request"},
        {ErrorKind::invalid_input, "invalid-input", "Invalid input"},
        {ErrorKind::unauthenticated, "unauthenticated", "Authentication required"},
        {ErrorKind::forbidden, "forbidden", "Not allowed"},
        {ErrorKind::not_found, "not-found", "Not found"},
        {ErrorKind::method_not_allowed, "method-not-allowed", "Method not allowed"},
        {ErrorKind::conflict, "conflict", "Conflict"},
        {ErrorKind::precondition_failed, "precondition-failed", "Resource has changed"},
        {ErrorKind::precondition_required, "precondition-required", "If-Match required"},
        {ErrorKind::gone, "gone", "No longer available"},
        {ErrorKind::payload_too_large, "payload-too-large", "Payload too large"},
        {ErrorKind::request_timeout, "request-timeout", "Request not received in time"},
        {ErrorKind::unsupported_media_type, "unsupported-media-type", "Unsupported media type"},
        {ErrorKind::too_many_requests, "too-many-requests", "Too many requests"},
        {ErrorKind::unavailable, "unavailable", "Service unavailable"},
        {ErrorKind::insufficient_storage, "insufficient-storage", "Insufficient storage"},
        {ErrorKind::data_corrupted, "data-corrupted", "Stored data failed its integrity check"},
        {ErrorKind::internal, "internal", "Internal error"},
    };
    return all;
}

const ErrorKindInfo& info(ErrorKind kind) {
    for (const auto& i : error_catalogue())
        if (i.kind == kind) return i;
    throw std::logic_error("error kind missing from the catalogue");
}

Error bad_request(std::string code, std::string detail) {
    return {ErrorKind::bad_request, std::move(code), std::move(detail)};
}
Error invalid_input(std::string code, std::string detail, std::vector<FieldIssue> fields) {
    return {ErrorKind::invalid_input, std::move(code), std::move(detail), std::move(fields)};
}
Error invalid_field(std::string field, std::string code, std::string message) {
    return {ErrorKind::invalid_input,
            "validation_failed",
            "The request has invalid fields.",
            {FieldIssue{std::move(field), std::move(code), std::move(message)}}};
}
Error unauthenticated(std::string code, std::string detail) {
    return {ErrorKind::unauthenticated, std::move(code), std::move(detail)};
}
Error forbidden(std::string code, std::string detail) {
    return {ErrorKind::forbidden, std::move(code), std::move(detail)};
}
Error not_found(std::string code, std::string detail) {
    return {ErrorKind::not_found, std::move(code), std::move(detail)};
}
Error conflict(std::string code, std::string detail) {
    return {ErrorKind::conflict, std::move(code), std::move(detail)};
}
Error unavailable(std::string code, std::string detail) {
    return {ErrorKind::unavailable, std::move(code), std::move(detail)};
}

Error storage_full(std::string detail) {
    Error e{ErrorKind::insufficient_storage, "storage_full", std::move(detail)};
    e.retry_after_s = 30;
    return e;
}

}  // namespace medisecure
