// SPDX-License-Identifier: Apache-2.0
// Bodies that are not one string: uploads spooled to an encrypted temporary file, downloads
// produced piece by piece, and server-sent event streams. Handlers see these plain types; the
// transport (server.cpp) moves the bytes.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace medisecure::http {

/// A request body written to disk as it arrives, encrypted with a key that exists only in
/// memory (libsodium secretstream) and deleted when the object goes: plaintext never touches
/// the disk and a large upload never sits in memory. Blocking I/O: use on the worker pool.
class SpooledBody {
public:
    /// Creates an anonymous file in `dir` (unlinked at once).
    explicit SpooledBody(const std::string& dir);
    ~SpooledBody();
    SpooledBody(const SpooledBody&) = delete;
    SpooledBody& operator=(const SpooledBody&) = delete;

    void append(const char* data, std::size_t n);
    /// Seals the last piece; after it, read() starts from the beginning.
    void finish();
    std::uint64_t size() const { return size_; }
    /// The next plaintext bytes (0 at the end). Throws if the file was altered.
    std::size_t read(char* out, std::size_t cap);
    void rewind();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::uint64_t size_ = 0;
};

/// A response body produced in pieces (e.g. decrypting a document). read() runs on the worker
/// pool and returns 0 at the end; an exception aborts the connection.
class BodySource {
public:
    virtual ~BodySource() = default;
    virtual std::optional<std::uint64_t> size() const = 0;  // known: Content-Length; else chunked
    virtual std::size_t read(char* out, std::size_t cap) = 0;
};

/// A server-sent event stream. Producers push() from any thread; the transport writes the
/// events as they come and a comment every few seconds to keep proxies from closing it.
class EventStream {
public:
    /// False once the stream is closed (client gone or server stopping).
    bool push(std::string event_text);
    void close();
    bool closed() const;

    // Transport side.
    void set_waker(std::function<void()> waker);
    std::vector<std::string> take();

private:
    mutable std::mutex mu_;
    std::deque<std::string> queue_;
    bool closed_ = false;
    std::function<void()> waker_;
};

/// One SSE message: "id: …\nevent: …\ndata: …\n\n" (data is one line of JSON).
std::string sse_event(std::string_view event, std::string_view data, std::string_view id = "");

}  // namespace medisecure::http
