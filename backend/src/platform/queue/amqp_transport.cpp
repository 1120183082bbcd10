// SPDX-License-Identifier: Apache-2.0
#include "platform/queue/amqp_transport.hpp"

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <sys/time.h>

#include <deque>
#include <set>
#include <stdexcept>
#include <thread>

#include "platform/http/url.hpp"
#include "platform/log/log.hpp"

namespace medisecure {

namespace {

struct AmqpError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

amqp_bytes_t bytes(const std::string& s) { return amqp_bytes_t{s.size(), const_cast<char*>(s.data())}; }
std::string str(amqp_bytes_t b) { return b.len == 0 ? std::string() : std::string(static_cast<const char*>(b.bytes), b.len); }

timeval to_timeval(std::chrono::milliseconds ms) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
    return tv;
}

std::string describe_reply(const amqp_rpc_reply_t& r) {
    switch (r.reply_type) {
    case AMQP_RESPONSE_NORMAL: return "ok";
    case AMQP_RESPONSE_NONE: return "no reply";
    case AMQP_RESPONSE_LIBRARY_EXCEPTION: return amqp_error_string2(r.library_error);
    case AMQP_RESPONSE_SERVER_EXCEPTION:
        if (r.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
            const auto* m = static_cast<amqp_connection_close_t*>(r.reply.decoded);
            return "connection closed by the broker: " + std::to_string(m->reply_code) + " " + str(m->reply_text);
        }
        if (r.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
            const auto* m = static_cast<amqp_channel_close_t*>(r.reply.decoded);
            return "channel closed by the broker: " + std::to_string(m->reply_code) + " " + str(m->reply_text);
        }
        return "broker error (method " + std::to_string(r.reply.id) + ")";
    }
    return "unknown reply";
}

void check(const amqp_rpc_reply_t& r, const char* what) {
    if (r.reply_type != AMQP_RESPONSE_NORMAL) throw AmqpError(std::string(what) + ": " + describe_reply(r));
}

/// AMQP field tables for queue and exchange arguments.
class Table {
public:
    Table& text(const char* key, const std::string& value) {
        strings_.push_back(value);
        amqp_table_entry_t e{};
        e.key = amqp_cstring_bytes(key);
        e.value.kind = AMQP_FIELD_KIND_UTF8;
        e.value.value.bytes = bytes(strings_.back());
        entries_.push_back(e);
        return *this;
    }
    Table& number(const char* key, long long value) {
        amqp_table_entry_t e{};
        e.key = amqp_cstring_bytes(key);
        e.value.kind = AMQP_FIELD_KIND_I64;
        e.value.value.i64 = value;
        entries_.push_back(e);
        return *this;
    }
    amqp_table_t get() {
        return amqp_table_t{static_cast<int>(entries_.size()), entries_.empty() ? nullptr : entries_.data()};
    }

private:
    std::deque<std::string> strings_;
    std::vector<amqp_table_entry_t> entries_;
};

constexpr amqp_channel_t kChannel = 1;

}  // namespace

std::optional<AmqpTarget> parse_amqp_url(std::string_view url, std::string* error) {
    auto fail = [&](const std::string& why) -> std::optional<AmqpTarget> {
        if (error) *error = why;
        return std::nullopt;
    };
    constexpr std::string_view scheme = "amqp://";
    if (url.substr(0, scheme.size()) != scheme) return fail("must start with amqp://");
    std::string why;
    auto parts = http::parse_server_url(url.substr(scheme.size()), 5672, &why);
    if (!parts) return fail(why);
    AmqpTarget t;
    t.host = parts->host;
    t.port = parts->port;
    if (parts->has_credentials) {
        t.username = parts->username;
        t.password = parts->password;
    }
    if (!parts->path.empty()) {
        auto vhost = http::percent_decode(parts->path, false);
        if (!vhost) return fail("bad percent-encoding in the virtual host");
        t.vhost = *vhost;
    }
    return t;
}

std::string redact_amqp_url(std::string_view url) {
    std::string s(url);
    auto start = s.find("://");
    auto at = s.find('@');
    if (start == std::string::npos || at == std::string::npos) return s;
    auto colon = s.find(':', start + 3);
    if (colon == std::string::npos || colon > at) return s;
    return s.substr(0, colon + 1) + "***" + s.substr(at);
}

