// httpfsm::server::App: the routes and the middleware chain of an application.
//
// Life cycle: build an App (routes, middleware), then hand it to Server::create(), which
// copies it into the table every worker shares; changing the App afterwards changes nothing.
// Patterns: literal segments, "{name}" (one non-empty segment) and a final "{name...}" (the
// rest of the path, possibly empty), matched against the percent-decoded path in registration
// order. The server answers 404 when no pattern matches, 405 with Allow when the path matches
// but not the method (RFC 9110 §15.5.6), OPTIONS from the same table (§9.3.7), HEAD wherever
// GET is (§9.3.2) and 501 for methods it implements nowhere (§15.6.2).
// Handlers: called on the worker thread with the request and the response to fill; they must
// not block for long (the worker serves its other connections in between). An exception
// becomes a 500 and the server keeps serving.
// Bodies: a plain route answers from the head; a body the client sends anyway is read and
// dropped. A route with RouteOptions::body_limit gets the body buffered whole (Request::body)
// before its handler runs, 413 over the limit. A stream route hands the body to a BodySink
// piece by piece as it arrives (uploads to disk), and answers once it is complete.
// WebSocket: App::websocket() registers a GET route that upgrades (websocket.hpp); any other
// route answers a WebSocket request as it answers every request, never with 101.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "httpfsm/request_head.hpp"
#include "httpfsm/server/middleware.hpp"
#include "httpfsm/server/request.hpp"
#include "httpfsm/server/response.hpp"
#include "httpfsm/server/websocket.hpp"

namespace httpfsm::server {

using Handler = std::function<void(const Request&, Response&)>;

// Receives a request body as it arrives. Destroyed without finish() when the body was cut
// short, failed to decode, or the connection failed: undo there (remove a partial file).
class BodySink {
 public:
  virtual ~BodySink() = default;
  // The next piece of the decoded body. False: it could not be stored; the server answers
  // 500 and closes.
  virtual bool write(std::string_view data) = 0;
  // The whole body arrived: fill the response.
  virtual void finish(const Request& request, Response& response) = 0;
};

// Starts a streamed body: returns the sink, or nullptr with `response` filled (a refusal).
// RFC 9110 §10.1.1: a client that sent "Expect: 100-continue" gets 100 Continue only once a
// sink accepted the head.
using StreamHandler = std::function<std::unique_ptr<BodySink>(const Request&, Response&)>;

struct RouteOptions {
  // When not 0: the body is read whole into Request::body before the handler runs; a longer
  // body is answered 413 (RFC 9110 §15.5.14).
  std::uint64_t body_limit = 0;
};

struct Route {
  Method method = Method::get;
  std::string pattern;
  Handler handler;  // or:
  StreamHandler stream;
  RouteOptions options;
  bool is_websocket = false;  // or a WebSocket route (GET):
  WebSocketHandlers websocket;
  WebSocketOptions websocket_options;
};

class App {
 public:
  App& route(Method method, std::string_view pattern, Handler handler, RouteOptions options = {});
  App& stream(Method method, std::string_view pattern, StreamHandler begin);
  App& get(std::string_view pattern, Handler h) {
    return route(Method::get, pattern, std::move(h));
  }
  App& post(std::string_view pattern, Handler h, RouteOptions o = {}) {
    return route(Method::post, pattern, std::move(h), o);
  }
  App& put(std::string_view pattern, Handler h, RouteOptions o = {}) {
    return route(Method::put, pattern, std::move(h), o);
  }
  App& del(std::string_view pattern, Handler h) {
    return route(Method::delete_, pattern, std::move(h));
  }
  // A WebSocket route (RFC 6455): GET `pattern` upgrades and `handlers` serve the messages.
  App& websocket(std::string_view pattern, WebSocketHandlers handlers,
                 WebSocketOptions options = {});
  // Appends to the middleware chain.
  App& use(MiddlewarePtr middleware);

  const std::vector<Route>& routes() const noexcept { return routes_; }
  const std::vector<MiddlewarePtr>& middleware() const noexcept { return middleware_; }

 private:
  std::vector<Route> routes_;
  std::vector<MiddlewarePtr> middleware_;
};

}  // namespace httpfsm::server
