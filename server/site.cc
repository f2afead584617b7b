#include "context.hpp"
#include "websocket_protocol.hpp"

namespace httpfsm::server {

std::unique_ptr<Site> build_site(const Config& config, const App& app, std::string* error) {
  auto site = std::make_unique<Site>();
  site->config = config;
  site->limits.max_body = config.max_body;
  for (const Route& r : app.routes()) {
    if (r.pattern.empty() || r.pattern.front() != '/') {
      *error = "route pattern does not start with /: " + r.pattern;
      return nullptr;
    }
    Endpoint e{r.handler, r.stream, r.options.body_limit, nullptr};
    if (r.is_websocket) {
      e.websocket = std::make_shared<const WebSocketEndpoint>(
          WebSocketEndpoint{r.websocket, websocket_config(r.websocket_options)});
    }
    site->router.add(r.method, r.pattern, std::move(e));
  }
  site->middleware = app.middleware();
  return site;
}

}  // namespace httpfsm::server
