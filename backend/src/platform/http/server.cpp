// SPDX-License-Identifier: Apache-2.0
#include "platform/http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <array>
#include <limits>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "platform/http/request_head.hpp"
#include "platform/http/url.hpp"
#include "platform/log/log.hpp"

namespace medisecure::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::use_awaitable;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

namespace {

Error body_late() {
    return Error{ErrorKind::request_timeout, "request_timeout", "The request body was not received in time."};
}

struct Connection {
    explicit Connection(tcp::socket s) : stream(std::move(s)) {}
    beast::tcp_stream stream;
    // Set on the connection's thread while a request is being handled (from its head read to
    // its answer written); read by the acceptor when it looks for an idle connection to close.
    std::atomic<bool> busy{false};
    std::atomic<bool> evicted{false};  // chosen to make room for a new connection
};

/// A deadline for the reads of one request part (its head, its body, a chunk of an upload): when it
/// passes, the connection's pending read is cancelled, on the connection's own thread, so that a
/// 408 can still be written (Beast's own expiry would close the socket first). Disarmed when it
/// goes out of scope, also if its timer already fired and its handler waits to run.
class ReadDeadline {
public:
    ReadDeadline(const std::shared_ptr<Connection>& conn, std::chrono::steady_clock::duration timeout)
        : timer_(conn->stream.get_executor()), state_(std::make_shared<State>()) {
        conn->stream.expires_never();
        timer_.expires_after(timeout);
        timer_.async_wait([conn, state = state_](const boost::system::error_code& e) {
            if (e || !state->armed) return;
            state->late = true;
            boost::system::error_code ignored;
            conn->stream.socket().cancel(ignored);
        });
    }
    ~ReadDeadline() {
        state_->armed = false;
        timer_.cancel();
    }
    ReadDeadline(const ReadDeadline&) = delete;
    ReadDeadline& operator=(const ReadDeadline&) = delete;
    /// The read was cancelled because the deadline passed.
    bool late() const { return state_->late; }

private:
    struct State {
        bool armed = true;
        bool late = false;
    };
    asio::steady_timer timer_;
    std::shared_ptr<State> state_;
};

/// The status line and header fields of a response with its whole body in hand, written out
/// directly: the fields Beast's serializer wrote (Server first, the response's own in order,
/// Content-Type, Connection: close when the connection ends, Content-Length unless the status
/// has no body), without building a Beast message of allocated fields first. A value never
/// carries a line break into the header block.
std::string response_head(const Response& resp, bool keep_alive, std::optional<std::size_t> length) {
    std::string out;
    out.reserve(640);
    out += "HTTP/1.1 ";
    out += std::to_string(resp.status);
    out += ' ';
    auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(resp.status));
    out.append(reason.data(), reason.size());
    out += "\r\nServer: MediSecure\r\n";
    auto field = [&out](std::string_view name, std::string_view value) {
        out += name;
        out += ": ";
        for (char c : value) out += c == '\r' || c == '\n' ? ' ' : c;
        out += "\r\n";
    };
    for (const auto& [name, value] : resp.headers.all()) field(name, value);
    if (!resp.content_type.empty()) field("Content-Type", resp.content_type);
    if (!keep_alive && !resp.headers.has("Connection")) field("Connection", "close");
    if (length) field("Content-Length", std::to_string(*length));
    out += "\r\n";
    return out;
}

}  // namespace

