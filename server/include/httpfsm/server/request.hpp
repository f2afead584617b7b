// httpfsm::server::Request: what a handler or a middleware sees of one request.
//
// Life cycle: the server builds a Request for each exchange, passes it by const reference to
// the middleware and the handler, and drops it when the response is written. Nothing is
// copied or allocated to build it: every view points into the connection's input buffer (the
// head), the worker's path buffer (the decoded path and the route parameters), the worker's
// query scratch (decoded query parameters) or the route table (parameter names).
// Lifetime: the views are valid only while the call that received the Request runs; copy what
// must outlive it.
// Errors: none here; a request the parser refused never reaches a handler (the server answers
// it with the status the library names), though middleware after-hooks see such answers with
// complete() false.
// Threading: a Request belongs to the worker thread that handles it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "httpfsm/request_head.hpp"

namespace httpfsm::server {

// The worker's scratch (file cache, gzip encoder, access log): opaque to applications, used
// by the built-in handlers and middleware.
struct Context;

struct Request {
  static constexpr std::size_t kMaxParams = 4;

  // Set by the server. Only complete() requests carry a head; for the others (a malformed or
  // timed-out request answered by the server) only `raw_line` and `client` are set.
  std::span<const char> message;  // the head's bytes
  const RequestHead* head = nullptr;
  Method method = Method::other;
  std::string_view method_name;
  std::string_view target;     // as sent
  std::string_view path;       // percent-decoded, dot segments removed (RFC 3986 §5.2.4)
  std::string_view raw_query;  // as sent, after "?" and without it; not decoded
  // The host the request is for, "host[:port]" as sent: an absolute-form target's authority
  // (RFC 9112 §3.2.2: the origin server then MUST ignore Host), else the Host field's value
  // (§3.2, §7.2); empty for an HTTP/1.0 request without Host.
  std::string_view host;
  std::array<std::string_view, kMaxParams> params{};  // route parameters, in pattern order
  std::span<const std::string> param_names;           // their names, from the route pattern
  std::uint8_t param_count = 0;
  std::string_view allow;      // the matched route's Allow value ("GET, HEAD, OPTIONS")
  std::string_view client;     // the peer's address, "192.0.2.1" or "2001:db8::1"
  std::string_view body;       // the whole body, for routes registered with a body limit
  std::string_view raw_line;   // without complete(): what arrived of the request-line
  Context* context = nullptr;  // the worker handling the request

  bool complete() const noexcept { return head != nullptr; }
  // The query as sent ("a=1&b=%20"), for a query-parameter parser (WHATWG urlencoded).
  std::string_view query() const noexcept { return raw_query; }
  // The decoded value of the first query parameter called `name` (WHATWG URL §5.1
  // application/x-www-form-urlencoded: "+" is a space, %XX a byte, names compared decoded);
  // nullopt when absent. Nothing is allocated: the view points into the target when the
  // value needed no decoding, else into the worker's query scratch at the parameter's own
  // offset, so the values of one request never overwrite each other. Valid while the call
  // that received the Request runs. A Request built outside a server (no context) answers
  // nullopt for a value that needs decoding; use the overload with a buffer there.
  std::optional<std::string_view> query_param(std::string_view name) const noexcept;
  // The same, decoded into `buffer` (query().size() bytes always suffice; nullopt when it is
  // too small). The view is into `buffer`: a second call with the same buffer overwrites it.
  std::optional<std::string_view> query_param(std::string_view name,
                                              std::span<char> buffer) const noexcept;
  // The value of the first cookie called `name` in the Cookie field(s) (RFC 6265 §5.4; names
  // case-sensitive), as sent: no decoding (RFC 6265 §4.1.1 leaves the encoding to the
  // server). A view into the head; nullopt when absent.
  std::optional<std::string_view> cookie(std::string_view name) const noexcept;
  // The route parameter at position `i` of the pattern, or by its name ("{name}" -> "name").
  // Empty when absent. Values are percent-decoded with the path.
  std::string_view param(std::size_t i) const noexcept { return i < param_count ? params[i] : ""; }
  std::string_view param(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < param_count && i < param_names.size(); ++i) {
      if (param_names[i] == name) return params[i];
    }
    return {};
  }
  // The first line of a known field; empty when absent.
  std::string_view field(KnownField k) const noexcept {
    return head != nullptr ? head->value(message, k) : std::string_view{};
  }
  bool has(KnownField k) const noexcept { return head != nullptr && head->field(k) != nullptr; }
  // The first line named `name` (any case, RFC 9110 §5.1); nullptr when absent.
  const Field* find(std::string_view name) const noexcept {
    return head != nullptr ? head->find(message, name) : nullptr;
  }
  // The value of the first line named `name` (any case); empty when absent.
  std::string_view header(std::string_view name) const noexcept {
    const Field* f = find(name);
    return f != nullptr ? text(message, f->value) : std::string_view{};
  }
  std::string_view find_value(std::string_view name) const noexcept { return header(name); }
};

}  // namespace httpfsm::server
