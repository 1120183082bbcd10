// SPDX-License-Identifier: Apache-2.0
#include "platform/crypto/file_cipher.hpp"

#include <sodium.h>

#include <cstring>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace medisecure::crypto {

namespace {
constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kAbytes = crypto_secretstream_xchacha20poly1305_ABYTES;
const char kMagic[8] = {'M', 'S', 'E', 'N', 'C', '0', '0', '1'};

void need_sodium() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium init failed");
}
}  // namespace

std::string new_file_key() {
    need_sodium();
    std::string k(kFileKeyBytes, '\0');
    randombytes_buf(k.data(), k.size());
    return k;
}

struct FileEncryptor::Impl {
    std::ofstream out;
    crypto_secretstream_xchacha20poly1305_state st;
    std::string pending;
    bool finished = false;
    void push(const unsigned char* p, std::size_t n, unsigned char tag) {
        std::vector<unsigned char> c(n + kAbytes);
        unsigned long long clen = 0;
        crypto_secretstream_xchacha20poly1305_push(&st, c.data(), &clen, p, n, nullptr, 0, tag);
        out.write(reinterpret_cast<const char*>(c.data()), static_cast<std::streamsize>(clen));
        if (!out) throw std::runtime_error("encrypted write failed");
    }
};

FileEncryptor::FileEncryptor(const std::string& path, const std::string& key) : impl_(std::make_unique<Impl>()) {
    need_sodium();
    if (key.size() != kFileKeyBytes) throw std::invalid_argument("file key must be 32 bytes");
    impl_->out.open(path, std::ios::binary | std::ios::trunc);
    if (!impl_->out) throw std::runtime_error("cannot create encrypted file");
    unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    crypto_secretstream_xchacha20poly1305_init_push(&impl_->st, header, reinterpret_cast<const unsigned char*>(key.data()));
    impl_->out.write(kMagic, sizeof kMagic);
    impl_->out.write(reinterpret_cast<const char*>(header), sizeof header);
}

FileEncryptor::~FileEncryptor() = default;

void FileEncryptor::write(const char* data, std::size_t n) {
    if (impl_->finished) throw std::logic_error("write after finish");
    size_ += n;
    impl_->pending.append(data, n);
    while (impl_->pending.size() > kChunk) {  // keep the last bytes for the final tag
        impl_->push(reinterpret_cast<const unsigned char*>(impl_->pending.data()), kChunk,
                    crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
        impl_->pending.erase(0, kChunk);
    }
}

void FileEncryptor::finish() {
    if (impl_->finished) return;
    impl_->finished = true;
    impl_->push(reinterpret_cast<const unsigned char*>(impl_->pending.data()), impl_->pending.size(),
                crypto_secretstream_xchacha20poly1305_TAG_FINAL);
    impl_->pending.clear();
    impl_->out.flush();
    if (!impl_->out) throw std::runtime_error("encrypted write failed");
    impl_->out.close();
}

struct FileDecryptor::Impl {
    std::ifstream in;
    crypto_secretstream_xchacha20poly1305_state st;
    std::vector<unsigned char> plain;
    std::size_t pos = 0;
    bool done = false;
};

FileDecryptor::FileDecryptor(const std::string& path, const std::string& key) : impl_(std::make_unique<Impl>()) {
    need_sodium();
    if (key.size() != kFileKeyBytes) throw std::invalid_argument("file key must be 32 bytes");
    impl_->in.open(path, std::ios::binary);
    if (!impl_->in) throw std::runtime_error("encrypted file missing");
    char magic[sizeof kMagic];
    unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    impl_->in.read(magic, sizeof magic);
    impl_->in.read(reinterpret_cast<char*>(header), sizeof header);
    if (!impl_->in || std::memcmp(magic, kMagic, sizeof magic) != 0 ||
        crypto_secretstream_xchacha20poly1305_init_pull(&impl_->st, header, reinterpret_cast<const unsigned char*>(key.data())) != 0)
        throw std::runtime_error("encrypted file header invalid");
}

FileDecryptor::~FileDecryptor() = default;

std::size_t FileDecryptor::read(char* out, std::size_t cap) {
    while (impl_->pos == impl_->plain.size()) {
        if (impl_->done) return 0;
        std::vector<unsigned char> c(kChunk + kAbytes);
        impl_->in.read(reinterpret_cast<char*>(c.data()), static_cast<std::streamsize>(c.size()));
        auto got = static_cast<std::size_t>(impl_->in.gcount());
        if (got < kAbytes) throw std::runtime_error("encrypted file truncated");
        impl_->plain.resize(got - kAbytes);
        unsigned long long mlen = 0;
        unsigned char tag = 0;
        if (crypto_secretstream_xchacha20poly1305_pull(&impl_->st, impl_->plain.data(), &mlen, &tag, c.data(), got, nullptr, 0) != 0)
            throw std::runtime_error("encrypted file altered or wrong key");
        impl_->plain.resize(mlen);
        impl_->pos = 0;
        if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
            impl_->done = true;
            if (impl_->in.peek() != std::char_traits<char>::eof()) throw std::runtime_error("encrypted file has trailing data");
        } else if (got < c.size()) {
            throw std::runtime_error("encrypted file truncated");
        }
    }
    std::size_t n = std::min(cap, impl_->plain.size() - impl_->pos);
    std::memcpy(out, impl_->plain.data() + impl_->pos, n);
    impl_->pos += n;
    return n;
}

}  // namespace medisecure::crypto
