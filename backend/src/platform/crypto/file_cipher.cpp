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
void need_key(const std::string& key) {
    if (key.size() != kFileKeyBytes) throw std::invalid_argument("content key must be 32 bytes");
}

/// Fills `n` bytes from `source` unless it ends first; returns how many came.
std::size_t fill(const ByteSource& source, char* out, std::size_t n) {
    std::size_t got = 0;
    while (got < n) {
        std::size_t r = source(out + got, n - got);
        if (r == 0) break;
        got += r;
    }
    return got;
}
}  // namespace

std::string new_file_key() {
    need_sodium();
    std::string k(kFileKeyBytes, '\0');
    randombytes_buf(k.data(), k.size());
    return k;
}

struct StreamEncryptor::Impl {
    ByteSink sink;
    crypto_secretstream_xchacha20poly1305_state st;
    std::string pending;
    bool finished = false;
    void push(const unsigned char* p, std::size_t n, unsigned char tag) {
        std::vector<unsigned char> c(n + kAbytes);
        unsigned long long clen = 0;
        crypto_secretstream_xchacha20poly1305_push(&st, c.data(), &clen, p, n, nullptr, 0, tag);
        sink(reinterpret_cast<const char*>(c.data()), static_cast<std::size_t>(clen));
    }
};

StreamEncryptor::StreamEncryptor(const std::string& key, ByteSink sink) : impl_(std::make_unique<Impl>()) {
    need_sodium();
    need_key(key);
    impl_->sink = std::move(sink);
    unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    crypto_secretstream_xchacha20poly1305_init_push(&impl_->st, header, reinterpret_cast<const unsigned char*>(key.data()));
    impl_->sink(kMagic, sizeof kMagic);
    impl_->sink(reinterpret_cast<const char*>(header), sizeof header);
}

StreamEncryptor::~StreamEncryptor() = default;

void StreamEncryptor::write(const char* data, std::size_t n) {
    if (impl_->finished) throw std::logic_error("write after finish");
    size_ += n;
    impl_->pending.append(data, n);
    while (impl_->pending.size() > kChunk) {  // keep the last bytes for the final tag
        impl_->push(reinterpret_cast<const unsigned char*>(impl_->pending.data()), kChunk,
                    crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
        impl_->pending.erase(0, kChunk);
    }
}

void StreamEncryptor::finish() {
    if (impl_->finished) return;
    impl_->finished = true;
    impl_->push(reinterpret_cast<const unsigned char*>(impl_->pending.data()), impl_->pending.size(),
                crypto_secretstream_xchacha20poly1305_TAG_FINAL);
    impl_->pending.clear();
}

struct StreamDecryptor::Impl {
    ByteSource source;
    crypto_secretstream_xchacha20poly1305_state st;
    std::vector<unsigned char> plain;
    std::size_t pos = 0;
    bool done = false;
};

StreamDecryptor::StreamDecryptor(const std::string& key, ByteSource source) : impl_(std::make_unique<Impl>()) {
    need_sodium();
    need_key(key);
    impl_->source = std::move(source);
    char magic[sizeof kMagic];
    unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    if (fill(impl_->source, magic, sizeof magic) != sizeof magic || std::memcmp(magic, kMagic, sizeof magic) != 0 ||
        fill(impl_->source, reinterpret_cast<char*>(header), sizeof header) != sizeof header ||
        crypto_secretstream_xchacha20poly1305_init_pull(&impl_->st, header, reinterpret_cast<const unsigned char*>(key.data())) != 0)
        throw std::runtime_error("encrypted content header invalid");
}

StreamDecryptor::~StreamDecryptor() = default;

std::size_t StreamDecryptor::read(char* out, std::size_t cap) {
    while (impl_->pos == impl_->plain.size()) {
        if (impl_->done) return 0;
        std::vector<char> c(kChunk + kAbytes);
        std::size_t got = fill(impl_->source, c.data(), c.size());
        if (got < kAbytes) throw std::runtime_error("encrypted content truncated");
        impl_->plain.resize(got - kAbytes);
        unsigned long long mlen = 0;
        unsigned char tag = 0;
        if (crypto_secretstream_xchacha20poly1305_pull(&impl_->st, impl_->plain.data(), &mlen, &tag,
                                                       reinterpret_cast<const unsigned char*>(c.data()), got, nullptr, 0) != 0)
            throw std::runtime_error("encrypted content altered or wrong key");
        impl_->plain.resize(mlen);
        impl_->pos = 0;
        if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
            impl_->done = true;
            char extra;
            if (impl_->source(&extra, 1) != 0) throw std::runtime_error("encrypted content has trailing data");
        } else if (got < c.size()) {
            throw std::runtime_error("encrypted content truncated");
        }
    }
    std::size_t n = std::min(cap, impl_->plain.size() - impl_->pos);
    std::memcpy(out, impl_->plain.data() + impl_->pos, n);
    impl_->pos += n;
    return n;
}

struct FileEncryptor::Impl {
    std::ofstream out;
    std::unique_ptr<StreamEncryptor> enc;
};

FileEncryptor::FileEncryptor(const std::string& path, const std::string& key) : impl_(std::make_unique<Impl>()) {
    need_key(key);
    impl_->out.open(path, std::ios::binary | std::ios::trunc);
    if (!impl_->out) throw std::runtime_error("cannot create encrypted file");
    impl_->enc = std::make_unique<StreamEncryptor>(key, [this](const char* p, std::size_t n) {
        impl_->out.write(p, static_cast<std::streamsize>(n));
        if (!impl_->out) throw std::runtime_error("encrypted write failed");
    });
}

FileEncryptor::~FileEncryptor() = default;
void FileEncryptor::write(const char* data, std::size_t n) { impl_->enc->write(data, n); }
void FileEncryptor::finish() {
    impl_->enc->finish();
    impl_->out.flush();
    if (!impl_->out) throw std::runtime_error("encrypted write failed");
    impl_->out.close();
}
std::uint64_t FileEncryptor::plaintext_size() const { return impl_->enc->plaintext_size(); }

struct FileDecryptor::Impl {
    std::ifstream in;
    std::unique_ptr<StreamDecryptor> dec;
};

FileDecryptor::FileDecryptor(const std::string& path, const std::string& key) : impl_(std::make_unique<Impl>()) {
    need_key(key);
    impl_->in.open(path, std::ios::binary);
    if (!impl_->in) throw std::runtime_error("encrypted file missing");
    impl_->dec = std::make_unique<StreamDecryptor>(key, [this](char* p, std::size_t n) {
        impl_->in.read(p, static_cast<std::streamsize>(n));
        return static_cast<std::size_t>(impl_->in.gcount());
    });
}

FileDecryptor::~FileDecryptor() = default;
std::size_t FileDecryptor::read(char* out, std::size_t cap) { return impl_->dec->read(out, cap); }

}  // namespace medisecure::crypto
