// SPDX-License-Identifier: Apache-2.0
// Consultations and their prescriptions, with their authorisation (app/access.hpp), audit and
// signature.
//
// - A doctor writes a draft; only its author edits, discards or signs it, each time naming the
//   version read (If-Match). Signing computes an HMAC over the content (domain::signed_content)
//   with the practice's signing key, freezes the encounter, and notifies the patient's portal
//   (an in-app notification job written to the outbox in the same transaction).
// - Prescriptions belong to the encounter and are signed with it: an ordonnance is the
//   document of a consultation, dated and signed once by its prescriber, and a renewal is a new
//   (short) encounter. After signing, only a prescription's status moves (stopped, completed),
//   by any doctor, with who, when and why; its content and the PDF never change.
// - Corrections of a signed encounter are amendments: a new record with its own author, time,
//   text, optional corrected diagnoses and signature; the original stays as it was.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "contexts/audit/app/audit_trail.hpp"
#include "contexts/records/app/access.hpp"
#include "contexts/records/app/code_catalog.hpp"
#include "contexts/records/app/directory.hpp"
#include "contexts/records/ports/records_store.hpp"
#include "core/caller.hpp"
#include "core/timezone.hpp"

namespace medisecure::records {

struct EncounterInput {
    std::string patient_id;
    std::string appointment_id;
    std::optional<Timestamp> occurred_at;  // default: now
    std::string reason;
    SoapNotes notes;
    std::vector<Diagnosis> diagnoses;        // labels may be left empty for known codes
    std::vector<Prescription> prescriptions; // content fields only
};

/// A partial update of a draft: fields that are set change; lists are replaced whole.
struct EncounterPatch {
    std::optional<std::string> appointment_id, reason;
    std::optional<Timestamp> occurred_at;
    std::optional<std::string> subjective, objective, assessment, plan;
    std::optional<std::vector<Diagnosis>> diagnoses;
    std::optional<std::vector<Prescription>> prescriptions;
    std::vector<std::string> fields;  // names present, for the audit trail (never values)
};

struct AmendmentInput {
    std::string text;
    std::vector<Diagnosis> diagnoses;  // a corrected list, or empty
};

/// An encounter as the caller may see it.
struct EncounterRecord {
    Encounter encounter;
    access::View view = access::View::full;  // care: notes other than the plan and amendment texts removed
    bool intact = true;  // every signature present verifies against the stored content
};

struct EncounterPage {
    std::vector<Encounter> items;  // with diagnoses, prescriptions and amendments
    std::optional<TimeCursor> next;
};

struct PrescriptionPdf {
    std::string filename;
    std::string bytes;
};

class EncounterService {
public:
    EncounterService(RecordsStore& store, CodeCatalog& codes, audit::AuditTrail& audit, const Clock& clock,
                     Directory directory, std::string signing_key, Practice practice, const TimeZone& zone);

    Result<EncounterRecord> create(const Caller& caller, EncounterInput input);
    Result<EncounterRecord> get(const Caller& caller, const std::string& id);
    Result<EncounterRecord> update(const Caller& caller, const std::string& id, std::int64_t expected_version,
                                   const EncounterPatch& patch);
    Result<EncounterRecord> sign(const Caller& caller, const std::string& id, std::int64_t expected_version);
    Result<void> discard(const Caller& caller, const std::string& id, std::int64_t expected_version);
    Result<Amendment> amend(const Caller& caller, const std::string& id, AmendmentInput input);

    /// A patient's encounters, newest first (drafts only for doctors).
    Result<EncounterPage> list(const Caller& caller, const std::string& patient_id, std::optional<TimeCursor> before,
                               int limit);
    /// The calling doctor's unsigned drafts, every patient.
    Result<EncounterPage> drafts(const Caller& caller, std::optional<TimeCursor> before, int limit);

    Result<std::vector<Prescription>> prescriptions(const Caller& caller, const std::string& patient_id,
                                                    std::optional<PrescriptionStatus> status);
    Result<Prescription> set_prescription_status(const Caller& caller, const std::string& id,
                                                 std::int64_t expected_version, PrescriptionStatus status,
                                                 std::string reason);
    Result<PrescriptionPdf> prescription_pdf(const Caller& caller, const std::string& encounter_id);

    /// Brings in a signed encounter written elsewhere (demo data, migration from the practice's
    /// previous software) with its original author and times; `system` callers only.
    Result<Encounter> import_signed(const Caller& caller, Encounter e);

    /// For the data export, which authorised its own request: the PDF of a signed encounter
    /// with prescriptions (nullopt otherwise). Not audited here.
    std::optional<PrescriptionPdf> render_pdf(const Encounter& e);
    /// Whether the encounter's and its amendments' signatures verify.
    bool intact(const Encounter& e) const;

    static constexpr int kMaxPageSize = 100;

private:
    std::string seal(const std::string& content) const;
    /// The encounter when the caller may see it; refusals are audited under `action`.
    Result<Encounter> reachable(const Caller& caller, const std::string& id, const char* action);
    std::vector<Prescription> prescriptions_from(const std::vector<Prescription>& input, const Encounter& e);
    EncounterRecord visible(const Caller& caller, Encounter e) const;
    Result<EncounterPage> page(EncounterQuery q, int limit);

    RecordsStore& store_;
    CodeCatalog& codes_;
    audit::AuditTrail& audit_;
    const Clock& clock_;
    Directory directory_;
    std::string signing_key_;
    Practice practice_;
    const TimeZone& zone_;
};

}  // namespace medisecure::records
