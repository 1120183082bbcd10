// SPDX-License-Identifier: Apache-2.0
#include "http_client.hpp"

#include <strings.h>

#include <algorithm>

#include <future>

#include <curl/curl.h>

#include <boost/json.hpp>
#include <stdexcept>

namespace medisecure::testkit {

namespace {
std::size_t on_body(char* p, std::size_t size, std::size_t n, void* user) {
    static_cast<std::string*>(user)->append(p, size * n);
    return size * n;
}
std::size_t on_header(char* p, std::size_t size, std::size_t n, void* user) {
    auto* r = static_cast<HttpResult*>(user);
    std::string line(p, size * n);
    if (line.rfind("HTTP/", 0) == 0) r->headers.clear();  // a new response (after 100 Continue)
    auto colon = line.find(':');
    if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
        r->headers.emplace(name, value);
    }
    return size * n;
}
}  // namespace

std::string HttpResult::header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
}

std::vector<std::string> HttpResult::all(const std::string& name) const {
    std::vector<std::string> out;
    auto [b, e] = headers.equal_range(name);
    for (auto it = b; it != e; ++it) out.push_back(it->second);
    return out;
}

const boost::json::value& HttpResult::json() const {
    if (!parsed_) {
        boost::system::error_code ec;
        auto v = boost::json::parse(body, ec);
        if (ec) throw std::runtime_error("response is not JSON: " + body.substr(0, 200));
        parsed_ = std::move(v);
    }
    return *parsed_;
}

std::string HttpResult::code() const {
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    if (ec || !v.is_object()) return {};
    auto* c = v.as_object().if_contains("code");
    return c && c->is_string() ? std::string(c->as_string()) : std::string();
}

HttpClient::HttpClient(std::string base_url, bool cookies)
    : base_(std::move(base_url)), curl_(curl_easy_init()), cookies_(cookies) {
    if (!curl_) throw std::runtime_error("curl_easy_init failed");
    if (cookies) curl_easy_setopt(static_cast<CURL*>(curl_), CURLOPT_COOKIEFILE, "");
}

HttpClient::~HttpClient() {
    if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

HttpResult HttpClient::request(const std::string& method, const std::string& path, const std::string& body,
                               std::vector<std::string> headers, const std::string& content_type) {
    CURL* c = static_cast<CURL*>(curl_);
    HttpResult r;
    std::string url = base_ + path;
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(c, CURLOPT_NOBODY, method == "HEAD" ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT") {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
        if (!content_type.empty()) headers.push_back("Content-Type: " + content_type);
    } else {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
    if (!bearer.empty()) headers.push_back("Authorization: Bearer " + bearer);
    auto sent = [&](std::string_view name) {
        return std::any_of(headers.begin(), headers.end(), [&](const std::string& h) {
            return h.size() > name.size() && h[name.size()] == ':' && ::strncasecmp(h.data(), name.data(), name.size()) == 0;
        });
    };
    if (cookies_ && !sent("Origin") && !sent("Sec-Fetch-Site")) headers.push_back("Sec-Fetch-Site: same-origin");
    headers.push_back("Expect:");  // no 100-continue round trip unless a test asks for it
    curl_slist* list = nullptr;
    for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(list);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, nullptr);
    if (rc != CURLE_OK) throw std::runtime_error(std::string("HTTP request failed: ") + curl_easy_strerror(rc));
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    return r;
}

std::string HttpClient::cookie(const std::string& name) {
    CURL* c = static_cast<CURL*>(curl_);
    curl_slist* cookies = nullptr;
    curl_easy_getinfo(c, CURLINFO_COOKIELIST, &cookies);
    std::string value;
    for (auto* n = cookies; n; n = n->next) {
        // Netscape format: domain, flag, path, secure, expiry, name, value (tab-separated)
        std::string line = n->data;
        std::vector<std::string> parts;
        std::size_t start = 0;
        for (std::size_t i = 0; i <= line.size(); ++i)
            if (i == line.size() || line[i] == '\t') {
                parts.push_back(line.substr(start, i - start));
                start = i + 1;
            }
        if (parts.size() >= 7 && parts[5] == name) value = parts[6];
    }
    curl_slist_free_all(cookies);
    return value;
}

std::string url_encode(const std::string& s) {
    char* e = curl_easy_escape(nullptr, s.c_str(), static_cast<int>(s.size()));
    std::string out = e ? e : "";
    curl_free(e);
    return out;
}

/// Reads a server-sent event stream until `until` appears or `timeout` passes; returns what came.
std::string read_event_stream(const std::string& url, const std::string& token, const std::string& until,
                        std::chrono::seconds timeout, std::promise<void>* connected) {
    struct State {
        std::string data;
        std::string until;
        std::promise<void>* connected;
        bool signalled = false;
    } st{"", until, connected};
    CURL* c = curl_easy_init();
    std::string auth = "Authorization: Bearer " + token;
    curl_slist* h = curl_slist_append(nullptr, auth.c_str());
    h = curl_slist_append(h, "Accept: text/event-stream");
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(timeout.count()));
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &st);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, +[](char* p, std::size_t s, std::size_t n, void* u) -> std::size_t {
        auto* state = static_cast<State*>(u);
        state->data.append(p, s * n);
        if (state->connected && !state->signalled) {
            state->signalled = true;
            state->connected->set_value();
        }
        return state->data.find(state->until) == std::string::npos ? s * n : 0;  // 0 ends the transfer
    });
    curl_easy_perform(c);
    if (st.connected && !st.signalled) st.connected->set_value();
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return st.data;
}

}  // namespace medisecure::testkit
