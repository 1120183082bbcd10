// SPDX-License-Identifier: Apache-2.0
#include "platform/cache/redis_cache.hpp"

#include <hiredis/hiredis.h>

#include <sys/socket.h>

#include <charconv>
#include <cmath>

#include "platform/http/url.hpp"
#include "platform/log/log.hpp"

namespace medisecure {
namespace {

// One bucket per key: tokens refill at ARGV[1] a second up to ARGV[2]; takes one. The server's
// clock, so that every instance measures the same time; the bucket expires once it would be
// full again anyway. Returns {allowed, seconds until one token is back}.
constexpr const char* kTokenBucket = R"lua(
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1])
local at = tonumber(b[2])
if tokens == nil or at == nil then
  tokens = burst
else
  tokens = math.min(burst, tokens + (now - at) / 1000000 * rate)
end
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'at', string.format('%d', now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
if allowed == 1 then return {1, 0} end
return {0, math.max(1, math.ceil((1 - tokens) / rate))}
)lua";

struct ReplyDeleter {
    void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

/// The connection cannot be used any more: an I/O error or timeout, or a server that is not (or
/// no longer) a writable master.
struct Broken : std::runtime_error {
    using std::runtime_error::runtime_error;
};

timeval to_timeval(std::chrono::milliseconds ms) {
    return {static_cast<time_t>(ms.count() / 1000), static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

std::int64_t steady_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

Reply command(redisContext* ctx, const std::vector<std::string_view>& args) {
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    argv.reserve(args.size());
    lens.reserve(args.size());
    for (auto a : args) {
        argv.push_back(a.data());
        lens.push_back(a.size());
    }
    auto* r = static_cast<redisReply*>(redisCommandArgv(ctx, static_cast<int>(argv.size()), argv.data(), lens.data()));
    if (!r) throw Broken(ctx->errstr[0] ? ctx->errstr : "connection lost");
    Reply reply(r);
    if (reply->type == REDIS_REPLY_ERROR) {
        std::string_view e(reply->str, reply->len);
        // A demoted master, a replica still loading, a master that lost its replicas' quorum:
        // another server must answer.
        if (e.starts_with("READONLY") || e.starts_with("LOADING") || e.starts_with("MASTERDOWN"))
            throw Broken("redis: " + std::string(e));
    }
    return reply;
}

Reply command(redisContext* ctx, std::initializer_list<std::string_view> args) {
    return command(ctx, std::vector<std::string_view>(args));
}

std::string error_of(const Reply& r) { return r->type == REDIS_REPLY_ERROR ? std::string(r->str, r->len) : ""; }

std::optional<RedisEndpoint> parse_endpoint(std::string_view s, int default_port) {
    RedisEndpoint ep;
    ep.port = default_port;
    std::string_view host = s;
    if (!s.empty() && s.front() == '[') {  // [::1]:6379
        auto close = s.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        host = s.substr(1, close - 1);
        s.remove_prefix(close + 1);
        if (!s.empty() && s.front() != ':') return std::nullopt;
    } else if (auto colon = s.rfind(':'); colon != std::string_view::npos) {
        host = s.substr(0, colon);
        s.remove_prefix(colon);
    } else {
        s = {};
    }
    if (!s.empty()) {
        s.remove_prefix(1);
        int port = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), port);
        if (ec != std::errc() || p != s.data() + s.size() || port <= 0 || port > 65535) return std::nullopt;
        ep.port = port;
    }
    if (host.empty()) return std::nullopt;
    ep.host = std::string(host);
    return ep;
}

}  // namespace

struct RedisCache::Conn {
    redisContext* ctx = nullptr;
    std::uint64_t generation = 0;
    bool reused = false;
    ~Conn() {
        if (ctx) redisFree(ctx);
    }
};

