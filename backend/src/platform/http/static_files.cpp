// SPDX-License-Identifier: Apache-2.0
#include "platform/http/static_files.hpp"

#include <filesystem>
#include <fstream>

#include "platform/crypto/digest.hpp"

namespace medisecure::http {
namespace fs = std::filesystem;

std::string content_type_for(std::string_view path) {
    auto dot = path.rfind('.');
    auto ext = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
    if (ext == "html") return "text/html; charset=utf-8";
    if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
    if (ext == "css") return "text/css; charset=utf-8";
    if (ext == "json" || ext == "map") return "application/json";
    if (ext == "svg") return "image/svg+xml";
    if (ext == "png") return "image/png";
    if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
    if (ext == "ico") return "image/x-icon";
    if (ext == "woff2") return "font/woff2";
    if (ext == "woff") return "font/woff";
    if (ext == "txt") return "text/plain; charset=utf-8";
    if (ext == "webmanifest") return "application/manifest+json";
    return "application/octet-stream";
}

std::size_t StaticFiles::mount(const std::string& prefix, const std::string& dir, bool spa_fallback,
                               const std::function<bool(const std::string&)>& keep) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return 0;
    std::size_t n = 0;
    std::string base = prefix == "/" ? "" : prefix;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (!it->is_regular_file()) continue;
        auto rel = fs::relative(it->path(), dir).generic_string();
        if (rel.find("..") != std::string::npos || (keep && !keep(rel))) continue;
        std::ifstream in(it->path(), std::ios::binary);
        std::string content(static_cast<std::size_t>(it->file_size(ec)), '\0');
        if (ec || !in.read(content.data(), static_cast<std::streamsize>(content.size()))) continue;
        std::string url = base + "/" + rel;
        // Vite emits content-hashed names under assets/: safe to cache for a year.
        bool immutable = rel.rfind("assets/", 0) == 0;
        add(url, std::move(content));
        files_[url].immutable = immutable;
        ++n;
    }
    if (spa_fallback) spa_roots_[base.empty() ? "/" : base] = base + "/index.html";
    return n;
}

void StaticFiles::add(const std::string& url_path, std::string content, std::string content_type) {
    File f;
    f.content_type = content_type.empty() ? content_type_for(url_path) : std::move(content_type);
    f.etag = "\"" + crypto::sha256_hex(content).substr(0, 32) + "\"";
    f.content = std::move(content);
    files_[url_path] = std::move(f);
}

std::optional<Response> StaticFiles::serve(std::string_view path,
                                           std::optional<std::string_view> if_none_match) const {
    std::string key(path);
    auto it = files_.find(key);
    if (it == files_.end() && !key.empty() && key.back() == '/') it = files_.find(key + "index.html");
    if (it == files_.end() && files_.count(key + "/index.html")) {
        Response r = Response::empty(308);
        r.headers.set("Location", key + "/");
        return r;
    }
    if (it == files_.end()) {
        // Client-side routes (no file extension) get the application shell.
        auto last_slash = key.rfind('/');
        bool has_ext = key.find('.', last_slash == std::string::npos ? 0 : last_slash) != std::string::npos;
        if (has_ext) return std::nullopt;
        for (const auto& [prefix, index] : spa_roots_) {
            if (prefix == "/" || key.rfind(prefix + "/", 0) == 0 || key == prefix) {
                it = files_.find(index);
                if (it != files_.end() && prefix != "/") break;
            }
        }
        if (it == files_.end()) return std::nullopt;
    }
    const File& f = it->second;
    Response r;
    if (if_none_match && *if_none_match == f.etag) {
        r.status = 304;
    } else {
        r.status = 200;
        r.body = f.content;
        r.content_type = f.content_type;
    }
    r.headers.set("ETag", f.etag);
    r.headers.set("Cache-Control", f.immutable ? "public, max-age=31536000, immutable" : "no-cache");
    return r;
}

}  // namespace medisecure::http