struct HttpServer::Impl {
    Impl(ServerOptions o, Pipeline& p, DurabilityGate* g, metrics::Registry& reg)
        : opt(std::move(o)), pipeline(p), gate(g), ioc(1),
          workers(std::max(1u, opt.worker_threads)), acceptor(ioc) {
        for (unsigned i = 1; i < std::max(1u, opt.io_threads); ++i)
            more.push_back(std::make_unique<asio::io_context>(1));
        reg.gauge_fn("medisecure_http_in_flight_requests", "Requests being processed", [this] {
            return static_cast<double>(in_flight.load());
        });
        reg.gauge_fn("medisecure_http_open_connections", "Open client connections", [this] {
            return static_cast<double>(connections.load());
        });
        reg.gauge_fn("medisecure_worker_queue_depth", "Requests waiting for a worker thread", [this] {
            return static_cast<double>(queued.load());
        });
        reg.gauge_fn("medisecure_worker_threads", "Size of the worker pool", [this] {
            return static_cast<double>(std::max(1u, opt.worker_threads));
        });
        overloaded = &reg.counter("medisecure_http_overloaded_total", "Requests refused because the worker queue was full");
        bytes_streamed = &reg.counter("medisecure_http_streamed_bytes_total", "Bytes sent in streamed response bodies");
        reg.gauge_fn("medisecure_http_event_streams", "Open server-sent event streams", [this] {
            return static_cast<double>(open_event_streams.load());
        });
        audit_refused = &reg.counter("medisecure_http_audit_failures_total",
                                     "Responses withheld because their audit records could not be made durable");
        evictions = &reg.counter("medisecure_http_idle_connections_closed_total",
                                 "Idle connections closed to make room for new ones at the connection cap");
    }

    ServerOptions opt;
    Pipeline& pipeline;
    DurabilityGate* gate;
    // One event loop per I/O thread, each connection on one of them for its whole life: no
    // strand, no handler moving between threads, no thread waking another for its socket.
    // `ioc` is the first thread's; it also runs the acceptor, the signals and the drain.
    asio::io_context ioc;
    std::vector<std::unique_ptr<asio::io_context>> more;
    std::size_t next_loop = 0;  // the accept loop's round robin
    asio::io_context& loop_for_next_connection() {
        std::size_t i = next_loop++ % (more.size() + 1);
        return i == 0 ? ioc : *more[i - 1];
    }
    void stop_loops() {
        ioc.stop();
        for (auto& c : more)
            c->stop();
    }
    asio::thread_pool workers;
    tcp::acceptor acceptor;
    std::atomic<bool> draining{false};
    std::atomic<std::int64_t> in_flight{0}, queued{0}, connections{0};
    metrics::Counter* overloaded;
    metrics::Counter* audit_refused;
    metrics::Counter* evictions;
    std::mutex conns_mu;
    std::list<std::weak_ptr<Connection>> conns;

    asio::awaitable<void> accept_loop();
    bool close_oldest_idle();
    asio::awaitable<void> session(std::shared_ptr<Connection> conn, std::list<std::weak_ptr<Connection>>::iterator self);
    asio::awaitable<bool> wait_durable(std::uint64_t ticket);
    asio::awaitable<void> write(Connection& conn, Request& req, Response& resp, bool keep_alive);
    struct Spooled {
        bool ok = true;
        bool done = false;
        bool too_large = false;
        bool storage_full = false;  // the spool's disk is full: answered 507
        bool late = false;          // a chunk did not arrive within the read timeout: answered 408
        std::shared_ptr<SpooledBody> body;
    };
    asio::awaitable<Spooled> read_spooled(const std::shared_ptr<Connection>& conn, beast::flat_buffer& buffer,
                                          bhttp::request_parser<bhttp::empty_body>& hp, std::size_t limit);
    asio::awaitable<bool> write_stream(Connection& conn, Request& req, Response& resp, bool keep_alive);
    asio::awaitable<void> write_events(Connection& conn, Request& req, Response& resp);
    template <class Message>
    static void set_headers(Message& res, const Response& resp);
    std::mutex streams_mu;
    std::vector<std::weak_ptr<EventStream>> streams;
    std::atomic<std::int64_t> open_event_streams{0};
    metrics::Counter* bytes_streamed;
    void begin_shutdown();
    asio::awaitable<void> drain();
};

asio::awaitable<bool> HttpServer::Impl::wait_durable(std::uint64_t ticket) {
    auto ex = co_await asio::this_coro::executor;
    auto initiate = [this, ticket, ex](auto handler) {
        using H = decltype(handler);
        auto h = std::make_shared<H>(std::move(handler));
        // The guard keeps run() from returning while the record is being written.
        auto work = std::make_shared<asio::executor_work_guard<asio::any_io_executor>>(ex);
        gate->when_durable(ticket, [h, work, ex](bool ok) {
            asio::post(ex, [h, work, ok]() mutable { std::move(*h)(ok); });
        });
    };
    co_return co_await asio::async_initiate<decltype(use_awaitable), void(bool)>(initiate, use_awaitable);
}

