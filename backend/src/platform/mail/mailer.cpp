// SPDX-License-Identifier: Apache-2.0
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/random.hpp"
#include "core/time.hpp"
#include "platform/crypto/digest.hpp"
#include "platform/mail/mailers.hpp"

namespace medisecure::mail {

namespace {
std::string encoded_word(const std::string& s) {
    bool ascii = std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= 0x20 && c < 0x7f; });
    if (ascii) return s;
    return "=?UTF-8?B?" + crypto::base64_encode(s) + "?=";
}
std::string strip_crlf(std::string s) {
    for (auto& c : s)
        if (c == '\r' || c == '\n') c = ' ';
    return s;
}
}  // namespace

std::string address_of(const std::string& mailbox) {
    auto lt = mailbox.find('<');
    auto gt = mailbox.find('>', lt == std::string::npos ? 0 : lt);
    if (lt != std::string::npos && gt != std::string::npos) return mailbox.substr(lt + 1, gt - lt - 1);
    return mailbox;
}

std::string rfc2822_date(Timestamp t) {
    static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    auto days = std::chrono::floor<std::chrono::days>(t);
    Date d{days};
    std::chrono::weekday wd{days};
    std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::seconds>(t - days)};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02ld:%02ld:%02lld +0000", kDays[wd.c_encoding()],
                  static_cast<unsigned>(d.day()), kMonths[static_cast<unsigned>(d.month()) - 1], static_cast<int>(d.year()),
                  static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                  static_cast<long long>(hms.seconds().count()));
    return buf;
}

std::string render_rfc5322(const EmailMessage& m, const std::string& from, const std::string& date, const std::string& message_id) {
    std::string to = m.to_name.empty() ? m.to : encoded_word(strip_crlf(m.to_name)) + " <" + m.to + ">";
    std::string out;
    out += "From: " + strip_crlf(from) + "\r\n";
    out += "To: " + strip_crlf(to) + "\r\n";
    out += "Subject: " + encoded_word(strip_crlf(m.subject)) + "\r\n";
    out += "Date: " + date + "\r\n";
    out += "Message-ID: <" + message_id + ">\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Content-Type: text/plain; charset=UTF-8\r\n";
    out += "Content-Transfer-Encoding: base64\r\n";
    out += "Content-Language: " + strip_crlf(m.language) + "\r\n";
    out += "Auto-Submitted: auto-generated\r\n\r\n";
    std::string body = crypto::base64_encode(m.text);
    for (std::size_t i = 0; i < body.size(); i += 76) out += body.substr(i, 76) + "\r\n";
    return out;
}

FileMailer::FileMailer(std::string dir, std::string from, const Clock& clock)
    : dir_(std::move(dir)), from_(std::move(from)), clock_(clock) {}

Result<void> FileMailer::send(const EmailMessage& m) {
    std::lock_guard lock(mu_);
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    auto now = clock_.now();
    std::string id = m.message_id_hint.empty() ? new_uuid_v7(now) : m.message_id_hint;
    auto path = std::filesystem::path(dir_) / (std::to_string(to_micros(now)) + "-" + id + ".eml");
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << render_rfc5322(m, from_, rfc2822_date(now), id + "@medisecure");
    if (!out) return unavailable("mail_spool_unwritable", "The mail spool directory cannot be written.");
    out.close();
    ::chmod(path.c_str(), 0600);
    return {};
}

}  // namespace medisecure::mail
