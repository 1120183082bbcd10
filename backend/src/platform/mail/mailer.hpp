// SPDX-License-Identifier: Apache-2.0
// The mailer port. Implementations: SmtpMailer (libcurl, any SMTP server), FileMailer (writes
// .eml files into the data directory when no SMTP server is configured, for development).
// Blocking: yes, call from job handlers. Thread safety: safe.
#pragma once

#include <string>

#include "core/error.hpp"

namespace medisecure::mail {

struct EmailMessage {
    std::string to;        // one address
    std::string to_name;
    std::string subject;   // UTF-8
    std::string text;      // UTF-8 plain text body
    std::string language = "fr";  // Content-Language
    std::string message_id_hint;  // stable id (e.g. the job id) so retries are recognisable
};

class Mailer {
public:
    virtual ~Mailer() = default;
    /// @return unavailable when the server cannot be reached or refuses temporarily (retry),
    ///         invalid_input when the message cannot be sent as it is (do not retry).
    virtual Result<void> send(const EmailMessage& m) = 0;
};

/// RFC 5322 message text (headers + body), UTF-8 with encoded-word subject; shared by mailers.
std::string render_rfc5322(const EmailMessage& m, const std::string& from, const std::string& date_rfc2822,
                           const std::string& message_id);

}  // namespace medisecure::mail
