// SPDX-License-Identifier: Apache-2.0
#include <curl/curl.h>

#include <cstring>

#include "core/random.hpp"
#include "platform/mail/mailers.hpp"

namespace medisecure::mail {

namespace {
struct Upload {
    const std::string& data;
    std::size_t pos = 0;
};
std::size_t read_cb(char* buf, std::size_t size, std::size_t n, void* user) {
    auto* u = static_cast<Upload*>(user);
    std::size_t len = std::min(size * n, u->data.size() - u->pos);
    std::memcpy(buf, u->data.data() + u->pos, len);
    u->pos += len;
    return len;
}
}  // namespace

SmtpMailer::SmtpMailer(SmtpSettings s, const Clock& clock) : s_(std::move(s)), clock_(clock) {}

Result<void> SmtpMailer::send(const EmailMessage& m) {
    auto now = clock_.now();
    std::string id = (m.message_id_hint.empty() ? new_uuid_v7(now) : m.message_id_hint) + "@medisecure";
    std::string message = render_rfc5322(m, s_.from, rfc2822_date(now), id);
    CURL* c = curl_easy_init();
    if (!c) return unavailable("smtp_unavailable", "The mail server cannot be reached.");
    std::string from = "<" + address_of(s_.from) + ">";
    std::string to = "<" + m.to + ">";
    curl_slist* rcpt = curl_slist_append(nullptr, to.c_str());
    Upload up{message};
    curl_easy_setopt(c, CURLOPT_URL, s_.url.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_READDATA, &up);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USE_SSL, s_.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY);
    if (!s_.username.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, s_.username.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, s_.password.c_str());
    }
    CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    if (rc == CURLE_OK) return {};
    // 5xx is a refusal of this message (unknown mailbox...): retrying will not help.
    if (code >= 500 && code < 600)
        return invalid_input("smtp_rejected", "The mail server refused the message (" + std::to_string(code) + ").");
    return unavailable("smtp_unavailable", std::string("The mail server cannot be reached: ") + curl_easy_strerror(rc));
}

}  // namespace medisecure::mail
