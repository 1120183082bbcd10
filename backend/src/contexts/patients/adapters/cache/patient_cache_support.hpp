// SPDX-License-Identifier: Apache-2.0
// What the patient caches share: the unit of work that remembers which patients a transaction
// changed (their invalidation list), and the key of a search query.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "contexts/patients/ports/patient_store.hpp"

namespace medisecure::patients {

/// Passes every operation through and remembers which patients the transaction changed.
class RecordingUnit final : public PatientUnit {
public:
    RecordingUnit(PatientUnit& inner, std::vector<std::string>& touched) : inner_(inner), touched_(touched) {}
    std::vector<DuplicateCandidate> find_duplicates(const Patient& p) override { return inner_.find_duplicates(p); }
    std::int64_t next_mrn_sequence() override { return inner_.next_mrn_sequence(); }
    void insert(const Patient& p) override {
        touched_.push_back(p.id);
        inner_.insert(p);
    }
    std::optional<Patient> find(const std::string& id) override { return inner_.find(id); }
    bool update(const Patient& p) override {
        touched_.push_back(p.id);
        return inner_.update(p);
    }

private:
    PatientUnit& inner_;
    std::vector<std::string>& touched_;
};

/// `inner.write(fn)`; then, after the commit, the rollback or the exception alike, calls
/// `invalidate(ids)` with the ids of the patients the transaction changed, before returning.
/// `invalidate` must not throw.
template <class Invalidate>
Result<Patient> write_then_invalidate(PatientStore& inner, const std::function<Result<Patient>(PatientUnit&)>& fn,
                                      Invalidate&& invalidate) {
    std::vector<std::string> touched;
    struct Guard {
        Invalidate& invalidate;
        std::vector<std::string>& ids;
        ~Guard() { invalidate(ids); }
    } guard{invalidate, touched};
    return inner.write([&](PatientUnit& unit) {
        RecordingUnit recording(unit, touched);
        return fn(recording);
    });
}

/// The whole query as one string: equal queries, equal keys (separators no field contains).
inline std::string search_key(const PatientQuery& q) {
    std::string k;
    for (const auto& t : q.terms) k += t + '\x1f';
    k += '\x1e' + (q.birth_date ? format_date(*q.birth_date) : std::string()) + '\x1f' + q.mrn + '\x1f' + q.nir + '\x1f' +
         (q.include_archived ? "a" : "") + '\x1f' + std::to_string(q.limit);
    if (q.after) k += '\x1f' + q.after->sort_key + '\x1f' + q.after->id;
    return k;
}

}  // namespace medisecure::patients
