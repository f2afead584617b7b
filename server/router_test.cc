#include "router.hpp"

#include <gtest/gtest.h>

namespace httpfsm::server {
namespace {

void a(const Request&, Context&, Response&) {}
void b(const Request&, Context&, Response&) {}
bool up(const Request&, Context&, Upload&, Response&) { return true; }
void fin(Upload&, Context&, Response&) {}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.add(Method::get, "/", a);
    router_.add(Method::get, "/echo/{text}", a);
    router_.add(Method::get, "/files/{name}", b);
    router_.add_upload(Method::post, "/files/{name}", up, fin, true);
    router_.add(Method::get, "/static/{path...}", b);
    router_.add(Method::get, "/a/{x}/b/{y}", a);
  }
  Router::Match match(Method m, std::string_view path) {
    req_ = Request{};
    req_.method = m;
    req_.path = path;
    return router_.match(req_);
  }
  Router router_;
  Request req_;
};

TEST_F(RouterTest, matches_literal_and_parameter_segments) {
  Router::Match m = match(Method::get, "/");
  EXPECT_EQ(m.outcome, Router::Outcome::found);
  EXPECT_EQ(m.endpoint->handler, &a);
  m = match(Method::get, "/echo/hi");
  EXPECT_EQ(m.outcome, Router::Outcome::found);
  EXPECT_EQ(req_.param(0), "hi");
  m = match(Method::get, "/a/1/b/2");
  EXPECT_EQ(m.outcome, Router::Outcome::found);
  EXPECT_EQ(req_.param(0), "1");
  EXPECT_EQ(req_.param(1), "2");
}

TEST_F(RouterTest, a_parameter_is_one_non_empty_segment) {
  EXPECT_EQ(match(Method::get, "/echo/").outcome, Router::Outcome::not_found);
  EXPECT_EQ(match(Method::get, "/echo").outcome, Router::Outcome::not_found);
  EXPECT_EQ(match(Method::get, "/echo/a/b").outcome, Router::Outcome::not_found);
  EXPECT_EQ(match(Method::get, "/echo/a/").outcome, Router::Outcome::not_found);
}

TEST_F(RouterTest, a_rest_parameter_takes_the_remaining_path) {
  EXPECT_EQ(match(Method::get, "/static/css/a.css").outcome, Router::Outcome::found);
  EXPECT_EQ(req_.param(0), "css/a.css");
  EXPECT_EQ(match(Method::get, "/static/").outcome, Router::Outcome::found);
  EXPECT_EQ(req_.param(0), "");
  EXPECT_EQ(match(Method::get, "/static").outcome, Router::Outcome::found);
}

TEST_F(RouterTest, not_found_versus_method_not_allowed) {
  EXPECT_EQ(match(Method::get, "/nope").outcome, Router::Outcome::not_found);
  const Router::Match m = match(Method::delete_, "/echo/x");
  EXPECT_EQ(m.outcome, Router::Outcome::method_not_allowed);
  EXPECT_EQ(m.allow, "GET, HEAD, OPTIONS");
}

TEST_F(RouterTest, head_is_served_by_get_and_options_by_the_router) {
  Router::Match m = match(Method::head, "/echo/x");
  EXPECT_EQ(m.outcome, Router::Outcome::found);
  EXPECT_EQ(m.endpoint->handler, &a);
  m = match(Method::options, "/files/x");
  EXPECT_EQ(m.outcome, Router::Outcome::options);
  EXPECT_EQ(m.allow, "GET, HEAD, POST, OPTIONS");
  EXPECT_EQ(router_.allow_any(), "GET, HEAD, POST, OPTIONS");
}

TEST_F(RouterTest, uploads_and_auth_flags) {
  const Router::Match m = match(Method::post, "/files/x");
  ASSERT_EQ(m.outcome, Router::Outcome::found);
  EXPECT_EQ(m.endpoint->begin_upload, &up);
  EXPECT_TRUE(m.endpoint->needs_auth);
  EXPECT_FALSE(match(Method::get, "/files/x").endpoint->needs_auth);
}

TEST_F(RouterTest, unimplemented_methods_are_501_whatever_the_path) {
  EXPECT_EQ(match(Method::other, "/").outcome, Router::Outcome::not_implemented);
  EXPECT_EQ(match(Method::trace, "/nope").outcome, Router::Outcome::not_implemented);
  EXPECT_EQ(match(Method::connect, "/").outcome, Router::Outcome::not_implemented);
}

}  // namespace
}  // namespace httpfsm::server
