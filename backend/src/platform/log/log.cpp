// SPDX-License-Identifier: Apache-2.0
#include "platform/log/log.hpp"

#include <pthread.h>
#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdio>

#include "core/clock.hpp"
#include "core/time.hpp"

namespace medisecure::log {
namespace {
std::atomic<int> g_level{static_cast<int>(Level::info)};
std::atomic<bool> g_json{true};
std::shared_ptr<spdlog::logger> g_logger;

const char* name(Level l) {
    switch (l) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
    }
    return "info";
}
}  // namespace

std::optional<Level> parse_level(std::string_view s) {
    for (auto l : {Level::debug, Level::info, Level::warn, Level::error})
        if (s == name(l)) return l;
    return std::nullopt;
}

void setup(Level level, bool json) {
    g_level = static_cast<int>(level);
    g_json = json;
    if (!g_logger) {
        spdlog::init_thread_pool(16384, 1);
        g_logger = std::make_shared<spdlog::async_logger>(
            "medisecure", std::make_shared<spdlog::sinks::stdout_sink_mt>(), spdlog::thread_pool(),
            spdlog::async_overflow_policy::block);
        g_logger->set_pattern("%v");
        g_logger->set_level(spdlog::level::trace);
        g_logger->flush_on(spdlog::level::warn);
        spdlog::flush_every(std::chrono::seconds(1));  // a terminal sees lines within a second
    }
}

void flush() {
    if (g_logger) g_logger->flush();
}

bool enabled(Level level) { return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed); }

void json_escape(std::string& out, std::string_view s) {
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
}

void write(Level level, std::string_view event, std::initializer_list<Field> fields) {
    if (!enabled(level)) return;
    std::string line;
    line.reserve(256);
    auto ts = format_instant(SystemClock{}.now());
    if (g_json) {
        line += "{\"ts\":\"" + ts + "\",\"level\":\"" + name(level) + "\",\"event\":\"";
        json_escape(line, event);
        line += '"';
        for (const auto& f : fields) {
            line += ",\"";
            json_escape(line, f.key);
            line += "\":";
            std::visit(
                [&](const auto& v) {
                    using T = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<T, std::string_view>) {
                        line += '"';
                        json_escape(line, v);
                        line += '"';
                    } else if constexpr (std::is_same_v<T, bool>) {
                        line += v ? "true" : "false";
                    } else {
                        line += std::to_string(v);
                    }
                },
                f.value);
        }
        line += '}';
    } else {
        line += ts + " " + name(level) + " " + std::string(event);
        for (const auto& f : fields) {
            line += " " + std::string(f.key) + "=";
            std::visit(
                [&](const auto& v) {
                    using T = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<T, std::string_view>) line += v;
                    else if constexpr (std::is_same_v<T, bool>) line += v ? "true" : "false";
                    else line += std::to_string(v);
                },
                f.value);
        }
    }
    if (g_logger) {
        g_logger->log(level == Level::error ? spdlog::level::err
                      : level == Level::warn ? spdlog::level::warn
                                             : spdlog::level::info,
                      line);
    } else {
        std::fprintf(stderr, "%s\n", line.c_str());
    }
}

void name_thread(const char* name) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%s", name);
    pthread_setname_np(pthread_self(), buf);
}

}  // namespace medisecure::log