asio::awaitable<void> HttpServer::Impl::write(Connection& conn, Request& req, Response& resp, bool keep_alive) {
    // 1xx, 204 and 304 have neither a body nor a length; a HEAD answer has the length of the body
    // it leaves out.
    bool bodiless = resp.status / 100 == 1 || resp.status == 204 || resp.status == 304;
    auto length = bodiless ? std::nullopt : std::optional(resp.body.size());
    std::string head = response_head(resp, keep_alive, length);
    std::string_view body = bodiless || req.method == Method::head ? std::string_view{} : resp.body;
    conn.stream.expires_after(opt.write_timeout);
    std::array<asio::const_buffer, 2> out{asio::buffer(head), asio::buffer(body.data(), body.size())};
    co_await asio::async_write(conn.stream, out, tuple_awaitable);
}

asio::awaitable<void> HttpServer::Impl::session(std::shared_ptr<Connection> conn,
                                                std::list<std::weak_ptr<Connection>>::iterator self) {
    beast::flat_buffer buffer;
    bool linger = false;  // a rejected request left unread bytes behind
    std::string peer;
    {
        boost::system::error_code ec;
        auto ep = conn->stream.socket().remote_endpoint(ec);
        peer = ec ? "unknown" : ep.address().to_string();
    }
    try {
        for (;;) {
            if (draining.load()) break;
            wire::HeadParser hp;
            wire::limit_head(hp, opt.header_limit);
            conn->busy = false;
            if (buffer.size() == 0) {
                // Kept alive: the next request may take up to the idle timeout to begin.
                conn->stream.expires_after(opt.idle_timeout);
                auto [ec0, n0] = co_await conn->stream.async_read_some(buffer.prepare(4096), tuple_awaitable);
                if (ec0) break;
                buffer.commit(n0);
            }
            // From its first byte, the whole head must arrive within the read timeout: a client
            // sending it a line at a time (slowloris) is answered 408 and closed, not kept until
            // the idle timeout. Beast's own expiry would close the socket first; this timer only
            // cancels the read, on this connection's thread, so that the 408 can still be sent.
            bool head_late = false;
            boost::system::error_code ec;
            {
                ReadDeadline deadline(conn, opt.read_timeout);
                std::tie(ec, std::ignore) = co_await bhttp::async_read_header(conn->stream, buffer, hp, tuple_awaitable);
                head_late = ec && deadline.late();
            }
            conn->busy = true;
            if (head_late) {
                Request req;
                req.client_ip = peer;
                Response resp = pipeline.reject(req, {ErrorKind::request_timeout, "request_timeout",
                                                      "The request headers were not received in time."});
                co_await write(*conn, req, resp, false);
                pipeline.finish(req, resp, std::chrono::steady_clock::now() - req.received_at);
                break;
            }
            if (ec) {
                if (auto refused = wire::refuse_head(ec)) {
                    Request req;
                    req.client_ip = peer;
                    Response resp = pipeline.reject(req, refused->error);
                    if (refused->status) resp.status = refused->status;
                    linger = true;
                    co_await write(*conn, req, resp, false);
                    pipeline.finish(req, resp, std::chrono::steady_clock::now() - req.received_at);
                }
                break;  // end of stream, timeout, reset, or cancelled by shutdown
            }

            ++in_flight;
            struct Done {
                std::atomic<std::int64_t>& n;
                ~Done() { --n; }
            } done{in_flight};

            auto parsed = wire::request_from_head(hp.get(), peer);
            Request& req = parsed.req;
            bool keep_alive = parsed.keep_alive;
            std::optional<Error> early = std::move(parsed.early);
            auto& head = hp.get();
            bool body_done = hp.is_done();
            bool light = false;
            if (!early) {
                const Route* route = pipeline.route_for(req);
                light = route && (route->in_process ||
                                  (opt.inline_light_routes && (route->light || (route->light_when && route->light_when(req)))));
                std::size_t limit = route && route->body_limit ? route->body_limit : opt.body_limit;
                auto too_large = [&] {
                    return Error{ErrorKind::payload_too_large, "payload_too_large",
                                 "The request body exceeds " + std::to_string(limit) + " bytes."};
                };
                if (auto declared = hp.content_length(); declared && *declared > limit) {
                    early = too_large();
                } else {
                    if (auto expect = head[bhttp::field::expect]; beast::iequals(expect, "100-continue")) {
                        bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
                        conn->stream.expires_after(opt.write_timeout);
                        co_await bhttp::async_write(conn->stream, cont, tuple_awaitable);
                    }
                    if (route && route->streamed_body) {
                        auto r = co_await read_spooled(conn, buffer, hp, limit);
                        if (!r.ok) break;
                        body_done = r.done;
                        if (r.too_large) early = too_large();
                        else if (r.storage_full) early = storage_full();
                        else if (r.late) early = body_late();
                        else req.spooled_body = std::move(r.body);
                    } else {
                        // The whole body within the read timeout from the end of the head (a
                        // client dripping it, "R.U.D.Y.", is answered 408 and closed).
                        bhttp::request_parser<bhttp::string_body> bp{std::move(hp)};
                        bp.body_limit(limit);
                        if (!bp.is_done()) {
                            ReadDeadline deadline(conn, opt.read_timeout);
                            auto [bec, bn] = co_await bhttp::async_read(conn->stream, buffer, bp, tuple_awaitable);
                            if (bec == bhttp::error::body_limit) early = too_large();
                            else if (bec && deadline.late()) early = body_late();
                            else if (bec) break;
                        }
                        body_done = bp.is_done();
                        req.body = std::move(bp.get().body());
                    }
                }
            }

            Response resp;
            if (early) {
                // The rest of the body was not read: the connection cannot be reused.
                keep_alive = false;
                linger = !body_done;
                resp = pipeline.reject(req, *early);
                if (early->kind == ErrorKind::payload_too_large) resp.headers.set("Connection", "close");
            } else {
                if (light) {
                    resp = pipeline.handle(req);
                } else if (queued.load() >= static_cast<std::int64_t>(opt.max_queue)) {
                    overloaded->inc();
                    Error e = unavailable("overloaded", "The server is busy; retry shortly.");
                    e.retry_after_s = 1;
                    resp = pipeline.reject(req, e);
                } else {
                    ++queued;
                    resp = co_await asio::co_spawn(
                        workers,
                        [this, &req]() -> asio::awaitable<Response> {
                            static thread_local const bool named =
                                (log::name_thread("ms-worker"), true);
                            (void)named;
                            --queued;
                            co_return pipeline.handle(req);
                        },
                        use_awaitable);
                }
                // Nothing leaves before its audit records are durable; if they cannot be
                // written, the caller gets 503 instead of the data (fail closed).
                if (auto ticket = req.audit_ticket->value(); ticket != 0 && gate) {
                    if (!co_await wait_durable(ticket)) {
                        audit_refused->inc();
                        Error e = gate->out_of_space()
                                      ? storage_full("The server's storage is full: the audit trail could not record "
                                                     "this request, so it was not completed. Try again once space is freed.")
                                      : unavailable("audit_unavailable",
                                                    "The audit trail is unavailable; the request was not completed.");
                        if (!e.retry_after_s) e.retry_after_s = 2;  // like database_unavailable: the client comes back
                        resp = pipeline.reject(req, e);
                    }
                }
            }
            req.spooled_body.reset();  // the temporary file goes as soon as the handler is done
            keep_alive = keep_alive && !draining.load();
            bool written = true;
            if (resp.events) {
                co_await write_events(*conn, req, resp);
                keep_alive = false;
            } else if (resp.stream) {
                written = co_await write_stream(*conn, req, resp, keep_alive);
            } else {
                co_await write(*conn, req, resp, keep_alive);
            }
            pipeline.finish(req, resp, std::chrono::steady_clock::now() - req.received_at);
            if (!keep_alive || !written) break;
        }
    } catch (const std::exception& e) {
        log::error("http.session_error", {{"error", e.what()}});
    }
    boost::system::error_code ignored;
    conn->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    if (linger) {
        // Closing with unread input makes the kernel send a reset that can destroy the error
        // response before the client reads it; drain a bounded amount first (as nginx's
        // lingering_close does).
        std::array<char, 16384> sink;
        std::size_t drained = 0;
        conn->stream.expires_after(std::chrono::seconds(2));
        while (drained < 16 * 1024 * 1024) {
            auto [ec, n] = co_await conn->stream.async_read_some(asio::buffer(sink), tuple_awaitable);
            if (ec) break;
            drained += n;
        }
    }
    conn->stream.socket().close(ignored);
    {
        std::lock_guard lock(conns_mu);
        conns.erase(self);
    }
    --connections;
}

