// SPDX-License-Identifier: Apache-2.0
#include "contexts/documents/adapters/s3/s3_blob_store.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "core/random.hpp"
#include "platform/crypto/digest.hpp"
#include "platform/http/url.hpp"
#include "platform/log/log.hpp"

namespace medisecure::documents {

namespace {

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
    static_cast<std::string*>(user)->append(data, size * n);
    return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
    auto* r = static_cast<S3BlobStore::Response*>(user);
    std::string_view line(data, size * n);
    auto colon = line.find(':');
    if (colon != std::string_view::npos) {
        std::string name(line.substr(0, colon));
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.remove_suffix(1);
        if (name == "etag") r->etag = std::string(value);
        if (name == "content-length") r->content_length = std::strtoull(std::string(value).c_str(), nullptr, 10);
    }
    return size * n;
}

/// The text of the first <tag>…</tag> in an S3 XML answer.
std::string xml_value(const std::string& xml, const std::string& tag) {
    auto start = xml.find("<" + tag + ">");
    if (start == std::string::npos) return "";
    start += tag.size() + 2;
    auto end = xml.find("</" + tag + ">", start);
    return end == std::string::npos ? "" : xml.substr(start, end - start);
}

std::string describe(const S3BlobStore::Response& r) {
    std::string code = xml_value(r.body, "Code");
    return "HTTP " + std::to_string(r.status) + (code.empty() ? "" : " " + code);
}

class S3Writer final : public BlobWriter {
public:
    S3Writer(S3BlobStore& store, std::string key, std::size_t part_bytes)
        : store_(store), key_(std::move(key)), part_bytes_(part_bytes) {}
    ~S3Writer() override {
        if (committed_ || upload_id_.empty()) return;
        // Dropped without commit: nothing half-written stays in the bucket.
        try {
            store_.request("DELETE", key_, "uploadId=" + http::percent_encode(upload_id_));
        } catch (const std::exception& e) {
            log::warn("s3.abort_failed", {{"error", e.what()}});
        }
    }
    S3Writer(const S3Writer&) = delete;
    S3Writer& operator=(const S3Writer&) = delete;

    void write(const char* data, std::size_t n) override {
        while (n > 0) {
            std::size_t take = std::min(n, part_bytes_ - buffer_.size());
            buffer_.append(data, take);
            data += take;
            n -= take;
            if (buffer_.size() == part_bytes_) send_part();
        }
    }

    void commit() override {
        if (upload_id_.empty()) {
            auto r = store_.request("PUT", key_, "", buffer_);
            if (r.status != 200) throw S3Error("s3: cannot store an object: " + describe(r));
        } else {
            if (!buffer_.empty()) send_part();
            std::string xml = "<CompleteMultipartUpload>";
            for (std::size_t i = 0; i < etags_.size(); ++i)
                xml += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" + etags_[i] + "</ETag></Part>";
            xml += "</CompleteMultipartUpload>";
            auto r = store_.request("POST", key_, "uploadId=" + http::percent_encode(upload_id_), xml);
            // S3 may answer 200 and still report an error in the body.
            if (r.status != 200 || r.body.find("<Error>") != std::string::npos)
                throw S3Error("s3: cannot complete an upload: " + describe(r));
        }
        committed_ = true;
        buffer_.clear();
    }

private:
    void send_part() {
        if (upload_id_.empty()) {
            auto r = store_.request("POST", key_, "uploads=");
            upload_id_ = xml_value(r.body, "UploadId");
            if (r.status != 200 || upload_id_.empty()) throw S3Error("s3: cannot start an upload: " + describe(r));
        }
        const std::string query =
            "partNumber=" + std::to_string(etags_.size() + 1) + "&uploadId=" + http::percent_encode(upload_id_);
        auto r = store_.request("PUT", key_, query, buffer_);
        if (r.status != 200 || r.etag.empty()) throw S3Error("s3: cannot store a part: " + describe(r));
        etags_.push_back(r.etag);
        buffer_.clear();
    }

    S3BlobStore& store_;
    std::string key_;
    std::size_t part_bytes_;
    std::string buffer_;
    std::string upload_id_;
    std::vector<std::string> etags_;
    bool committed_ = false;
};

class S3Reader final : public BlobReader {
public:
    S3Reader(S3BlobStore& store, std::string key, std::uint64_t size, std::size_t range_bytes)
        : store_(store), key_(std::move(key)), size_(size), range_bytes_(range_bytes) {}

