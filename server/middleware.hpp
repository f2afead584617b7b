// The pieces of the built-in middleware (httpfsm/server/middleware.hpp): the access log's
// buffer, bearer-token matching and the CORS preflight answer. Each is a small pure function
// or a buffer, tested alone.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "httpfsm/server/request.hpp"
#include "httpfsm/server/response.hpp"

namespace httpfsm::server {

// Common Log Format lines collected in memory and written by the worker once per loop
// iteration (one write for many requests, never one per request):
//   127.0.0.1 - - [06/Nov/1994:08:49:37 +0000] "GET /echo/abc HTTP/1.1" 200 3
class AccessLog {
 public:
  explicit AccessLog(bool enabled) : enabled_(enabled) {}
  bool enabled() const noexcept { return enabled_; }
  // `request_line` is escaped: bytes outside printable ASCII, '"' and '\' become \xHH.
  void record(std::string_view peer, std::string_view log_date, std::string_view request_line,
              int status, std::uint64_t body_bytes);
  // As record(), the request line given in pieces (method, target, HTTP minor version).
  void record(std::string_view peer, std::string_view log_date, std::string_view method,
              std::string_view target, int version_minor, int status, std::uint64_t body_bytes);
  std::string_view pending() const noexcept { return buffer_; }
  void clear() noexcept { buffer_.clear(); }
  // Writes the pending lines to `fd` (best effort; the log never blocks serving) and clears.
  void flush(int fd) noexcept;

 private:
  void append_escaped(std::string_view s);
  void open_line(std::string_view peer, std::string_view log_date);
  void close_line(int status, std::uint64_t body_bytes);
  bool enabled_;
  std::string buffer_;
};

// RFC 9110 §11.6.2 / §11.1: "Authorization: Bearer <token>" (RFC 6750 §2.1), the scheme
// case-insensitive. Compared in constant time.
bool bearer_token_matches(const Request& request, std::string_view token) noexcept;
// 401 with WWW-Authenticate: Bearer (RFC 9110 §11.6.1, RFC 6750 §3).
void set_unauthorized(Response& response) noexcept;

// Fetch standard CORS: a preflight is OPTIONS with Origin and Access-Control-Request-Method.
bool is_cors_preflight(const Request& request) noexcept;
// The preflight answer for a route allowing `allow`.
// Access-Control-Allow-Origin is added to every response, this one too, by the middleware.
void set_cors_preflight(const Request& request, std::string_view allow,
                        Response& response) noexcept;

}  // namespace httpfsm::server