asio::awaitable<HttpServer::Impl::Spooled> HttpServer::Impl::read_spooled(const std::shared_ptr<Connection>& conn,
                                                                         beast::flat_buffer& buffer,
                                                                         bhttp::request_parser<bhttp::empty_body>& hp,
                                                                         std::size_t limit) {
    Spooled out;
    bhttp::request_parser<bhttp::buffer_body> sp{std::move(hp)};
    sp.body_limit(limit);
    std::shared_ptr<SpooledBody> body;
    try {
        body = std::make_shared<SpooledBody>(opt.spool_dir);
    } catch (const StorageFull&) {
        out.storage_full = true;
        co_return out;
    }
    std::vector<char> chunk(64 * 1024);
    while (!sp.is_done()) {
        sp.get().body().data = chunk.data();
        sp.get().body().size = chunk.size();
        // Each chunk of 64 KiB within the read timeout: an upload may take as long as it needs
        // at any useful rate (2 KiB/s at the default 30 s), not a connection held by a trickle.
        boost::system::error_code ec;
        bool late = false;
        {
            ReadDeadline deadline(conn, opt.read_timeout);
            std::tie(ec, std::ignore) = co_await bhttp::async_read(conn->stream, buffer, sp, tuple_awaitable);
            late = ec && ec != bhttp::error::need_buffer && deadline.late();
        }
        if (ec == bhttp::error::need_buffer) ec = {};
        if (ec == bhttp::error::body_limit) {
            out.too_large = true;
            co_return out;
        }
        if (late) {
            out.late = true;
            co_return out;
        }
        if (ec) {
            out.ok = false;
            co_return out;
        }
        std::size_t got = chunk.size() - sp.get().body().size;
        if (got > 0) {
            // Encrypting and writing are blocking work: the worker pool does them.
            try {
                co_await asio::co_spawn(
                    workers,
                    [&body, &chunk, got]() -> asio::awaitable<void> {
                        body->append(chunk.data(), got);
                        co_return;
                    },
                    use_awaitable);
            } catch (const StorageFull&) {
                out.storage_full = true;
                co_return out;
            }
        }
    }
    try {
        co_await asio::co_spawn(
            workers,
            [&body]() -> asio::awaitable<void> {
                body->finish();
                co_return;
            },
            use_awaitable);
    } catch (const StorageFull&) {
        out.storage_full = true;
        co_return out;
    }
    out.done = true;
    out.body = std::move(body);
    co_return out;
}

