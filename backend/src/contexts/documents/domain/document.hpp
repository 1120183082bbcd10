// SPDX-License-Identifier: Apache-2.0
// A document in a patient's file: what it is (category, title, the type its bytes prove it
// is), where its encrypted content lives, and who may see it. Content types are decided by
// sniffing the bytes against an allow-list, never by the name or the declared type.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/caller.hpp"
#include "core/clock.hpp"

namespace medisecure::documents {

enum class Category { lab_result, imaging, letter, prescription, consent, administrative, other };
std::string_view to_string(Category c);
std::optional<Category> parse_category(std::string_view s);
/// Categories that hold clinical content (secretaries, accountants and administrators do not
/// open them; DESIGN §1).
bool is_clinical(Category c);

enum class Kind { pdf, jpeg, png, dicom, text };
std::string_view mime_type(Kind k);
std::string_view extension(Kind k);
/// Recognises an allowed type from the first bytes (at least 132 when the file is that long).
std::optional<Kind> sniff(std::string_view head);

/// A safe download name: letters, digits and . - _ space kept (accents too), others replaced,
/// at most 120 characters, the extension of `kind` enforced.
std::string safe_filename(std::string_view name, Kind kind);

struct Document {
    std::string id;
    std::string patient_id;
    Category category = Category::other;
    std::string title;
    std::string filename;
    Kind kind = Kind::pdf;
    std::uint64_t size = 0;
    std::string sha256;  // of the plaintext, checked on every read
    std::string blob_key;
    std::string wrapped_key;  // the content key, sealed with the master key
    std::string thumbnail_blob_key;
    std::string thumbnail_wrapped_key;
    std::string encounter_id;
    bool visible_to_patient = true;
    std::string uploaded_by;
    Role uploaded_by_role = Role::secretary;
    Timestamp uploaded_at{};
    std::optional<Timestamp> deleted_at;
    std::string deleted_by;
    std::int64_t version = 1;
};

}  // namespace medisecure::documents
