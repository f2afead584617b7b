// The route table: (method, decoded path) -> endpoint. Patterns are literal segments,
// "{name}" (one non-empty segment) and a final "{name...}" (the rest of the path, possibly
// empty). The router alone decides 404 against 405 (RFC 9110 §15.5.6: with Allow), answers
// OPTIONS (§9.3.7) from the same table, serves HEAD wherever GET is (§9.3.2), and names 501
// for methods the server does not implement at all (§15.6.2).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "httpfsm/request_head.hpp"
#include "httpfsm/server/app.hpp"
#include "httpfsm/server/request.hpp"

namespace httpfsm::server {

struct WebSocketEndpoint;  // websocket_protocol.hpp

// What a route runs for one method: a handler (maybe with its body buffered), a stream, or
// a WebSocket.
struct Endpoint {
  Handler handler;
  StreamHandler stream;
  std::uint64_t body_limit = 0;  // RouteOptions::body_limit
  std::shared_ptr<const WebSocketEndpoint> websocket = nullptr;
  bool empty() const noexcept { return !handler && !stream && !websocket; }
};

// Methods this server implements on some route or for every route; anything else is 501.
bool is_implemented(Method m) noexcept;

class Router {
 public:
  // A later registration of the same method and pattern replaces the earlier one.
  void add(Method m, std::string_view pattern, Endpoint endpoint);

  enum class Outcome : std::uint8_t {
    found,               // endpoint set; for HEAD, the GET endpoint
    options,             // OPTIONS on an existing route: 200 with Allow
    not_found,           // 404
    method_not_allowed,  // 405 with Allow
    not_implemented,     // 501
  };
  struct Match {
    Outcome outcome = Outcome::not_found;
    const Endpoint* endpoint = nullptr;
    std::string_view allow;  // "GET, HEAD, OPTIONS": for 405 and OPTIONS
  };
  // Matches `request.path` and fills request.params and request.param_names.
  Match match(Request& request) const;
  // Allow for "OPTIONS *": every method some route takes (RFC 9110 §9.3.7).
  std::string_view allow_any() const noexcept { return allow_any_; }

 private:
  struct Segment {
    std::string literal;
    bool param = false;
    bool rest = false;
  };
  struct Route {
    std::vector<Segment> segments;
    std::array<Endpoint, 10> endpoints{};  // by Method
    std::string allow;
    std::vector<std::string> names;  // of the parameters, in pattern order
  };
  Route& route(std::string_view pattern);
  void update_allow();
  static bool matches(const Route& r, std::string_view path, Request& request);

  std::vector<Route> routes_;
  std::string allow_any_ = "OPTIONS";
};

}  // namespace httpfsm::server