template <class Message>
void HttpServer::Impl::set_headers(Message& res, const Response& resp) {
    res.set(bhttp::field::server, "MediSecure");
    for (const auto& [k, v] : resp.headers.all()) res.insert(k, v);
    if (!resp.content_type.empty()) res.set(bhttp::field::content_type, resp.content_type);
}

asio::awaitable<bool> HttpServer::Impl::write_stream(Connection& conn, Request& req, Response& resp, bool keep_alive) {
    bhttp::response<bhttp::buffer_body> res{static_cast<bhttp::status>(resp.status), 11};
    set_headers(res, resp);
    res.keep_alive(keep_alive);
    auto size = resp.stream->size();
    if (size) res.content_length(*size);
    else res.chunked(true);
    bhttp::response_serializer<bhttp::buffer_body> sr{res};
    conn.stream.expires_after(opt.write_timeout);
    auto [hec, hn] = co_await bhttp::async_write_header(conn.stream, sr, tuple_awaitable);
    if (hec) co_return false;
    if (req.method == Method::head) co_return true;
    std::vector<char> chunk(64 * 1024);
    std::uint64_t sent = 0;
    for (;;) {
        std::size_t got = 0;
        bool failed = false;
        co_await asio::co_spawn(
            workers,
            [&]() -> asio::awaitable<void> {
                try {
                    got = resp.stream->read(chunk.data(), chunk.size());
                } catch (const std::exception& e) {
                    // Headers are gone: the only honest signal left is to cut the connection.
                    log::error("http.stream_failed", {{"request_id", req.request_id}, {"error", e.what()}});
                    failed = true;
                }
                co_return;
            },
            use_awaitable);
        if (failed) co_return false;
        res.body().data = got ? chunk.data() : nullptr;
        res.body().size = got;
        res.body().more = got > 0;
        conn.stream.expires_after(opt.write_timeout);
        auto [ec, n] = co_await bhttp::async_write(conn.stream, sr, tuple_awaitable);
        if (ec == bhttp::error::need_buffer) ec = {};
        if (ec) co_return false;
        sent += got;
        if (got == 0) break;
    }
    resp.body.assign(std::to_string(sent).size(), ' ');  // the access log reports a size, not the bytes
    resp.body.clear();
    bytes_streamed->inc(sent);
    co_return !size || sent == *size;
}

