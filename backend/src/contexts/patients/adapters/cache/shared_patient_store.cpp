// SPDX-License-Identifier: Apache-2.0
#include "contexts/patients/adapters/cache/shared_patient_store.hpp"

#include <algorithm>

#include "contexts/patients/adapters/cache/patient_cache_support.hpp"
#include "contexts/patients/adapters/cache/patient_codec.hpp"
#include "platform/crypto/digest.hpp"

namespace medisecure::patients {

namespace {
const std::string kGeneration = "pt:g";

std::string version_key(const std::string& id) { return "pt:v:" + id; }
std::string search_value_key(const PatientQuery& q) { return "pt:s:" + crypto::sha256_hex(search_key(q)); }
}  // namespace

SharedPatientStore::SharedPatientStore(PatientStore& inner, Cache& cache, std::string seal_key32,
                                       metrics::Registry& registry, SharedCacheOptions opt)
    : inner_(inner), opt_(opt),
      shared_(cache, std::move(seal_key32), registry, {"patients_shared", "patients", opt.version_ttl}),
      records_(shared_.family("patients_shared", opt.record_ttl)),
      searches_(shared_.family("patient_search_shared", opt.search_ttl)) {}

Result<Patient> SharedPatientStore::write(const std::function<Result<Patient>(PatientUnit&)>& fn) {
    shared_.flush_pending();
    return write_then_invalidate(inner_, fn, [this](std::vector<std::string>& ids) {
        if (ids.empty()) return;  // nothing changed
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        std::vector<std::string> keys;
        if (opt_.records) {
            keys.reserve(ids.size());
            for (const auto& id : ids) keys.push_back(version_key(id));
        }
        shared_.bump(keys, {kGeneration});  // a new or changed patient may enter or leave any result
    });
}

std::optional<Patient> SharedPatientStore::find(const std::string& id) {
    if (!opt_.records) return inner_.find(id);
    return shared_.read<std::optional<Patient>>(
        records_, version_key(id), "pt:r:" + id, [&] { return inner_.find(id); },
        [](const std::optional<Patient>& p) { return p ? std::optional(encode_patient(*p)) : std::nullopt; },
        [](std::string_view text) { return decode_patient(text); });
}

std::vector<Patient> SharedPatientStore::search(const PatientQuery& q) {
    return shared_.read<std::vector<Patient>>(
        searches_, kGeneration, search_value_key(q), [&] { return inner_.search(q); },
        [](const std::vector<Patient>& ps) { return std::optional(encode_patients(ps)); },
        [](std::string_view text) { return decode_patients(text); });
}

bool SharedPatientStore::search_cached(const PatientQuery& q) {
    return shared_.cached(kGeneration, search_value_key(q));
}

}  // namespace medisecure::patients
