// SPDX-License-Identifier: Apache-2.0
// RFC 9457 problem details: the one mapping from ErrorKind to HTTP status, and the body.
#pragma once

#include "core/error.hpp"
#include "platform/http/types.hpp"
#include "platform/json/schema.hpp"

namespace medisecure::http {

int to_status(ErrorKind kind);
/// `instance` is the request id; a 500 carries nothing else from the error.
Response problem(const Error& e, std::string_view request_id);
/// The documented schema of a problem body (components/schemas/Problem).
const schema::Schema& problem_schema();
/// The problem object with extension members, for a route that documents a problem of its own
/// (e.g. the duplicate candidates of a 409).
schema::Schema problem_object(std::vector<schema::Property> extensions);

}  // namespace medisecure::http
