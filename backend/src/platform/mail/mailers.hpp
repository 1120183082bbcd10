// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <mutex>

#include "core/clock.hpp"
#include "platform/mail/mailer.hpp"

namespace medisecure::mail {

struct SmtpSettings {
    std::string url;  // smtp://host:port (STARTTLS when offered) or smtps://host:port
    std::string username;
    std::string password;
    std::string from;  // "Cabinet Médical <no-reply@cabinet.fr>"
    bool require_tls = false;
};

class SmtpMailer final : public Mailer {
public:
    SmtpMailer(SmtpSettings s, const Clock& clock);
    Result<void> send(const EmailMessage& m) override;

private:
    SmtpSettings s_;
    const Clock& clock_;
};

/// Development: each message becomes <dir>/<time>-<id>.eml (mode 0600).
class FileMailer final : public Mailer {
public:
    FileMailer(std::string dir, std::string from, const Clock& clock);
    Result<void> send(const EmailMessage& m) override;

private:
    std::string dir_;
    std::string from_;
    const Clock& clock_;
    std::mutex mu_;
};

/// The address part of "Name <addr@x>" (or the whole string).
std::string address_of(const std::string& mailbox);
std::string rfc2822_date(Timestamp t);

}  // namespace medisecure::mail