// One AMQP connection with one channel, the topology declared on it.
class AmqpTransport::Connection {
public:
    Connection(const AmqpTarget& t, const AmqpOptions& o, const std::vector<std::string>& types, int heartbeat_s,
               bool confirms)
        : opt_(o), st_(amqp_new_connection()) {
        if (!st_) throw AmqpError("out of memory");
        // A constructor that throws runs no destructor: the state (and its 128 KiB frame buffers)
        // is freed here when connecting fails, which it does on every retry while the broker is
        // down.
        try {
            open(t, types, heartbeat_s, confirms);
        } catch (...) {
            amqp_destroy_connection(st_);
            throw;
        }
    }
    ~Connection() {
        if (open_ && !broken_) {
            amqp_channel_close(st_, kChannel, AMQP_REPLY_SUCCESS);
            amqp_connection_close(st_, AMQP_REPLY_SUCCESS);
        }
        amqp_destroy_connection(st_);
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    amqp_connection_state_t state() { return st_; }
    void mark_broken() { broken_ = true; }
    bool broken() const { return broken_; }

    std::string work_queue(const std::string& type) const { return opt_.prefix + "." + type; }
    std::string dead_name() const { return opt_.prefix + ".dead"; }

private:
    void open(const AmqpTarget& t, const std::vector<std::string>& types, int heartbeat_s, bool confirms) {
        const AmqpOptions& o = opt_;
        amqp_socket_t* socket = amqp_tcp_socket_new(st_);
        if (!socket) throw AmqpError("cannot create a socket");
        timeval tv = to_timeval(o.connect_timeout);
        if (int rc = amqp_socket_open_noblock(socket, t.host.c_str(), t.port, &tv); rc != AMQP_STATUS_OK)
            throw AmqpError("cannot connect to " + t.host + ":" + std::to_string(t.port) + ": " + amqp_error_string2(rc));
        open_ = true;
        amqp_set_handshake_timeout(st_, &tv);
        timeval rpc = to_timeval(o.confirm_timeout);
        amqp_set_rpc_timeout(st_, &rpc);
        check(amqp_login(st_, t.vhost.c_str(), 0, 131072, heartbeat_s, AMQP_SASL_METHOD_PLAIN, t.username.c_str(),
                         t.password.c_str()),
              "login");
        amqp_channel_open(st_, kChannel);
        check(amqp_get_rpc_reply(st_), "channel.open");
        declare(types);
        if (confirms) {
            amqp_confirm_select(st_, kChannel);
            check(amqp_get_rpc_reply(st_), "confirm.select");
        }
    }

public:
    /// The delay step's exchange (declared with its queue on first use on this connection).
    std::string delay_exchange(long long ms) {
        std::string name = opt_.prefix + ".delay." + std::to_string(ms);
        if (delays_.insert(ms).second) {
            exchange(name, "fanout", {});
            Table args;
            args.number("x-message-ttl", ms).text("x-dead-letter-exchange", opt_.prefix);
            queue(name, args.get());
            bind(name, name, "");
        }
        return name;
    }

    /// The job type's queue, declared and bound on first use on this connection.
    void ensure_type(const std::string& type) {
        if (types_.count(type)) return;
        Table args;
        args.text("x-queue-type", "quorum").text("x-dead-letter-exchange", dead_name()).number("x-delivery-limit", opt_.delivery_limit);
        queue(work_queue(type), args.get());
        bind(work_queue(type), opt_.prefix, type);
        types_.insert(type);
    }

    std::uint64_t queue_depth(const std::string& name) {
        auto* ok = amqp_queue_declare(st_, kChannel, bytes(name), 1, 0, 0, 0, amqp_empty_table);
        check(amqp_get_rpc_reply(st_), "queue.declare (passive)");
        return ok ? ok->message_count : 0;
    }

    void exchange(const std::string& name, const char* type, amqp_table_t args) {
        amqp_exchange_declare(st_, kChannel, bytes(name), amqp_cstring_bytes(type), 0, 1, 0, 0, args);
        check(amqp_get_rpc_reply(st_), ("exchange.declare " + name).c_str());
    }
    void queue(const std::string& name, amqp_table_t args) {
        amqp_queue_declare(st_, kChannel, bytes(name), 0, 1, 0, 0, args);
        check(amqp_get_rpc_reply(st_), ("queue.declare " + name).c_str());
    }
    void bind(const std::string& q, const std::string& ex, const std::string& key) {
        amqp_queue_bind(st_, kChannel, bytes(q), bytes(ex), bytes(key), amqp_empty_table);
        check(amqp_get_rpc_reply(st_), ("queue.bind " + q).c_str());
    }

private:
    void declare(const std::vector<std::string>& types) {
        const std::string dead = dead_name();
        exchange(dead, "fanout", amqp_empty_table);
        queue(dead, amqp_empty_table);
        bind(dead, dead, "");
        Table jobs_args;
        jobs_args.text("alternate-exchange", dead);
        exchange(opt_.prefix, "direct", jobs_args.get());
        for (const auto& type : types) ensure_type(type);
    }

    AmqpOptions opt_;
    amqp_connection_state_t st_;
    bool open_ = false;
    bool broken_ = false;
    std::set<long long> delays_;
    std::set<std::string> types_;
};

namespace {

class AmqpConsumer final : public jobs::Consumer {
public:
    AmqpConsumer(AmqpTarget target, std::vector<std::string> types, AmqpOptions opt, metrics::Registry& reg)
        : target_(std::move(target)), types_(std::move(types)), opt_(std::move(opt)),
          consumed_(reg.counter("medisecure_queue_consumed_total", "Messages the job consumers received from the broker")),
          redelivered_(reg.counter("medisecure_queue_redelivered_total",
                                   "Messages received again after a consumer left without acknowledging them")) {}

