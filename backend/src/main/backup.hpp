// SPDX-License-Identifier: Apache-2.0
// Backups of the embedded default: one encrypted archive of what `<data_dir>` holds (each
// context's SQLite database through SQLite's online backup API, the audit journal read under
// the appenders' lock, the documents' blobs and the other files a restore needs), with a
// manifest of SHA-256 sums. Blocking (file I/O); not thread-safe; no PHI in messages.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "platform/config/config.hpp"

namespace medisecure::backup {

/// Bytes done out of an estimated total (for a progress bar).
using Progress = std::function<void(std::uint64_t done, std::uint64_t total)>;

/// The archive key: a subkey of the master key, so the archive opens only with the
/// configuration of the practice it was taken from.
std::string archive_key(const std::string& master_key);

struct BackupReport {
    std::size_t entries = 0;
    std::size_t databases = 0;
    std::uint64_t content_bytes = 0;  // the entries' bytes, before encryption
    std::uint64_t archive_bytes = 0;
    std::vector<std::string> not_included;  // parts kept outside the data directory (servers)
};

/// Writes the archive to `output` (through `output.part`, renamed when complete). Consistent
/// while `serve` runs: each database is one snapshot, the audit database and journal are read
/// with appends held off. Throws std::runtime_error on failure.
BackupReport write_archive(const config::Config& c, const std::string& output, const Progress& progress = {});

struct ExtractReport {
    std::size_t entries = 0;
    std::uint64_t content_bytes = 0;
    std::vector<std::string> databases;  // the contexts whose database the archive holds
    std::vector<std::string> problems;   // empty when every entry is present and matches its sum
};

/// Decrypts `archive` into `dir` laid out as a data directory (`<ctx>.db`, `audit.journal`,
/// `blobs/`...), checking each entry against the manifest. Throws std::runtime_error when the
/// archive cannot be decrypted (wrong key, altered or truncated): nothing in it is trusted.
ExtractReport extract_archive(const std::string& archive, const std::string& key, const std::string& dir,
                              const Progress& progress = {});

/// A progress bar on stderr when it is a terminal; nothing otherwise.
Progress terminal_progress(const std::string& label);

}  // namespace medisecure::backup
