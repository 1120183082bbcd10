// SPDX-License-Identifier: Apache-2.0
#include "platform/http/streams.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "core/error.hpp"

namespace medisecure::http {

namespace {
constexpr std::size_t kBlock = 64 * 1024;

void write_all(int fd, const unsigned char* p, std::size_t n) {
    while (n > 0) {
        ssize_t w = ::write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            if (errno == ENOSPC || errno == EDQUOT) throw StorageFull("spool write failed: the disk is full");
            throw std::runtime_error("spool write failed");
        }
        p += w;
        n -= static_cast<std::size_t>(w);
    }
}

bool read_all(int fd, unsigned char* p, std::size_t n) {
    while (n > 0) {
        ssize_t r = ::read(fd, p, n);
        if (r < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error("spool read failed");
        }
        if (r == 0) return false;
        p += r;
        n -= static_cast<std::size_t>(r);
    }
    return true;
}
}  // namespace

struct SpooledBody::Impl {
    int fd = -1;
    unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
    crypto_secretstream_xchacha20poly1305_state state;
    std::string pending;  // plaintext not yet sealed into a block
    std::string out;      // decrypted, not yet returned
    std::size_t out_pos = 0;
    bool finished = false;
    bool reading = false;
    bool eof = false;
};

SpooledBody::SpooledBody(const std::string& dir) : impl_(std::make_unique<Impl>()) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium init failed");
    std::filesystem::create_directories(dir);
    std::string path = (std::filesystem::path(dir) / "upload-XXXXXX").string();
    impl_->fd = ::mkstemp(path.data());
    if (impl_->fd < 0) throw std::runtime_error("cannot create a spool file");
    ::unlink(path.c_str());  // anonymous from now on: nothing is left behind, even after a crash
    crypto_secretstream_xchacha20poly1305_keygen(impl_->key);
    unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    crypto_secretstream_xchacha20poly1305_init_push(&impl_->state, header, impl_->key);
    write_all(impl_->fd, header, sizeof header);
}

SpooledBody::~SpooledBody() {
    if (impl_->fd >= 0) ::close(impl_->fd);
    sodium_memzero(impl_->key, sizeof impl_->key);
}

void SpooledBody::append(const char* data, std::size_t n) {
    if (impl_->finished) throw std::logic_error("append after finish");
    size_ += n;
    impl_->pending.append(data, n);
    while (impl_->pending.size() >= kBlock) {
        std::string block = impl_->pending.substr(0, kBlock);
        impl_->pending.erase(0, kBlock);
        unsigned char c[kBlock + crypto_secretstream_xchacha20poly1305_ABYTES];
        unsigned long long clen = 0;
        crypto_secretstream_xchacha20poly1305_push(&impl_->state, c, &clen,
                                                   reinterpret_cast<const unsigned char*>(block.data()), block.size(),
                                                   nullptr, 0, crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
        write_all(impl_->fd, c, clen);
    }
}

void SpooledBody::finish() {
    if (impl_->finished) return;
    impl_->finished = true;
    std::vector<unsigned char> c(impl_->pending.size() + crypto_secretstream_xchacha20poly1305_ABYTES);
    unsigned long long clen = 0;
    crypto_secretstream_xchacha20poly1305_push(&impl_->state, c.data(), &clen,
                                               reinterpret_cast<const unsigned char*>(impl_->pending.data()),
                                               impl_->pending.size(), nullptr, 0,
                                               crypto_secretstream_xchacha20poly1305_TAG_FINAL);
    write_all(impl_->fd, c.data(), clen);
    impl_->pending.clear();
    rewind();
}

void SpooledBody::rewind() {
    if (!impl_->finished) throw std::logic_error("rewind before finish");
    ::lseek(impl_->fd, 0, SEEK_SET);
    unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    if (!read_all(impl_->fd, header, sizeof header)) throw std::runtime_error("spool file truncated");
    if (crypto_secretstream_xchacha20poly1305_init_pull(&impl_->state, header, impl_->key) != 0)
        throw std::runtime_error("spool file corrupted");
    impl_->reading = true;
    impl_->eof = false;
    impl_->out.clear();
    impl_->out_pos = 0;
}

std::size_t SpooledBody::read(char* dst, std::size_t cap) {
    if (!impl_->reading) throw std::logic_error("read before finish");
    while (impl_->out_pos == impl_->out.size()) {
        if (impl_->eof) return 0;
        // Every block but the last is full size; the last is whatever is left in the file.
        unsigned char c[kBlock + crypto_secretstream_xchacha20poly1305_ABYTES];
        std::size_t want = sizeof c, got = 0;
        while (got < want) {
            ssize_t r = ::read(impl_->fd, c + got, want - got);
            if (r < 0 && errno == EINTR) continue;
            if (r < 0) throw std::runtime_error("spool read failed");
            if (r == 0) break;
            got += static_cast<std::size_t>(r);
        }
        if (got < crypto_secretstream_xchacha20poly1305_ABYTES) throw std::runtime_error("spool file truncated");
        impl_->out.resize(got - crypto_secretstream_xchacha20poly1305_ABYTES);
        unsigned long long mlen = 0;
        unsigned char tag = 0;
        if (crypto_secretstream_xchacha20poly1305_pull(&impl_->state, reinterpret_cast<unsigned char*>(impl_->out.data()),
                                                       &mlen, &tag, c, got, nullptr, 0) != 0)
            throw std::runtime_error("spool file corrupted");
        impl_->out.resize(mlen);
        impl_->out_pos = 0;
        if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) impl_->eof = true;
        else if (got < sizeof c) throw std::runtime_error("spool file truncated");
    }
    std::size_t n = std::min(cap, impl_->out.size() - impl_->out_pos);
    std::memcpy(dst, impl_->out.data() + impl_->out_pos, n);
    impl_->out_pos += n;
    return n;
}

bool EventStream::push(std::string event_text) {
    std::function<void()> wake;
    {
        std::lock_guard lock(mu_);
        if (closed_) return false;
        queue_.push_back(std::move(event_text));
        wake = waker_;
    }
    if (wake) wake();
    return true;
}

void EventStream::close() {
    std::function<void()> wake;
    {
        std::lock_guard lock(mu_);
        if (closed_) return;
        closed_ = true;
        wake = waker_;
    }
    if (wake) wake();
}

bool EventStream::closed() const {
    std::lock_guard lock(mu_);
    return closed_;
}

void EventStream::set_waker(std::function<void()> waker) {
    std::lock_guard lock(mu_);
    waker_ = std::move(waker);
}

std::vector<std::string> EventStream::take() {
    std::lock_guard lock(mu_);
    std::vector<std::string> out(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
    queue_.clear();
    return out;
}

std::string sse_event(std::string_view event, std::string_view data, std::string_view id) {
    std::string out;
    if (!id.empty()) out += "id: " + std::string(id) + "\n";
    if (!event.empty()) out += "event: " + std::string(event) + "\n";
    // One data line per line of the payload (JSON has none, but be safe).
    std::size_t start = 0;
    while (true) {
        auto nl = data.find('\n', start);
        out += "data: " + std::string(data.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start)) + "\n";
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    out += "\n";
    return out;
}

}  // namespace medisecure::http
