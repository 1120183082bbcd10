// SPDX-License-Identifier: Apache-2.0
// In-memory practitioner and patient directories, and a mailer that records, for tests.
#pragma once

#include "contexts/appointments/ports/directories.hpp"
#include "platform/mail/mailer.hpp"

#include <mutex>

namespace medisecure::appointments {

class FakePractitioners final : public PractitionerDirectory {
public:
    void add(std::string id, std::string name, bool active = true) {
        std::lock_guard lock(mu_);
        all_.push_back({{std::move(id), std::move(name)}, active});
    }
    std::vector<Practitioner> active() override {
        std::lock_guard lock(mu_);
        std::vector<Practitioner> out;
        for (const auto& [p, on] : all_)
            if (on) out.push_back(p);
        return out;
    }
    std::optional<Practitioner> find_active(const std::string& id) override {
        std::lock_guard lock(mu_);
        for (const auto& [p, on] : all_)
            if (on && p.id == id) return p;
        return std::nullopt;
    }
    std::map<std::string, std::string> display_names(const std::set<std::string>& ids) override {
        std::lock_guard lock(mu_);
        std::map<std::string, std::string> out;
        for (const auto& [p, on] : all_)
            if (ids.count(p.id)) out[p.id] = p.display_name;
        return out;
    }

private:
    std::mutex mu_;
    std::vector<std::pair<Practitioner, bool>> all_;
};

class FakePatients final : public PatientDirectory {
public:
    void add(PatientInfo p) {
        std::lock_guard lock(mu_);
        all_[p.id] = std::move(p);
    }
    std::optional<PatientInfo> find(const std::string& id) override {
        std::lock_guard lock(mu_);
        auto it = all_.find(id);
        if (it == all_.end()) return std::nullopt;
        return it->second;
    }
    std::map<std::string, PatientInfo> find_many(const std::set<std::string>& ids) override {
        std::lock_guard lock(mu_);
        std::map<std::string, PatientInfo> out;
        for (const auto& id : ids)
            if (auto it = all_.find(id); it != all_.end()) out.emplace(id, it->second);
        return out;
    }

private:
    std::mutex mu_;
    std::map<std::string, PatientInfo> all_;
};

class RecordingMailer final : public mail::Mailer {
public:
    Result<void> send(const mail::EmailMessage& m) override {
        std::lock_guard lock(mu_);
        if (fail_with) return Error{*fail_with, "smtp", "refused"};
        sent.push_back(m);
        return {};
    }
    std::optional<ErrorKind> fail_with;
    std::vector<mail::EmailMessage> sent;

private:
    std::mutex mu_;
};

}  // namespace medisecure::appointments