    std::size_t read(char* out, std::size_t cap) override {
        if (pos_ == buffer_.size()) {
            if (offset_ >= size_) return 0;
            const std::uint64_t last = std::min<std::uint64_t>(size_, offset_ + range_bytes_) - 1;
            auto r = store_.request("GET", key_, "", {}, "bytes=" + std::to_string(offset_) + "-" + std::to_string(last));
            if (r.status != 206 && r.status != 200) throw S3Error("s3: cannot read an object: " + describe(r));
            if (r.status == 200 && offset_ > 0) throw S3Error("s3: the store ignored a range request");
            buffer_ = std::move(r.body);
            pos_ = 0;
            if (buffer_.empty()) throw S3Error("s3: an object ended before its length");
            offset_ += buffer_.size();
        }
        std::size_t n = std::min(cap, buffer_.size() - pos_);
        std::copy_n(buffer_.data() + pos_, n, out);
        pos_ += n;
        return n;
    }

private:
    S3BlobStore& store_;
    std::string key_;
    std::uint64_t size_;
    std::size_t range_bytes_;
    std::uint64_t offset_ = 0;
    std::string buffer_;
    std::size_t pos_ = 0;
};

struct CurlGlobal {
    CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

}  // namespace

std::optional<S3Target> parse_s3_url(std::string_view url, std::string* error) {
    auto fail = [&](const std::string& why) -> std::optional<S3Target> {
        if (error) *error = why;
        return std::nullopt;
    };
    constexpr std::string_view scheme = "s3://";
    if (url.substr(0, scheme.size()) != scheme) return fail("must start with s3://");
    std::string_view rest = url.substr(scheme.size());
    auto q = rest.find('?');
    S3Target t;
    t.bucket = std::string(rest.substr(0, q));
    if (t.bucket.empty() || t.bucket.find('/') != std::string::npos) return fail("names one bucket: s3://bucket?endpoint=…");
    std::string_view params = q == std::string_view::npos ? std::string_view{} : rest.substr(q + 1);
    while (!params.empty()) {
        auto amp = params.find('&');
        std::string_view pair = params.substr(0, amp);
        params = amp == std::string_view::npos ? std::string_view{} : params.substr(amp + 1);
        auto eq = pair.find('=');
        std::string name(pair.substr(0, eq));
        auto value = http::percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), false);
        if (!value) return fail("bad percent-encoding in " + name);
        if (name == "endpoint") t.endpoint = *value;
        else if (name == "region") t.region = *value;
        else if (name == "path_style") t.path_style = *value != "0" && *value != "false";
        else if (name == "ca_file") t.ca_file = *value;
        else return fail("unknown parameter " + name);
    }
    if (t.endpoint.rfind("http://", 0) != 0 && t.endpoint.rfind("https://", 0) != 0)
        return fail("endpoint=http(s)://host[:port] is required");
    while (!t.endpoint.empty() && t.endpoint.back() == '/') t.endpoint.pop_back();
    if (t.region.empty()) return fail("region must not be empty");
    return t;
}

S3BlobStore::S3BlobStore(S3Target target, S3Options options) : target_(std::move(target)), opt_(options) {
    static CurlGlobal global;
    opt_.part_bytes = std::max<std::size_t>(opt_.part_bytes, 5 << 20);
}

std::string S3BlobStore::url_of(const std::string& key, const std::string& query) const {
    std::string base = target_.endpoint;
    if (target_.path_style) {
        base += "/" + target_.bucket;
    } else {
        auto host = base.find("://") + 3;
        base.insert(host, target_.bucket + ".");
    }
    if (!key.empty()) base += "/" + http::percent_encode(key);
    if (!query.empty()) base += "?" + query;
    return base;
}

S3BlobStore::Response S3BlobStore::request(const std::string& method, const std::string& key, const std::string& query,
                                           std::string_view body, const std::string& range) {
    const std::string url = url_of(key, query);
    const std::string sigv4 = "aws:amz:" + target_.region + ":s3";
    const std::string payload_hash = "x-amz-content-sha256: " + crypto::sha256_hex(body);
    std::string last_error;
    auto delay = opt_.backoff;
    for (int attempt = 1; attempt <= std::max(1, opt_.attempts); ++attempt) {
        Response r;
        CURL* h = curl_easy_init();
        if (!h) throw S3Error("s3: cannot make a request");
        curl_slist* headers = nullptr;
        headers = curl_slist_append(headers, payload_hash.c_str());
        // No "Expect:" to suppress 100-continue: curl would sign the empty header and not send it.
        if (method == "PUT" || method == "POST") headers = curl_slist_append(headers, "Content-Type: application/octet-stream");
        if (!range.empty()) headers = curl_slist_append(headers, ("Range: " + range).c_str());
        curl_easy_setopt(h, CURLOPT_URL, url.c_str());
        curl_easy_setopt(h, CURLOPT_AWS_SIGV4, sigv4.c_str());
        curl_easy_setopt(h, CURLOPT_USERNAME, target_.access_key_id.c_str());
        curl_easy_setopt(h, CURLOPT_PASSWORD, target_.secret_access_key.c_str());
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(opt_.connect_timeout.count()));
        curl_easy_setopt(h, CURLOPT_TIMEOUT, static_cast<long>(opt_.request_timeout.count()));
        if (!target_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, target_.ca_file.c_str());
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &r.body);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &r);
        if (method == "HEAD") {
            curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
        } else if (method == "PUT" || method == "POST") {
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
            if (method == "PUT") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT");
        } else if (method != "GET") {
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
        }
        CURLcode rc = curl_easy_perform(h);
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
        curl_slist_free_all(headers);
        curl_easy_cleanup(h);
        if (rc == CURLE_OK && r.status < 500) return r;
        last_error = rc != CURLE_OK ? std::string(curl_easy_strerror(rc)) : describe(r);
        if (attempt < opt_.attempts) {
            std::this_thread::sleep_for(delay);
            delay *= 2;
        }
    }
    throw S3Error("s3: " + method + " failed: " + last_error);
}

std::string S3BlobStore::new_key() {
    unsigned char b[16];
    random_bytes(b, sizeof b);
    return to_hex(b, sizeof b);
}

std::unique_ptr<BlobWriter> S3BlobStore::create(const std::string& key) {
    return std::make_unique<S3Writer>(*this, key, opt_.part_bytes);
}

std::unique_ptr<BlobReader> S3BlobStore::open(const std::string& key) {
    auto r = request("HEAD", key, "");
    if (r.status == 404) return nullptr;
    if (r.status != 200 || !r.content_length) throw S3Error("s3: cannot open an object: " + describe(r));
    return std::make_unique<S3Reader>(*this, key, *r.content_length, opt_.range_bytes);
}

void S3BlobStore::remove(const std::string& key) {
    auto r = request("DELETE", key, "");
    if (r.status != 204 && r.status != 200 && r.status != 404) throw S3Error("s3: cannot remove an object: " + describe(r));
}

bool S3BlobStore::ping() {
    try {
        return request("HEAD", "", "").status == 200;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace medisecure::documents
