// SPDX-License-Identifier: Apache-2.0
// Raw bytes from a client, read as the server reads them: Beast's request parser with the
// server's limits (platform/http/request_head.hpp), the plain Request the head becomes, the
// body (Content-Length or chunked) under the route's limit, then the whole pipeline: route
// match, cookies and bearer tokens through the identity context's token verification, query
// string and path parameters, the JSON body against its schema, security headers. Keep-alive
// requests follow one another in one input, as on a connection.
//
// The literal @TOKEN@ in the input is replaced by a valid access token (signed with the
// fuzzer's key), so that the fuzzer also reaches what only signed-in callers reach.
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <string>

#include "contexts/identity/app/token_service.hpp"
#include "contexts/identity/http/routes.hpp"
#include "core/clock.hpp"
#include "core/time.hpp"
#include "fuzz_input.hpp"
#include "platform/cache/memory_cache.hpp"
#include "platform/http/pipeline.hpp"
#include "platform/http/request_head.hpp"
#include "platform/log/log.hpp"
#include "routes_fixture.hpp"

using namespace medisecure;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

/// A SyncReadStream over the input, handing it out in reads of `step` bytes (as a socket
/// delivers a request in several segments).
class InputStream {
public:
    InputStream(std::string_view data, std::size_t step) : data_(data), step_(step) {}
    template <class MutableBufferSequence>
    std::size_t read_some(const MutableBufferSequence& buffers, boost::system::error_code& ec) {
        if (data_.empty()) {
            ec = asio::error::eof;
            return 0;
        }
        std::size_t n = asio::buffer_copy(buffers, asio::buffer(data_.data(), std::min(step_, data_.size())));
        data_.remove_prefix(n);
        ec = {};
        return n;
    }
    template <class MutableBufferSequence>
    std::size_t read_some(const MutableBufferSequence& buffers) {
        boost::system::error_code ec;
        auto n = read_some(buffers, ec);
        if (ec) throw boost::system::system_error(ec);
        return n;
    }

private:
    std::string_view data_;
    std::size_t step_;
};

struct World {
    ManualClock clock{*parse_instant("2026-03-02T09:00:00Z")};
    MemoryCache cache{clock};
    metrics::Registry registry;
    identity::TokenService tokens{"fuzzing secret, not a real one", cache, clock, 900};
    identity::TokenAuthenticator auth{tokens};
    http::Router router;
    std::unique_ptr<http::Pipeline> pipeline;
    std::string token;

    World() {
        log::setup(log::Level::error, false);
        fuzz::add_fuzz_routes(router);
        http::PipelineOptions opt;
        opt.per_ip = {0, 0};  // rate limits would turn every later input into a 429
        opt.per_user = {0, 0};
        opt.auth_per_ip = {0, 0};
        opt.validate_responses = true;
        opt.trusted_proxies = {"10.0.0.0/8", "fd00::/8"};
        opt.cors_origins = {"https://app.example.org"};
        pipeline = std::make_unique<http::Pipeline>(router, auth, cache, registry, opt);
        identity::User u;
        u.id = "7d6f1b8e-2f55-4c3a-9a43-1c2b9d3e4f50";
        u.role = Role::doctor;
        std::int64_t expires = 0;
        token = tokens.issue(u, "0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5", false, expires);
    }
};

constexpr std::size_t kHeaderLimit = 16 * 1024;  // ServerOptions' defaults
constexpr std::size_t kBodyLimit = 1024 * 1024;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static World world;
    fuzz::Input in(data, size);
    std::size_t step = 1 + in.byte() % 64;
    std::string bytes(in.rest());
    for (std::size_t p; (p = bytes.find("@TOKEN@")) != std::string::npos;) bytes.replace(p, 7, world.token);

    InputStream stream(bytes, step);
    beast::flat_buffer buffer;
    for (int requests = 0; requests < 8; ++requests) {
        http::wire::HeadParser hp;
        http::wire::limit_head(hp, kHeaderLimit);
        boost::system::error_code ec;
        bhttp::read_header(stream, buffer, hp, ec);
        if (ec) {
            if (auto refused = http::wire::refuse_head(ec)) {
                http::Request req;
                auto resp = world.pipeline->reject(req, refused->error);
                fuzz::check(resp.status >= 400, "a refused head is answered with an error");
            }
            break;
        }
        auto parsed = http::wire::request_from_head(hp.get(), "10.1.2.3");
        http::Request& req = parsed.req;
        std::optional<Error> early = std::move(parsed.early);
        bool body_done = hp.is_done();
        if (!early) {
            const http::Route* route = world.pipeline->route_for(req);
            std::size_t limit = route && route->body_limit ? route->body_limit : kBodyLimit;
            if (auto declared = hp.content_length(); declared && *declared > limit) {
                early = Error{ErrorKind::payload_too_large, "payload_too_large", "too large"};
            } else {
                bhttp::request_parser<bhttp::string_body> bp{std::move(hp)};
                bp.body_limit(limit);
                if (!bp.is_done()) {
                    bhttp::read(stream, buffer, bp, ec);
                    if (ec == bhttp::error::body_limit) early = Error{ErrorKind::payload_too_large, "payload_too_large", "too large"};
                    else if (ec) break;
                }
                body_done = bp.is_done();
                req.body = std::move(bp.get().body());
                fuzz::check(!body_done || req.body.size() <= limit, "a body is within its limit");
            }
        }
        http::Response resp = early ? world.pipeline->reject(req, *early) : world.pipeline->handle(req);
        fuzz::check(resp.status >= 100 && resp.status <= 599, "a response has a status");
        fuzz::check(resp.status != 500, "no outside input makes the server fail");
        for (const auto& [name, value] : resp.headers.all())
            fuzz::check(value.find_first_of("\r\n") == std::string::npos && name.find_first_of("\r\n:") == std::string::npos,
                        "no line break in a response header");
        if (early || !parsed.keep_alive || !body_done) break;
    }
    return 0;
}
