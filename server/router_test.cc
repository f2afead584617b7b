#include "router.hpp"

#include <gtest/gtest.h>

namespace httpfsm::server {
namespace {

void a(const Request&, Response&) {}
void b(const Request&, Response&) {}
std::unique_ptr<BodySink> up(const Request&, Response&) { return nullptr; }
using HandlerFn = void (*)(const Request&, Response&);
using StreamFn = std::unique_ptr<BodySink> (*)(const Request&, Response&);

bool runs(const Endpoint* e, HandlerFn f) {
  return e != nullptr && e->handler.target<HandlerFn>() != nullptr &&
         *e->handler.target<HandlerFn>() == f;
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.add(Method::get, "/", {a, nullptr});
    router_.add(Method::get, "/echo/{text}", {a, nullptr});
    router_.add(Method::get, "/files/{name}", {b, nullptr});
    router_.add(Method::post, "/files/{name}", {nullptr, up});
    router_.add(Method::get, "/static/{path...}", {b, nullptr});
    router_.add(Method::get, "/a/{x}/b/{y}", {a, nullptr});
    router_.add(Method::put, "/notes/{id}", {a, nullptr, 100});
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
  EXPECT_TRUE(runs(m.endpoint, &a));
  m = match(Method::get, "/echo/hi");
  EXPECT_EQ(m.outcome, Router::Outcome::found);
  EXPECT_EQ(req_.param(0), "hi");
  m = match(Method::get, "/a/1/b/2");
  EXPECT_EQ(m.outcome, Router::Outcome::found);
  EXPECT_EQ(req_.param(0), "1");
  EXPECT_EQ(req_.param(1), "2");
}

TEST_F(RouterTest, parameters_are_found_by_their_pattern_names) {
  ASSERT_EQ(match(Method::get, "/a/1/b/2").outcome, Router::Outcome::found);
  EXPECT_EQ(req_.param("x"), "1");
  EXPECT_EQ(req_.param("y"), "2");
  EXPECT_EQ(req_.param("z"), "");
  ASSERT_EQ(match(Method::get, "/static/css/a.css").outcome, Router::Outcome::found);
  EXPECT_EQ(req_.param("path"), "css/a.css");  // "{path...}" is named "path"
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
  EXPECT_TRUE(runs(m.endpoint, &a));
  m = match(Method::options, "/files/x");
  EXPECT_EQ(m.outcome, Router::Outcome::options);
  EXPECT_EQ(m.allow, "GET, HEAD, POST, OPTIONS");
  EXPECT_EQ(router_.allow_any(), "GET, HEAD, POST, PUT, OPTIONS");
}

TEST_F(RouterTest, stream_and_buffered_routes_keep_their_kind) {
  Router::Match m = match(Method::post, "/files/x");
  ASSERT_EQ(m.outcome, Router::Outcome::found);
  ASSERT_NE(m.endpoint->stream.target<StreamFn>(), nullptr);
  EXPECT_EQ(*m.endpoint->stream.target<StreamFn>(), &up);
  EXPECT_FALSE(m.endpoint->handler);
  m = match(Method::put, "/notes/7");
  ASSERT_EQ(m.outcome, Router::Outcome::found);
  EXPECT_EQ(m.endpoint->body_limit, 100u);
  EXPECT_EQ(match(Method::get, "/files/x").endpoint->body_limit, 0u);
}

TEST_F(RouterTest, unimplemented_methods_are_501_whatever_the_path) {
  EXPECT_EQ(match(Method::other, "/").outcome, Router::Outcome::not_implemented);
  EXPECT_EQ(match(Method::trace, "/nope").outcome, Router::Outcome::not_implemented);
  EXPECT_EQ(match(Method::connect, "/").outcome, Router::Outcome::not_implemented);
}

}  // namespace
}  // namespace httpfsm::server
