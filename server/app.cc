#include "httpfsm/server/app.hpp"

#include <utility>

namespace httpfsm::server {

App& App::route(Method method, std::string_view pattern, Handler handler, RouteOptions options) {
  routes_.push_back(Route{method, std::string(pattern), std::move(handler), nullptr, options});
  return *this;
}

App& App::stream(Method method, std::string_view pattern, StreamHandler begin) {
  routes_.push_back(Route{method, std::string(pattern), nullptr, std::move(begin), {}});
  return *this;
}

App& App::use(MiddlewarePtr middleware) {
  middleware_.push_back(std::move(middleware));
  return *this;
}

}  // namespace httpfsm::server