    std::optional<jobs::Delivery> next(std::chrono::milliseconds wait) override {
        if (!conn_ && !connect()) {
            std::this_thread::sleep_for(wait);
            return std::nullopt;
        }
        auto* st = conn_->state();
        amqp_maybe_release_buffers(st);
        amqp_envelope_t env;
        timeval tv = to_timeval(wait);
        amqp_rpc_reply_t r = amqp_consume_message(st, &env, &tv, 0);
        if (r.reply_type == AMQP_RESPONSE_NORMAL) {
            jobs::Delivery d;
            const auto& props = env.message.properties;
            d.job.id = (props._flags & AMQP_BASIC_MESSAGE_ID_FLAG) ? str(props.message_id) : str(env.message.body);
            d.job.type = (props._flags & AMQP_BASIC_TYPE_FLAG) ? str(props.type) : str(env.routing_key);
            d.redelivered = env.redelivered != 0;
            d.tag = env.delivery_tag;
            amqp_destroy_envelope(&env);
            consumed_.inc();
            if (d.redelivered) redelivered_.inc();
            return d;
        }
        if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && r.library_error == AMQP_STATUS_TIMEOUT) return std::nullopt;
        if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && r.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
            // A frame other than a delivery: the broker closing the channel or the connection
            // (it is stopping), or something this consumer does not use.
            amqp_frame_t frame;
            timeval zero{};
            if (amqp_simple_wait_frame_noblock(st, &frame, &zero) == AMQP_STATUS_OK && frame.frame_type == AMQP_FRAME_METHOD &&
                frame.payload.method.id != AMQP_CHANNEL_CLOSE_METHOD && frame.payload.method.id != AMQP_CONNECTION_CLOSE_METHOD)
                return std::nullopt;
        }
        log::warn("queue.consumer_lost", {{"error", describe_reply(r)}});
        drop();
        return std::nullopt;
    }

    bool ack(std::uint64_t tag) override {
        if (!conn_) return false;
        if (amqp_basic_ack(conn_->state(), kChannel, tag, 0) != AMQP_STATUS_OK) {
            drop();
            return false;
        }
        return true;
    }

