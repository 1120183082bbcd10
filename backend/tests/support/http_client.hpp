// SPDX-License-Identifier: Apache-2.0
// A small HTTP/1.1 client over libcurl for the API tests: real sockets, keep-alive, an
// optional cookie jar, and access to every response header.
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <future>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace medisecure::testkit {

struct HttpResult {
    long status = 0;
    std::multimap<std::string, std::string> headers;  // names lower-cased
    std::string body;
    std::string header(const std::string& lower_name) const;
    std::vector<std::string> all(const std::string& lower_name) const;
    /// The body parsed once; the reference lives as long as this result.
    const boost::json::value& json() const;
    /// The `code` member of a problem+json body ("" otherwise).
    std::string code() const;

private:
    mutable std::optional<boost::json::value> parsed_;
};

class HttpClient {
public:
    /// With `cookies`, a browser on the server's own pages: a cookie jar, and the Fetch Metadata
    /// header such a browser sends (`Sec-Fetch-Site: same-origin`) unless the test sends its own
    /// Origin or Sec-Fetch-Site.
    explicit HttpClient(std::string base_url, bool cookies = false);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;
    HttpClient(HttpClient&& other) noexcept
        : bearer(std::move(other.bearer)), base_(std::move(other.base_)), curl_(other.curl_), cookies_(other.cookies_) {
        other.curl_ = nullptr;
    }

    /// Sent as "Authorization: Bearer <token>" when not empty.
    std::string bearer;

    HttpResult request(const std::string& method, const std::string& path, const std::string& body = "",
                       std::vector<std::string> headers = {}, const std::string& content_type = "application/json");
    HttpResult get(const std::string& path, std::vector<std::string> headers = {}) { return request("GET", path, "", std::move(headers)); }
    HttpResult post(const std::string& path, const std::string& body, std::vector<std::string> headers = {}) {
        return request("POST", path, body, std::move(headers));
    }
    HttpResult patch(const std::string& path, const std::string& body, std::vector<std::string> headers = {}) {
        return request("PATCH", path, body, std::move(headers));
    }
    HttpResult del(const std::string& path, std::vector<std::string> headers = {}) { return request("DELETE", path, "", std::move(headers)); }
    /// The value of a cookie in the jar ("" when absent).
    std::string cookie(const std::string& name);

private:
    std::string base_;
    void* curl_;
    bool cookies_ = false;
};

/// Percent-encodes a query value.
std::string url_encode(const std::string& s);

/// Reads a server-sent event stream until `until` appears or `timeout` passes; returns what came.
/// `connected` (optional) is set once the first bytes arrived (the stream is open).
std::string read_event_stream(const std::string& url, const std::string& token, const std::string& until,
                              std::chrono::seconds timeout, std::promise<void>* connected = nullptr);

}  // namespace medisecure::testkit

namespace boost::json {
/// Lets tests compare JSON strings with std::string directly.
inline bool operator==(const value& v, const std::string& s) { return v.is_string() && v.get_string() == s; }
inline bool operator==(const std::string& s, const value& v) { return v == s; }
inline bool operator==(const value& v, const char* s) { return v.is_string() && v.get_string() == s; }
}  // namespace boost::json
