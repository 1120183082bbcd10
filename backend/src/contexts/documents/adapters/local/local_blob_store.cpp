// SPDX-License-Identifier: Apache-2.0
#include "contexts/documents/adapters/local/local_blob_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <stdexcept>

#include "core/error.hpp"
#include "core/random.hpp"

namespace medisecure::documents {
namespace fs = std::filesystem;

namespace {

bool valid_key(const std::string& k) {
    if (k.size() != 32) return false;
    for (char c : k)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

/// A full disk (or quota) is said as such: the request is answered 507, not 500.
[[noreturn]] void fail(const char* what) {
    if (errno == ENOSPC || errno == EDQUOT) throw StorageFull(std::string(what) + ": the disk is full");
    throw std::runtime_error(what);
}

class FileWriter final : public BlobWriter {
public:
    FileWriter(std::string final_path) : final_(std::move(final_path)), tmp_(final_ + ".part") {
        fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd_ < 0) fail("blob store: cannot create an object");
    }
    ~FileWriter() override {
        if (fd_ >= 0) ::close(fd_);
        if (!committed_) ::unlink(tmp_.c_str());
    }
    void write(const char* p, std::size_t n) override {
        while (n > 0) {
            ssize_t w = ::write(fd_, p, n);
            if (w < 0) {
                if (errno == EINTR) continue;
                fail("blob store: write failed");
            }
            p += w;
            n -= static_cast<std::size_t>(w);
        }
    }
    void commit() override {
        // Durable before it is referenced: the metadata row is written after this returns.
        if (::fsync(fd_) != 0 || ::close(fd_) != 0) fail("blob store: fsync failed");
        fd_ = -1;
        if (::rename(tmp_.c_str(), final_.c_str()) != 0) throw std::runtime_error("blob store: rename failed");
        committed_ = true;
    }

private:
    std::string final_, tmp_;
    int fd_ = -1;
    bool committed_ = false;
};

class FileReader final : public BlobReader {
public:
    explicit FileReader(int fd) : fd_(fd) {}
    ~FileReader() override { ::close(fd_); }
    std::size_t read(char* out, std::size_t cap) override {
        for (;;) {
            ssize_t r = ::read(fd_, out, cap);
            if (r < 0 && errno == EINTR) continue;
            if (r < 0) throw std::runtime_error("blob store: read failed");
            return static_cast<std::size_t>(r);
        }
    }

private:
    int fd_;
};

}  // namespace

LocalBlobStore::LocalBlobStore(std::string root) : root_(std::move(root)) {
    fs::create_directories(root_);
    ::chmod(root_.c_str(), 0700);
}

std::vector<std::string> LocalBlobStore::keys() const {
    std::vector<std::string> out;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(root_, ec); !ec && it != std::filesystem::recursive_directory_iterator();
         it.increment(ec)) {
        if (!it->is_regular_file()) continue;
        std::string name = it->path().filename().string();
        if (name.size() > 5 && name.compare(name.size() - 5, 5, ".part") == 0) continue;  // not committed
        out.push_back(std::move(name));
    }
    return out;
}

std::string LocalBlobStore::new_key() {
    unsigned char b[16];
    random_bytes(b, sizeof b);
    return to_hex(b, sizeof b);
}

std::string LocalBlobStore::path_of(const std::string& key) const {
    if (!valid_key(key)) throw std::invalid_argument("blob store: bad key");
    return (fs::path(root_) / key.substr(0, 2) / key.substr(2, 2) / key).string();
}

std::unique_ptr<BlobWriter> LocalBlobStore::create(const std::string& key) {
    auto path = path_of(key);
    fs::create_directories(fs::path(path).parent_path());
    return std::make_unique<FileWriter>(path);
}

std::unique_ptr<BlobReader> LocalBlobStore::open(const std::string& key) {
    int fd = ::open(path_of(key).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return nullptr;
    return std::make_unique<FileReader>(fd);
}

void LocalBlobStore::remove(const std::string& key) {
    std::error_code ec;
    fs::remove(path_of(key), ec);
}

bool LocalBlobStore::ping() {
    std::error_code ec;
    return fs::is_directory(root_, ec) && ::access(root_.c_str(), W_OK) == 0;
}

}  // namespace medisecure::documents