    void release(std::uint64_t tag) override {
        if (conn_ && amqp_basic_reject(conn_->state(), kChannel, tag, 1) != AMQP_STATUS_OK) drop();
    }

private:
    bool connect() {
        auto now = std::chrono::steady_clock::now();
        if (now < retry_at_) return false;
        try {
            conn_ = std::make_unique<AmqpTransport::Connection>(target_, opt_, types_, opt_.heartbeat_s, false);
            auto* st = conn_->state();
            amqp_basic_qos(st, kChannel, 0, 1, 0);
            check(amqp_get_rpc_reply(st), "basic.qos");
            for (const auto& type : types_) {
                amqp_basic_consume(st, kChannel, bytes(conn_->work_queue(type)), amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
                check(amqp_get_rpc_reply(st), "basic.consume");
            }
            if (lost_) log::info("queue.consumer_back", {{"queues", types_.size()}});
            lost_ = false;
            return true;
        } catch (const std::exception& e) {
            if (!lost_) log::warn("queue.consumer_cannot_connect", {{"error", e.what()}});
            lost_ = true;
            conn_.reset();
            retry_at_ = now + std::chrono::seconds(1);
            return false;
        }
    }
    void drop() {
        if (conn_) conn_->mark_broken();
        conn_.reset();
        lost_ = true;
        retry_at_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
    }

    AmqpTarget target_;
    std::vector<std::string> types_;
    AmqpOptions opt_;
    std::unique_ptr<AmqpTransport::Connection> conn_;
    std::chrono::steady_clock::time_point retry_at_{};
    bool lost_ = false;
    metrics::Counter& consumed_;
    metrics::Counter& redelivered_;
};

}  // namespace

AmqpTransport::AmqpTransport(AmqpTarget target, AmqpOptions options, metrics::Registry& registry)
    : target_(std::move(target)), opt_(std::move(options)), registry_(registry),
      published_(registry.counter("medisecure_queue_published_total", "Messages published to the broker")),
      confirmed_(registry.counter("medisecure_queue_confirmed_total", "Published messages the broker confirmed")),
      publish_failed_(registry.counter("medisecure_queue_publish_failures_total",
                                       "Publications that failed (broker unreachable, refused or unconfirmed)")) {}

AmqpTransport::~AmqpTransport() = default;

AmqpTransport::Connection& AmqpTransport::publisher() {
    if (!pub_) pub_ = std::make_unique<Connection>(target_, opt_, std::vector<std::string>{}, 0, true);
    return *pub_;
}

void AmqpTransport::send(const std::vector<Message>& messages) {
    if (messages.empty()) return;
    std::lock_guard lock(mu_);
    // A connection kept from earlier may have died with a broker restart: one more try on a
    // new one before giving up (a message both attempts sent is delivered twice, which the
    // runner's claim makes harmless).
    const bool had_connection = pub_ != nullptr;
    try {
        send_once(messages);
    } catch (const jobs::TransportUnavailable&) {
        if (!had_connection) throw;
        send_once(messages);
    }
}

