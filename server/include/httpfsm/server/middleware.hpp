// httpfsm::server::Middleware: an ordered chain around every handler, and the built-in links.
//
// Life cycle: an application registers middleware on its App (App::use) before the Server is
// created; the chain is then fixed and shared by every worker thread, so hooks must be safe
// to call concurrently (the built-ins keep per-worker state in the request's Context).
// Order: before() hooks run in registration order once a route matched (a found handler, or
// OPTIONS on an existing route); the first that returns true answers and the rest, and the
// handler, do not run. after() hooks run in registration order on every response the server
// writes, including its own errors (404, 405, 400 for a malformed head, 408, 413: then
// request.complete() may be false), just before it is serialised. sent() hooks run after it
// was queued, with the status and the body bytes (for logs).
// Errors: an exception from before() or the handler becomes a 500 with the usual one-line
// body; after() and sent() must not throw (they are noexcept in effect: the server catches
// and answers 500 for after(), and drops the exception from sent()).
// Cost: one virtual call per hook per request; nothing is allocated.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "httpfsm/server/request.hpp"
#include "httpfsm/server/response.hpp"

namespace httpfsm::server {

class Middleware {
 public:
  virtual ~Middleware() = default;
  // Before the handler: return true when `response` is the final answer (auth, preflight).
  virtual bool before(const Request& request, Response& response);
  // After the handler (or the server's own answer), before the response is written.
  virtual void after(const Request& request, Response& response);
  // Once the response was queued: its status and the content bytes it carries.
  virtual void sent(const Request& request, int status, std::uint64_t body_bytes);
};

using MiddlewarePtr = std::shared_ptr<Middleware>;

// Common Log Format lines on standard output, written once per event-loop turn:
//   127.0.0.1 - - [06/Nov/1994:08:49:37 +0000] "GET /echo/abc HTTP/1.1" 200 3
MiddlewarePtr access_log();
// Fetch CORS for a trusted `origin` ("*" or "https://app.example"): every response gets
// Access-Control-Allow-Origin; a preflight (OPTIONS with Origin and
// Access-Control-Request-Method) on an existing route is answered 200 with the route's
// methods, the requested headers and a max age of 600 s.
MiddlewarePtr cors(std::string origin);
// "Authorization: Bearer <token>" (RFC 6750 §2.1) compared in constant time; otherwise 401
// with WWW-Authenticate: Bearer (RFC 9110 §11.6.1). `applies` chooses the requests it guards
// (all routed requests when empty).
MiddlewarePtr bearer_auth(std::string token, std::function<bool(const Request&)> applies = nullptr);
// gzip content coding (RFC 9110 §8.4.1.3, §12.5.3) for responses marked compressible, when
// Accept-Encoding allows it; adds Vary: Accept-Encoding to them.
MiddlewarePtr gzip();

struct RateLimitOptions {
  std::uint32_t rate = 10;           // requests per second per client address, >= 1
  std::uint32_t burst = 0;           // requests at once; 0: the same as rate
  std::uint32_t max_clients = 4096;  // addresses tracked at most (least recently seen evicted)
  unsigned ipv6_prefix_bits = 64;    // an IPv6 client is its /64 (one host usually has one)
};
// A token bucket per client address (Request::client): `burst` requests at once, then `rate`
// per second. Over it: 429 Too Many Requests (RFC 6585 §4) with Retry-After in whole seconds
// (RFC 9110 §10.2.3) and the one-line body; the connection stays open. Runs as a before()
// hook, so it counts requests for routes that exist (a 404 costs no token).
// Threading: ONE limiter for the whole server behind a mutex, not one per worker: a client's
// connections land on any worker (SO_REUSEPORT hashes them), so per-worker buckets would let
// it send `rate` times the number of workers; admit() is O(1) and allocation-free, so the lock
// is held for well under a microsecond. Memory: the tables are allocated once, about 56 bytes
// per tracked address (230 KiB for 4096).
MiddlewarePtr rate_limit(RateLimitOptions options);

}  // namespace httpfsm::server
