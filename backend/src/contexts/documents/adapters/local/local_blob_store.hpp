// SPDX-License-Identifier: Apache-2.0
// Blobs as files under a root directory: <root>/<k[0:2]>/<k[2:4]>/<key>, written to a
// temporary name and renamed on commit (a crash leaves no half object), mode 0600.
#pragma once

#include <vector>

#include "contexts/documents/ports/ports.hpp"

namespace medisecure::documents {

class LocalBlobStore final : public BlobStore {
public:
    explicit LocalBlobStore(std::string root);
    std::string new_key() override;
    std::unique_ptr<BlobWriter> create(const std::string& key) override;
    std::unique_ptr<BlobReader> open(const std::string& key) override;
    void remove(const std::string& key) override;
    bool ping() override;
    /// Every committed object's key (for moving them to another store), in no particular order.
    std::vector<std::string> keys() const;
    /// Where a key lives (tests tamper with it).
    std::string path_of(const std::string& key) const;

private:
    std::string root_;
};

}  // namespace medisecure::documents