void AmqpTransport::send_once(const std::vector<Message>& messages) {
    try {
        auto& c = publisher();
        auto* st = c.state();
        for (const auto& m : messages) {
            std::string exchange = m.exchange;
            c.ensure_type(m.job.type);  // where the job goes now, or after its delay
            if (!m.expiration.empty()) exchange = c.delay_exchange(std::stoll(m.expiration));
            Table headers;
            amqp_basic_properties_t props{};
            props._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_MESSAGE_ID_FLAG |
                           AMQP_BASIC_TYPE_FLAG;
            props.content_type = amqp_cstring_bytes("text/plain");
            props.delivery_mode = AMQP_DELIVERY_PERSISTENT;
            props.message_id = bytes(m.job.id);
            props.type = bytes(m.job.type);
            if (!m.reason.empty()) {
                headers.text("x-medisecure-reason", m.reason);
                props._flags |= AMQP_BASIC_HEADERS_FLAG;
                props.headers = headers.get();
            }
            int rc = amqp_basic_publish(st, kChannel, bytes(exchange), bytes(m.routing_key), 0, 0, &props, bytes(m.job.id));
            if (rc != AMQP_STATUS_OK) throw AmqpError(std::string("basic.publish: ") + amqp_error_string2(rc));
            published_.inc();
        }
        // Publisher confirms: the channel numbers messages from 1; wait until the broker has
        // acknowledged (persisted) every one sent here.
        const std::uint64_t last = sent_ += messages.size();
        bool refused = false;
        auto deadline = std::chrono::steady_clock::now() + opt_.confirm_timeout;
        while (confirmed_upto_ < last) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) throw AmqpError("the broker did not confirm in time");
            amqp_frame_t frame;
            timeval tv = to_timeval(left);
            int rc = amqp_simple_wait_frame_noblock(st, &frame, &tv);
            if (rc != AMQP_STATUS_OK) throw AmqpError(std::string("waiting for confirms: ") + amqp_error_string2(rc));
            if (frame.frame_type != AMQP_FRAME_METHOD) continue;
            switch (frame.payload.method.id) {
            case AMQP_BASIC_ACK_METHOD:
            case AMQP_BASIC_NACK_METHOD: {
                // Acks may cover several messages (multiple) and, in principle, come out of order.
                // A nack (e.g. a quorum queue another connection is still creating) settles its
                // messages too: the others' acks are still counted, then the batch is refused.
                const bool ack = frame.payload.method.id == AMQP_BASIC_ACK_METHOD;
                std::uint64_t tag = 0;
                bool multiple = false;
                if (ack) {
                    const auto* m = static_cast<amqp_basic_ack_t*>(frame.payload.method.decoded);
                    tag = m->delivery_tag;
                    multiple = m->multiple != 0;
                } else {
                    const auto* m = static_cast<amqp_basic_nack_t*>(frame.payload.method.decoded);
                    tag = m->delivery_tag;
                    multiple = m->multiple != 0;
                    refused = true;
                }
                const std::uint64_t before = confirmed_upto_ + single_acks_.size();
                if (multiple) {
                    confirmed_upto_ = std::max(confirmed_upto_, tag);
                } else if (tag > confirmed_upto_) {
                    single_acks_.insert(tag);
                }
                std::erase_if(single_acks_, [&](std::uint64_t t) { return t <= confirmed_upto_; });
                while (!single_acks_.empty() && *single_acks_.begin() == confirmed_upto_ + 1) {
                    confirmed_upto_ = *single_acks_.begin();
                    single_acks_.erase(single_acks_.begin());
                }
                const std::uint64_t after = confirmed_upto_ + single_acks_.size();
                if (ack && after > before) confirmed_.inc(after - before);
                break;
            }
            case AMQP_CHANNEL_CLOSE_METHOD: {
                const auto* m = static_cast<amqp_channel_close_t*>(frame.payload.method.decoded);
                throw AmqpError("channel closed by the broker: " + std::to_string(m->reply_code) + " " + str(m->reply_text));
            }
            case AMQP_CONNECTION_CLOSE_METHOD: throw AmqpError("connection closed by the broker");
            default: break;
            }
        }
        if (refused) throw AmqpError("the broker refused a message (nack)");
    } catch (const std::exception& e) {
        publish_failed_.inc(messages.size());
        if (pub_) pub_->mark_broken();
        pub_.reset();
        sent_ = confirmed_upto_ = 0;
        single_acks_.clear();
        throw jobs::TransportUnavailable(e.what());
    }
}

void AmqpTransport::publish(const std::vector<jobs::Dispatch>& jobs) {
    std::vector<Message> messages;
    messages.reserve(jobs.size());
    for (const auto& j : jobs) messages.push_back({opt_.prefix, j.type, j, "", ""});
    send(messages);
}

void AmqpTransport::publish_delayed(const jobs::Dispatch& job, std::chrono::milliseconds delay) {
    // Whole steps of 100 ms at least, so that jittered delays do not each make a queue.
    long long ms = std::max<long long>(100, delay.count() / 100 * 100);
    send({{"", job.type, job, std::to_string(ms), ""}});
}

void AmqpTransport::publish_dead(const jobs::Dispatch& job, const std::string& reason) {
    send({{opt_.prefix + ".dead", job.type, job, "", reason.empty() ? "dead" : reason}});
}

std::unique_ptr<jobs::Consumer> AmqpTransport::consumer(const std::vector<std::string>& types) {
    return std::make_unique<AmqpConsumer>(target_, types, opt_, registry_);
}

bool AmqpTransport::ping() {
    std::lock_guard lock(mu_);
    try {
        publisher();
        return true;
    } catch (const std::exception&) {
        pub_.reset();
        return false;
    }
}

std::string AmqpTransport::describe() const { return target_.host + ":" + std::to_string(target_.port) + " vhost " + target_.vhost; }

std::optional<std::uint64_t> AmqpTransport::queue_depth(const std::string& queue) {
    try {
        Connection c(target_, opt_, {}, 0, false);
        return c.queue_depth(queue);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace medisecure
