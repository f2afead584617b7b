#include "httpfsm/server/app.hpp"

#include <utility>

namespace httpfsm::server {

App& App::route(Method method, std::string_view pattern, Handler handler, RouteOptions options) {
  Route r;
  r.method = method;
  r.pattern = std::string(pattern);
  r.handler = std::move(handler);
  r.options = options;
  routes_.push_back(std::move(r));
  return *this;
}

App& App::stream(Method method, std::string_view pattern, StreamHandler begin) {
  Route r;
  r.method = method;
  r.pattern = std::string(pattern);
  r.stream = std::move(begin);
  routes_.push_back(std::move(r));
  return *this;
}

App& App::websocket(std::string_view pattern, WebSocketHandlers handlers,
                    WebSocketOptions options) {
  Route r;
  r.method = Method::get;
  r.pattern = std::string(pattern);
  r.is_websocket = true;
  r.websocket = std::move(handlers);
  r.websocket_options = options;
  routes_.push_back(std::move(r));
  return *this;
}

App& App::use(MiddlewarePtr middleware) {
  middleware_.push_back(std::move(middleware));
  return *this;
}

}  // namespace httpfsm::server
