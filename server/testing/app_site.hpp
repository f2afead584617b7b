// For the gtest suites of the embeddable API (App routes, middleware, forms, WebSocket
// handlers): a Site built from an App and the one-response exchange. Apart from test_site.hpp
// because it reports through gtest, which the fuzz targets that share test_site.cc do not link.
#pragma once

#include <memory>
#include <string_view>

#include "config.hpp"
#include "connection.hpp"
#include "context.hpp"
#include "httpfsm/server/app.hpp"
#include "testing/response_reader.hpp"

namespace httpfsm::server::testing {

// A Site built from an App, the embeddable API's way (build_site), with its Context: for the
// tests of App routes, middleware, forms and WebSocket handlers.
class AppSite {
 public:
  // Builds the Site; when build_site refuses, a test failure naming its error, and built()
  // stays false.
  void build(const Config& config, const App& app);
  bool built() const { return context_ != nullptr; }
  Clock& clock() { return clock_; }
  Site& site() { return *site_; }
  Context& context() { return *context_; }
  std::unique_ptr<Connection> connect(std::string_view client = "192.0.2.1") {
    return std::make_unique<Connection>(*context_, client);
  }

 private:
  Clock clock_;
  std::unique_ptr<Site> site_;
  std::unique_ptr<Context> context_;
};

// Sends `bytes`, which must bring exactly one well-formed response (a test failure otherwise,
// and an empty response).
httpfsm::testing::HttpResponse one_response(Connection& c, std::string_view bytes);

}  // namespace httpfsm::server::testing