asio::awaitable<void> HttpServer::Impl::write_events(Connection& conn, Request& req, Response& resp) {
    bhttp::response<bhttp::buffer_body> res{static_cast<bhttp::status>(resp.status), 11};
    set_headers(res, resp);
    res.set(bhttp::field::content_type, "text/event-stream");
    res.set("X-Accel-Buffering", "no");  // proxies must not buffer the stream
    res.keep_alive(false);
    res.chunked(true);
    bhttp::response_serializer<bhttp::buffer_body> sr{res};
    conn.stream.expires_after(opt.write_timeout);
    auto [hec, hn] = co_await bhttp::async_write_header(conn.stream, sr, tuple_awaitable);
    if (hec) co_return;
    auto events = resp.events;
    auto ex = co_await asio::this_coro::executor;
    auto timer = std::make_shared<asio::steady_timer>(ex);
    {
        std::lock_guard lock(streams_mu);
        streams.push_back(events);
    }
    events->set_waker([timer, ex] { asio::post(ex, [timer] { timer->cancel(); }); });
    ++open_event_streams;
    std::string payload = "retry: 3000\n\n";  // tells the browser how soon to reconnect
    for (;;) {
        res.body().data = payload.data();
        res.body().size = payload.size();
        res.body().more = true;
        conn.stream.expires_after(opt.write_timeout);
        auto [ec, n] = co_await bhttp::async_write(conn.stream, sr, tuple_awaitable);
        if (ec == bhttp::error::need_buffer) ec = {};
        if (ec || events->closed() || draining.load()) break;
        payload.clear();
        for (auto& e : events->take()) payload += e;
        if (!payload.empty()) continue;
        timer->expires_after(opt.sse_heartbeat);
        co_await timer->async_wait(tuple_awaitable);
        for (auto& e : events->take()) payload += e;
        if (payload.empty()) payload = ": keep-alive\n\n";
    }
    events->set_waker({});
    events->close();
    --open_event_streams;
    // End the chunked body cleanly when the client is still there.
    res.body().data = nullptr;
    res.body().size = 0;
    res.body().more = false;
    conn.stream.expires_after(std::chrono::seconds(2));
    co_await bhttp::async_write(conn.stream, sr, tuple_awaitable);
    (void)req;
}

asio::awaitable<void> HttpServer::Impl::accept_loop() {
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(
            loop_for_next_connection().get_executor(), tuple_awaitable);
        if (ec) {
            if (!acceptor.is_open() || ec == asio::error::operation_aborted) co_return;
            // Out of descriptors or a transient error: pause instead of spinning.
            asio::steady_timer t(ioc, std::chrono::milliseconds(50));
            co_await t.async_wait(tuple_awaitable);
            continue;
        }
        if (connections.load() >= static_cast<std::int64_t>(opt.max_connections) && !close_oldest_idle()) {
            boost::system::error_code ignored;
            socket.close(ignored);
            continue;
        }
        boost::system::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        auto conn = std::make_shared<Connection>(std::move(socket));
        std::list<std::weak_ptr<Connection>>::iterator self;
        {
            std::lock_guard lock(conns_mu);
            self = conns.insert(conns.end(), conn);
        }
        ++connections;
        auto ex = conn->stream.get_executor();
        asio::co_spawn(ex, session(std::move(conn), self), asio::detached);
    }
}

