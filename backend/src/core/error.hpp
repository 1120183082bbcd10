// SPDX-License-Identifier: Apache-2.0
// The one error type of MediSecure. Expected outcomes travel as Result<T>; the HTTP layer maps
// ErrorKind to a status in exactly one place (platform/http/problem.cpp).
#pragma once

#include <boost/system/result.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace medisecure {

/// Every kind of expected failure. Adding a kind breaks the build until the HTTP mapping and
/// the catalogue (error_catalogue()) know it (-Werror=switch).
enum class ErrorKind {
    bad_request = 1,         // malformed syntax: broken JSON, bad query string
    invalid_input,           // well-formed but invalid; `fields` says which and why
    unauthenticated,         // no or bad credentials
    forbidden,               // authenticated but not allowed (never used to hide objects)
    not_found,               // unknown, or outside the caller's reach
    method_not_allowed,
    conflict,                // duplicate, state transition refused, concurrent change
    precondition_failed,     // If-Match does not match the current version
    precondition_required,   // If-Match missing on a conditional update
    gone,                    // existed, and is no more (a one-time download already taken)
    payload_too_large,
    request_timeout,         // the request was not received in time (a head sent too slowly)
    unsupported_media_type,
    too_many_requests,       // rate limit or login lockout; `retry_after_s` is set
    unavailable,             // a store or dependency is down; fail closed
    insufficient_storage,    // the disk holding the data is full: writes fail, reads go on
    data_corrupted,          // stored data failed its integrity check (altered or missing)
    internal,                // a bug; the caller sees only the request id
};

struct FieldIssue {
    std::string field;    // JSON pointer into the request, e.g. "/address/postal_code"
    std::string code;     // stable machine code, e.g. "too_long", "invalid_nir_key"
    std::string message;  // human-readable, safe to show; never echoes the value
};

struct Error {
    ErrorKind kind = ErrorKind::internal;
    std::string code;    // stable, fine-grained: "patient.possible_duplicate"
    std::string detail;  // safe to show: no PHI, no SQL, no paths
    std::vector<FieldIssue> fields{};
    int retry_after_s = 0;
    std::string extensions_json{};  // a JSON object whose members join the problem body
};

template <class T>
using Result = boost::system::result<T, Error>;

/// Thrown by Result<T>::value() on an error; reaching it is a bug caught as a 500.
class UnexpectedError : public std::exception {
public:
    explicit UnexpectedError(Error e) : error_(std::move(e)) {}
    const char* what() const noexcept override { return error_.code.c_str(); }
    const Error& error() const { return error_; }

private:
    Error error_;
};

/// Thrown by a store that could not write because its disk (or quota) is full: the request is
/// answered 507 (insufficient_storage), and the next write is tried again as space returns.
class StorageFull : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

struct ErrorKindInfo {
    ErrorKind kind;
    std::string_view slug;   // used in the problem `type`
    std::string_view title;  // the problem `title`
};
/// The catalogue of error kinds, from which docs/errors.md is generated.
const std::vector<ErrorKindInfo>& error_catalogue();
const ErrorKindInfo& info(ErrorKind kind);

Error bad_request(std::string code, std::string detail);
Error invalid_input(std::string code, std::string detail, std::vector<FieldIssue> fields = {});
Error invalid_field(std::string field, std::string code, std::string message);
Error unauthenticated(std::string code, std::string detail);
Error forbidden(std::string code, std::string detail);
Error not_found(std::string code, std::string detail);
Error conflict(std::string code, std::string detail);
Error unavailable(std::string code, std::string detail);
/// The 507 of a write refused because the disk holding the data is full (Retry-After set).
Error storage_full(std::string detail = "The server's storage is full: the change was not saved. Reading goes on; "
                                           "try again once space is freed.");

}  // namespace medisecure
