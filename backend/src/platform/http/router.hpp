// SPDX-License-Identifier: Apache-2.0
// The route table. Each route carries its access rule and its documentation (parameters, body
// and response schemas, errors), from which /openapi.json is generated: the document is the
// code. Matching separates 404 (no such path) from 405 (path exists, method does not).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "platform/http/types.hpp"
#include "platform/json/schema.hpp"

namespace medisecure::http {

using Handler = std::function<Response(Request&)>;

/// Who may call a route. Per-object rules (a patient reaches only their own record) are the
/// use case's job; this is the coarse, per-role gate checked before the handler runs.
struct Access {
    bool authenticated = true;
    std::vector<Role> roles;             // empty: any authenticated role
    bool open_during_enrolment = false;  // reachable while TOTP enrolment is pending

    static Access anyone() { return {false, {}, true}; }
    static Access signed_in() { return {true, {}, false}; }
    static Access roles_of(std::vector<Role> r) { return {true, std::move(r), false}; }
    Access during_enrolment() const {
        auto a = *this;
        a.open_during_enrolment = true;
        return a;
    }
    bool allows(Role r) const;
};

enum class ParamIn { path, query, header };

struct Param {
    std::string name;
    ParamIn in = ParamIn::query;
    schema::Schema schema = schema::Schema::string();
    bool required = false;
    std::string description;
};

struct BodyDoc {
    schema::Schema schema;
    std::string description;
    std::string content_type = "application/json";
    bool required = true;  // when false, an empty body skips parsing and validation
};

struct ResponseDoc {
    int status = 200;
    std::string description;
    std::optional<schema::Schema> schema;
    std::string content_type = "application/json";
    std::vector<std::string> headers;  // documented response headers (e.g. ETag)
};

/// Rate-limit class: `auth` routes (login, refresh) get the stricter per-IP budget.
enum class RateClass { standard, auth, none };

struct Route {
    Method method = Method::get;
    std::string path;  // template: /api/v1/patients/{id}
    std::string operation_id;
    std::string summary;
    std::string description;
    std::string tag;
    Access access;
    std::vector<Param> params;
    std::optional<BodyDoc> body;
    std::vector<ResponseDoc> responses;
    std::vector<int> errors;  // documented error statuses beyond those implied by the route
    std::size_t body_limit = 0;  // 0: the server default
    bool streamed_body = false;  // the body is spooled (encrypted) to disk: req.spooled_body
    RateClass rate = RateClass::standard;
    /// The handler never waits for long: in-memory work, queued audit records and at most a few
    /// indexed reads. The transport then runs it on the connection's own thread instead of
    /// handing it to the worker pool and back (two thread switches per request).
    bool light = false;
    /// Touches nothing outside the process (no store, not even the cache's): it runs on the
    /// connection's thread whatever the engines, where `light` routes do so only when what they
    /// read is in-process.
    bool in_process = false;
    /// Light for this request only when it says so: e.g. a search whose answer is cached. Runs
    /// on the connection's thread before authentication, so it must be cheap and must not
    /// decide anything but where the handler runs.
    std::function<bool(const Request&)> light_when;
    Handler handler;
};

struct Match {
    const Route* route = nullptr;
    std::vector<std::pair<std::string, std::string>> params;
    std::vector<Method> allowed;  // when the path exists but the method does not: 405
};

class Router {
public:
    /// Throws std::logic_error on a duplicate (method, path) or a malformed template.
    void add(Route r);
    Match match(Method m, std::string_view path) const;
    const std::vector<Route>& routes() const { return routes_; }
    std::size_t index_of(const Route* r) const { return static_cast<std::size_t>(r - routes_.data()); }
    /// Call once every route is added; afterwards Route pointers are stable.
    void freeze() { frozen_ = true; }

private:
    std::vector<Route> routes_;
    std::vector<std::vector<std::string>> segments_;
    bool frozen_ = false;
};

std::vector<std::string> split_path(std::string_view path);

}  // namespace medisecure::http