std::optional<RedisTarget> parse_redis_url(std::string_view url, std::string* error) {
    auto fail = [&](std::string why) -> std::optional<RedisTarget> {
        if (error) *error = std::move(why);
        return std::nullopt;
    };
    RedisTarget t;
    bool sentinel = false;
    if (url.starts_with("redis://")) {
        url.remove_prefix(8);
    } else if (url.starts_with("redis-sentinel://")) {
        url.remove_prefix(17);
        sentinel = true;
    } else if (url.starts_with("rediss://")) {
        return fail("TLS to Redis (rediss://) is not supported by this build: reach Redis over a private network");
    } else {
        return fail("must start with redis:// or redis-sentinel://");
    }
    std::string_view authority = url.substr(0, url.find('/'));
    std::string_view path = authority.size() < url.size() ? url.substr(authority.size() + 1) : std::string_view{};
    if (auto at = authority.rfind('@'); at != std::string_view::npos) {
        std::string_view userinfo = authority.substr(0, at);
        authority.remove_prefix(at + 1);
        auto colon = userinfo.find(':');
        auto user = http::percent_decode(userinfo.substr(0, colon), false);
        auto pass = colon == std::string_view::npos ? std::optional<std::string>("")
                                                    : http::percent_decode(userinfo.substr(colon + 1), false);
        if (!user || !pass) return fail("malformed user or password");
        if (colon == std::string_view::npos) {  // redis://password@host, as some clients write it
            t.password = *user;
        } else {
            t.username = *user;
            t.password = *pass;
        }
    }
    std::vector<std::string_view> hosts;
    for (std::size_t start = 0;;) {
        auto comma = authority.find(',', start);
        hosts.push_back(authority.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    for (auto h : hosts) {
        auto ep = parse_endpoint(h, sentinel ? 26379 : 6379);
        if (!ep) return fail("bad host:port '" + std::string(h) + "'");
        if (sentinel) t.sentinels.push_back(*ep);
        else t.server = *ep;
    }
    if (!sentinel && hosts.size() != 1) return fail("redis:// names one server; use redis-sentinel:// for several");
    std::vector<std::string_view> parts;
    for (std::size_t start = 0; start < path.size();) {
        auto slash = path.find('/', start);
        parts.push_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    if (sentinel) {
        if (parts.empty() || parts.front().empty()) return fail("redis-sentinel:// needs the master's name: …/mymaster");
        t.master_name = std::string(parts.front());
        parts.erase(parts.begin());
    }
    if (parts.size() > 1) return fail("unexpected path after the database number");
    if (!parts.empty() && !parts.front().empty()) {
        auto db = parts.front();
        auto [p, ec] = std::from_chars(db.data(), db.data() + db.size(), t.db);
        if (ec != std::errc() || p != db.data() + db.size() || t.db < 0 || t.db > 15)
            return fail("the database must be a number from 0 to 15");
    }
    return t;
}

std::string redact_redis_url(std::string_view url) {
    auto scheme = url.find("://");
    if (scheme == std::string_view::npos) return std::string(url);
    auto authority_end = url.find('/', scheme + 3);
    auto at = url.rfind('@', authority_end);
    if (at == std::string_view::npos || at < scheme) return std::string(url);
    auto userinfo = url.substr(scheme + 3, at - scheme - 3);
    auto colon = userinfo.find(':');
    std::string user = colon == std::string_view::npos ? "" : std::string(userinfo.substr(0, colon));
    return std::string(url.substr(0, scheme + 3)) + user + ":***" + std::string(url.substr(at));
}

RedisCache::RedisCache(RedisTarget target, RedisOptions options, metrics::Registry& registry)
    : target_(std::move(target)),
      opt_(std::move(options)),
      up_(registry.gauge("medisecure_cache_remote_up", "1 while the shared cache (Redis) answers, 0 after a failure")),
      connections_(registry.gauge("medisecure_cache_remote_connections", "Open connections to the shared cache")),
      errors_(registry.counter("medisecure_cache_remote_errors_total",
                               "Calls to the shared cache that failed (unreachable, timed out, not a master)")),
      fast_failures_(registry.counter("medisecure_cache_remote_fast_failures_total",
                                      "Calls answered 'unavailable' at once while waiting to retry the shared cache")),
      failovers_(registry.counter("medisecure_cache_remote_server_changes_total",
                                  "Times the shared cache's server changed (a Sentinel failover)")) {
    if (opt_.max_connections == 0) opt_.max_connections = 1;
    up_.set(1);
}

RedisCache::~RedisCache() {
    std::lock_guard lock(mu_);
    connections_.add(-static_cast<std::int64_t>(idle_.size()));
    idle_.clear();
}

RedisEndpoint RedisCache::locate_master() {
    std::string tried;
    for (const auto& s : target_.sentinels) {
        auto tv = to_timeval(opt_.connect_timeout);
        std::unique_ptr<redisContext, void (*)(redisContext*)> ctx(redisConnectWithTimeout(s.host.c_str(), s.port, tv),
                                                                   redisFree);
        if (!ctx || ctx->err) {
            tried += " " + s.to_string() + " (unreachable)";
            continue;
        }
        redisSetTimeout(ctx.get(), to_timeval(opt_.command_timeout));
        try {
            auto r = command(ctx.get(), {"SENTINEL", "get-master-addr-by-name", target_.master_name});
            if (r->type == REDIS_REPLY_ARRAY && r->elements == 2 && r->element[0]->type == REDIS_REPLY_STRING &&
                r->element[1]->type == REDIS_REPLY_STRING) {
                RedisEndpoint ep;
                ep.host.assign(r->element[0]->str, r->element[0]->len);
                ep.port = std::atoi(r->element[1]->str);
                if (ep.port > 0) return ep;
            }
            tried += " " + s.to_string() + " (does not know " + target_.master_name + ")";
        } catch (const Broken& e) {
            tried += " " + s.to_string() + " (" + e.what() + ")";
        }
    }
    throw CacheUnavailable("no Sentinel named the master " + target_.master_name + ":" + tried);
}

std::unique_ptr<RedisCache::Conn> RedisCache::connect() {
    RedisEndpoint ep = target_.via_sentinel() ? locate_master() : target_.server;
    auto c = std::make_unique<Conn>();
    c->ctx = redisConnectWithTimeout(ep.host.c_str(), ep.port, to_timeval(opt_.connect_timeout));
    if (!c->ctx || c->ctx->err)
        throw CacheUnavailable("cannot connect to Redis at " + ep.to_string() + ": " +
                               (c->ctx ? c->ctx->errstr : "out of memory"));
    redisSetTimeout(c->ctx, to_timeval(opt_.command_timeout));
    try {
        if (!target_.password.empty()) {
            auto r = target_.username.empty() ? command(c->ctx, {"AUTH", target_.password})
                                              : command(c->ctx, {"AUTH", target_.username, target_.password});
            if (r->type == REDIS_REPLY_ERROR)  // never the password itself in the message
                throw CacheUnavailable("Redis at " + ep.to_string() + " refused the credentials");
        }
        if (target_.db != 0) {
            auto r = command(c->ctx, {"SELECT", std::to_string(target_.db)});
            if (r->type == REDIS_REPLY_ERROR) throw CacheUnavailable("Redis: " + error_of(r));
        }
        if (target_.via_sentinel()) {
            // Sentinel may name a master that has just been demoted: check before using it.
            auto r = command(c->ctx, {"ROLE"});
            if (r->type != REDIS_REPLY_ARRAY || r->elements == 0 || r->element[0]->type != REDIS_REPLY_STRING ||
                std::string_view(r->element[0]->str, r->element[0]->len) != "master")
                throw CacheUnavailable("Redis at " + ep.to_string() + " is not a master yet (failover in progress)");
        }
        auto r = command(c->ctx, {"SCRIPT", "LOAD", kTokenBucket});
        if (r->type != REDIS_REPLY_STRING) throw CacheUnavailable("Redis refused the rate limit script: " + error_of(r));
        std::lock_guard lock(mu_);
        script_sha_.assign(r->str, r->len);
        std::string now = ep.to_string();
        if (!server_.empty() && server_ != now) {
            failovers_.inc();
            log::warn("cache.server_changed", {{"from", server_}, {"to", now}});
        }
        server_ = now;
    } catch (const Broken& e) {
        throw CacheUnavailable("Redis at " + ep.to_string() + ": " + e.what());
    }
    return c;
}

std::unique_ptr<RedisCache::Conn> RedisCache::acquire() {
    std::unique_lock lock(mu_);
    auto deadline = std::chrono::steady_clock::now() + opt_.command_timeout;
    while (idle_.empty() && open_ >= opt_.max_connections)
        if (freed_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
            open_ >= opt_.max_connections)
            throw CacheUnavailable("every connection to Redis is busy");
    if (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        c->reused = true;
        return c;
    }
    ++open_;
    const auto generation = generation_;
    lock.unlock();
    try {
        auto c = connect();
        c->generation = generation;
        connections_.add(1);
        return c;
    } catch (...) {
        lock.lock();
        --open_;
        freed_.notify_one();
        throw;
    }
}

void RedisCache::release(std::unique_ptr<Conn> c) {
    std::lock_guard lock(mu_);
    if (c->generation != generation_) {  // opened before a failure: maybe to a demoted master
        --open_;
        connections_.add(-1);
    } else {
        idle_.push_back(std::move(c));
    }
    freed_.notify_one();
}

void RedisCache::discard(std::unique_ptr<Conn> c) {
    std::lock_guard lock(mu_);
    c.reset();
    --open_;
    connections_.add(-1);
    freed_.notify_one();
}

void RedisCache::failed(const std::string& why) {
    errors_.inc();
    {
        std::lock_guard lock(mu_);
        ++generation_;  // after a failover every idle connection may point at the old master
        open_ -= idle_.size();
        connections_.add(-static_cast<std::int64_t>(idle_.size()));
        idle_.clear();
    }
    retry_at_ns_.store(steady_ns() + std::chrono::duration_cast<std::chrono::nanoseconds>(opt_.retry_after).count());
    if (up_.value() != 0) log::warn("cache.unavailable", {{"error", why}});
    up_.set(0);
}

template <class F> auto RedisCache::call(F&& f) {
    if (auto at = retry_at_ns_.load(); at != 0 && steady_ns() < at) {
        fast_failures_.inc();
        throw CacheUnavailable("Redis is unavailable; retrying shortly");
    }
    for (int attempt = 0;; ++attempt) {
        std::unique_ptr<Conn> c;
        try {
            c = acquire();
        } catch (const CacheUnavailable& e) {
            failed(e.what());
            throw;
        }
        try {
            auto result = f(c->ctx);
            release(std::move(c));
            if (retry_at_ns_.exchange(0) != 0 || up_.value() == 0) {
                up_.set(1);
                log::info("cache.available", {{"server", server()}});
            }
            return result;
        } catch (const Broken& e) {
            const bool reused = c->reused;
            discard(std::move(c));
            // A pooled connection may have been closed by a restart or a failover while idle:
            // one more try on a new connection before calling Redis unavailable.
            if (reused && attempt == 0) continue;
            failed(e.what());
            throw CacheUnavailable(std::string("Redis: ") + e.what());
        }
    }
}

std::optional<std::string> RedisCache::get(std::string_view k) {
    const std::string full = key(k);
    return call([&](redisContext* ctx) -> std::optional<std::string> {
        auto r = command(ctx, {"GET", full});
        if (r->type == REDIS_REPLY_STRING) return std::string(r->str, r->len);
        if (r->type == REDIS_REPLY_NIL) return std::nullopt;
        throw std::runtime_error("Redis GET: " + error_of(r));
    });
}

std::vector<std::optional<std::string>> RedisCache::get_many(const std::vector<std::string>& keys) {
    if (keys.empty()) return {};
    std::vector<std::string> full;
    full.reserve(keys.size());
    for (const auto& k : keys) full.push_back(key(k));
    return call([&](redisContext* ctx) {
        std::vector<std::string_view> args{"MGET"};
        for (const auto& f : full) args.push_back(f);
        auto r = command(ctx, args);
        if (r->type != REDIS_REPLY_ARRAY || r->elements != keys.size())
            throw std::runtime_error("Redis MGET: unexpected reply " + error_of(r));
        std::vector<std::optional<std::string>> out;
        out.reserve(keys.size());
        for (std::size_t i = 0; i < r->elements; ++i) {
            const auto* e = r->element[i];
            if (e->type == REDIS_REPLY_STRING) out.emplace_back(std::string(e->str, e->len));
            else out.emplace_back(std::nullopt);
        }
        return out;
    });
}

void RedisCache::put(std::string_view k, std::string value, std::chrono::seconds ttl) {
    const std::string full = key(k);
    const std::string seconds = std::to_string(std::max<std::int64_t>(1, ttl.count()));
    call([&](redisContext* ctx) {
        auto r = command(ctx, {"SET", full, value, "EX", seconds});
        if (r->type == REDIS_REPLY_ERROR) throw std::runtime_error("Redis SET: " + error_of(r));
        return 0;
    });
}

void RedisCache::erase(std::string_view k) {
    const std::string full = key(k);
    call([&](redisContext* ctx) {
        auto r = command(ctx, {"DEL", full});
        if (r->type == REDIS_REPLY_ERROR) throw std::runtime_error("Redis DEL: " + error_of(r));
        return 0;
    });
}

RateDecision RedisCache::take(std::string_view k, double rate_per_s, double burst) {
    const std::string full = key(k);
    char rate[32], cap[32];
    std::snprintf(rate, sizeof rate, "%.6f", rate_per_s);
    std::snprintf(cap, sizeof cap, "%.6f", burst);
    return call([&](redisContext* ctx) {
        std::string sha;
        {
            std::lock_guard lock(mu_);
            sha = script_sha_;
        }
        auto r = command(ctx, {"EVALSHA", sha, "1", full, rate, cap});
        if (r->type == REDIS_REPLY_ERROR && error_of(r).starts_with("NOSCRIPT"))  // a server that never saw it
            r = command(ctx, {"EVAL", kTokenBucket, "1", full, rate, cap});
        if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 || r->element[0]->type != REDIS_REPLY_INTEGER ||
            r->element[1]->type != REDIS_REPLY_INTEGER)
            throw std::runtime_error("Redis rate limit script: unexpected reply " + error_of(r));
        return RateDecision{r->element[0]->integer == 1, static_cast<int>(r->element[1]->integer)};
    });
}

std::size_t RedisCache::size() {
    return call([](redisContext* ctx) {
        auto r = command(ctx, {"DBSIZE"});
        return r->type == REDIS_REPLY_INTEGER ? static_cast<std::size_t>(r->integer) : std::size_t{0};
    });
}

bool RedisCache::ping() {
    try {
        return call([](redisContext* ctx) {
            auto r = command(ctx, {"PING"});
            return r->type == REDIS_REPLY_STATUS;
        });
    } catch (const CacheUnavailable&) {
        return false;
    }
}

void RedisCache::publish(std::string_view channel, std::string_view message) {
    const std::string full = key(channel);
    call([&](redisContext* ctx) {
        auto r = command(ctx, {"PUBLISH", full, message});
        if (r->type == REDIS_REPLY_ERROR) throw std::runtime_error("Redis PUBLISH: " + error_of(r));
        return 0;
    });
}

RedisChannel::RedisChannel(RedisCache& cache, std::string channel, std::function<void(std::string_view)> on_message)
    : cache_(cache), channel_(std::move(channel)), on_message_(std::move(on_message)) {}

RedisChannel::~RedisChannel() { stop(); }

void RedisChannel::start() {
    std::lock_guard lock(mu_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void RedisChannel::stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
        if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);  // ends the blocking read
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void RedisChannel::run() {
    const std::string full = cache_.key(channel_);
    auto backoff = std::chrono::milliseconds(100);
    for (;;) {
        {
            std::lock_guard lock(mu_);
            if (stopping_) return;
        }
        std::string error;
        try {
            auto c = cache_.connect();
            redisEnableKeepAlive(c->ctx);
            const timeval forever{0, 0};
            redisSetTimeout(c->ctx, forever);  // messages may be minutes apart
            {
                std::lock_guard lock(mu_);
                if (stopping_) return;
                fd_ = c->ctx->fd;
            }
            auto r = command(c->ctx, {"SUBSCRIBE", full});
            if (r->type != REDIS_REPLY_ARRAY) throw Broken("SUBSCRIBE refused: " + error_of(r));
            listening_ = true;
            backoff = std::chrono::milliseconds(100);
            log::info("cache.channel_listening", {{"channel", channel_}, {"server", cache_.server()}});
            for (;;) {
                void* raw = nullptr;
                if (redisGetReply(c->ctx, &raw) != REDIS_OK || !raw) {
                    error = c->ctx->errstr[0] ? c->ctx->errstr : "connection lost";
                    break;
                }
                Reply m(static_cast<redisReply*>(raw));
                if (m->type == REDIS_REPLY_ARRAY && m->elements == 3 && m->element[0]->type == REDIS_REPLY_STRING &&
                    std::string_view(m->element[0]->str, m->element[0]->len) == "message" &&
                    m->element[2]->type == REDIS_REPLY_STRING) {
                    try {
                        on_message_(std::string_view(m->element[2]->str, m->element[2]->len));
                    } catch (const std::exception& e) {
                        log::error("cache.channel_handler_failed", {{"channel", channel_}, {"error", e.what()}});
                    }
                }
            }
        } catch (const std::exception& e) {
            error = e.what();
        }
        listening_ = false;
        std::unique_lock lock(mu_);
        fd_ = -1;
        if (stopping_) return;
        log::warn("cache.channel_lost", {{"channel", channel_}, {"error", error}});
        wake_.wait_for(lock, backoff, [this] { return stopping_; });
        backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
    }
}

std::string RedisCache::server() const {
    std::lock_guard lock(mu_);
    return server_;
}

}  // namespace medisecure
