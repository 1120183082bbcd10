// SPDX-License-Identifier: Apache-2.0
// Authenticated encryption of large contents in 64 KiB chunks (libsodium secretstream,
// XChaCha20-Poly1305): truncation, reordering or a flipped byte anywhere is detected when the
// content is read back. Used for documents and export archives at rest. Blocking (file I/O).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace medisecure::crypto {

inline constexpr std::size_t kFileKeyBytes = 32;
std::string new_file_key();  // 32 random bytes

/// Where ciphertext goes, and where it comes from (a file, a blob store object...).
using ByteSink = std::function<void(const char*, std::size_t)>;
/// Fills up to `cap` bytes; returns how many (0 at the end).
using ByteSource = std::function<std::size_t(char*, std::size_t)>;

/// Encrypts a stream of bytes into a sink. Call finish() once; the output is complete only then.
class StreamEncryptor {
public:
    StreamEncryptor(const std::string& key, ByteSink sink);
    ~StreamEncryptor();
    StreamEncryptor(const StreamEncryptor&) = delete;
    StreamEncryptor& operator=(const StreamEncryptor&) = delete;
    void write(const char* data, std::size_t n);
    void finish();
    std::uint64_t plaintext_size() const { return size_; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::uint64_t size_ = 0;
};

/// Decrypts what a StreamEncryptor wrote, chunk by chunk.
class StreamDecryptor {
public:
    StreamDecryptor(const std::string& key, ByteSource source);
    ~StreamDecryptor();
    StreamDecryptor(const StreamDecryptor&) = delete;
    StreamDecryptor& operator=(const StreamDecryptor&) = delete;
    /// Up to `cap` plaintext bytes; 0 at the verified end. Throws std::runtime_error when the
    /// content was altered or truncated, or the key is wrong.
    std::size_t read(char* out, std::size_t cap);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Encrypts into a file as data arrives. Call finish() once; the file is complete only then.
class FileEncryptor {
public:
    FileEncryptor(const std::string& path, const std::string& key);
    ~FileEncryptor();
    FileEncryptor(const FileEncryptor&) = delete;
    FileEncryptor& operator=(const FileEncryptor&) = delete;
    void write(const char* data, std::size_t n);
    void finish();
    std::uint64_t plaintext_size() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Decrypts a file written by FileEncryptor, chunk by chunk.
class FileDecryptor {
public:
    FileDecryptor(const std::string& path, const std::string& key);
    ~FileDecryptor();
    FileDecryptor(const FileDecryptor&) = delete;
    FileDecryptor& operator=(const FileDecryptor&) = delete;
    /// Up to `cap` plaintext bytes; 0 at the verified end. Throws std::runtime_error when the
    /// file was altered or truncated, or the key is wrong.
    std::size_t read(char* out, std::size_t cap);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace medisecure::crypto