// At the connection cap, the oldest idle connection (kept alive with no request, or still
// sending its head) is closed to let the new one in: clients that hold
// connections open without using them (10,000 idle sockets from one attacker, a slowloris) can
// no longer keep everyone else out until their idle timeout; a request being handled is never
// cut. False when every connection is busy: the new one is then refused, as before.
bool HttpServer::Impl::close_oldest_idle() {
    std::lock_guard lock(conns_mu);
    for (auto& weak : conns) {  // in the order they were accepted
        auto conn = weak.lock();
        if (!conn || conn->busy.load() || conn->evicted.exchange(true)) continue;
        evictions->inc();
        asio::post(conn->stream.get_executor(), [conn] {
            if (!conn->busy.load()) conn->stream.cancel();
        });
        return true;
    }
    return false;
}

void HttpServer::Impl::begin_shutdown() {
    if (draining.exchange(true)) return;
    log::info("http.draining", {{"in_flight", static_cast<std::int64_t>(in_flight.load())},
                                {"connections", static_cast<std::int64_t>(connections.load())}});
    boost::system::error_code ignored;
    acceptor.close(ignored);
    std::lock_guard lock(conns_mu);
    for (auto& weak : conns) {
        if (auto conn = weak.lock()) {
            // Idle keep-alive connections are closed now; busy ones finish their request and
            // then close because draining turns keep-alive off.
            asio::post(conn->stream.get_executor(), [conn] {
                if (!conn->busy) conn->stream.cancel();
            });
        }
    }
    {
        // Event streams never end by themselves: close them so their connections drain.
        std::lock_guard slock(streams_mu);
        for (auto& w : streams)
            if (auto e = w.lock()) e->close();
        streams.clear();
    }
    asio::co_spawn(ioc, drain(), asio::detached);
}

asio::awaitable<void> HttpServer::Impl::drain() {
    auto deadline = std::chrono::steady_clock::now() + opt.drain_timeout;
    asio::steady_timer t(ioc);
    while (connections.load() > 0 && std::chrono::steady_clock::now() < deadline) {
        t.expires_after(std::chrono::milliseconds(20));
        co_await t.async_wait(tuple_awaitable);
    }
    if (connections.load() > 0) log::warn("http.drain_timeout", {{"connections", static_cast<std::int64_t>(connections.load())}});
    stop_loops();
}

HttpServer::HttpServer(ServerOptions options, Pipeline& pipeline, DurabilityGate* gate, metrics::Registry& registry)
    : impl_(std::make_unique<Impl>(std::move(options), pipeline, gate, registry)) {}

HttpServer::~HttpServer() {
    impl_->stop_loops();
    impl_->workers.join();
}

std::uint16_t HttpServer::listen() {
    auto& a = impl_->acceptor;
    tcp::endpoint ep{asio::ip::make_address(impl_->opt.host), impl_->opt.port};
    a.open(ep.protocol());
    a.set_option(asio::socket_base::reuse_address(true));
    a.bind(ep);
    a.listen(asio::socket_base::max_listen_connections);
    return a.local_endpoint().port();
}

void HttpServer::run(bool handle_signals) {
    auto& im = *impl_;
    asio::signal_set signals(im.ioc);
    if (handle_signals) {
        signals.add(SIGINT);
        signals.add(SIGTERM);
        signals.async_wait([&im](const boost::system::error_code& ec, int) {
            if (!ec) im.begin_shutdown();
        });
    }
    asio::co_spawn(im.ioc, im.accept_loop(), asio::detached);
    std::vector<std::thread> extra;
    for (auto& c : im.more)
        extra.emplace_back([loop = c.get()] {
            log::name_thread("ms-io");
            // Kept running while it has no connection; stop_loops() ends it.
            auto guard = asio::make_work_guard(*loop);
            loop->run();
        });
    im.ioc.run();
    im.stop_loops();
    for (auto& t : extra) t.join();
    im.workers.join();
    log::info("http.stopped");
}

void HttpServer::shutdown() {
    asio::post(impl_->ioc, [im = impl_.get()] { im->begin_shutdown(); });
}

const std::atomic<bool>& HttpServer::draining() const { return impl_->draining; }

}  // namespace medisecure::http
