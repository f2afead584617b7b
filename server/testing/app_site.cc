#include "testing/app_site.hpp"

#include <gtest/gtest.h>

#include <string>

#include "testing/test_site.hpp"

namespace httpfsm::server::testing {

httpfsm::testing::HttpResponse one_response(Connection& c, std::string_view bytes) {
  const Exchange e = exchange(c, bytes);
  EXPECT_EQ(e.error, "") << e.raw;
  EXPECT_EQ(e.responses.size(), 1u) << e.raw;
  return e.responses.empty() ? httpfsm::testing::HttpResponse{} : e.responses.front();
}

void AppSite::build(const Config& config, const App& app) {
  std::string error;
  site_ = build_site(config, app, &error);
  ASSERT_NE(site_, nullptr) << error;
  context_ = std::make_unique<Context>(*site_, clock_);
}

}  // namespace httpfsm::server::testing
