#include "context.hpp"

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
    site->router.add(r.method, r.pattern, Endpoint{r.handler, r.stream, r.options.body_limit});
  }
  site->middleware = app.middleware();
  return site;
}

}  // namespace httpfsm::server
