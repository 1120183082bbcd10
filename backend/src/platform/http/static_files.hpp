// SPDX-License-Identifier: Apache-2.0
// Static files held in memory: the web application at `/` (with the single-page fallback to
// index.html) and Swagger UI at `/docs`. Loaded once at start; ETag revalidation; hashed Vite
// assets are cached for a year, everything else is revalidated.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "platform/http/types.hpp"

namespace medisecure::http {

class StaticFiles {
public:
    /// Loads the regular files under `dir` (those `keep` accepts, by path relative to `dir`; all
    /// when it is empty) to be served under URL prefix `prefix` ("/" or "/docs"). Returns how
    /// many were loaded (0 when the directory is missing).
    std::size_t mount(const std::string& prefix, const std::string& dir, bool spa_fallback,
                      const std::function<bool(const std::string& relative)>& keep = {});
    /// Adds one generated file (e.g. /docs/index.html).
    void add(const std::string& url_path, std::string content, std::string content_type = "");
    std::optional<Response> serve(std::string_view path, std::optional<std::string_view> if_none_match) const;
    bool has(std::string_view path) const { return files_.count(std::string(path)) > 0; }
    std::size_t size() const { return files_.size(); }

private:
    struct File {
        std::string content;
        std::string content_type;
        std::string etag;
        bool immutable = false;
    };
    std::map<std::string, File> files_;
    std::map<std::string, std::string> spa_roots_;  // prefix -> index path
};

std::string content_type_for(std::string_view path);

}  // namespace medisecure::http
