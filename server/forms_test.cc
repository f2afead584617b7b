// Query parameters, cookies and Set-Cookie through the embeddable API, driven through a
// Connection (no sockets), and the rate_limit() middleware.
#include <gtest/gtest.h>

#include <string>

#include "connection.hpp"
#include "httpfsm/server.hpp"
#include "testing/app_site.hpp"
#include "testing/test_site.hpp"

namespace httpfsm::server {
namespace {

using httpfsm::testing::HttpResponse;

std::string show(std::optional<std::string_view> v) {
  return v ? "[" + std::string(*v) + "]" : "-";
}

class FormsTest : public ::testing::Test {
 protected:
  void build() {
    site_.clock().set(1000, 784111777);
    app_.get("/q", [](const Request& request, Response& response) {
      // Several decoded values at once: none may overwrite another (they share the scratch).
      const auto a = request.query_param("a");
      const auto b = request.query_param("b c");
      const auto c = request.query_param("c");
      const auto missing = request.query_param("zz");
      response.body_buffer() = show(a) + show(b) + show(c) + show(missing);
    });
    app_.get("/c", [](const Request& request, Response& response) {
      response.body_buffer() =
          show(request.cookie("sid")) + show(request.cookie("lang")) + show(request.cookie("SID"));
    });
    app_.get("/set", [](const Request& request, Response& response) {
      SetCookie good;
      good.name = "sid";
      good.value = request.query_param("v").value_or("");
      good.path = "/";
      good.http_only = true;
      const SetCookieError e = response.set_cookie(good);
      response.body = set_cookie_error_name(e);
    });
    site_.build(config_, app_);
    if (site_.built()) conn_ = site_.connect();
  }
  HttpResponse one(std::string_view bytes) { return testing::one_response(*conn_, bytes); }

  Config config_;
  App app_;
  testing::AppSite site_;
  std::unique_ptr<Connection> conn_;
};

// WHATWG URL §5.1: "+" is a space, %XX a byte, names compared decoded, the first pair wins.
TEST_F(FormsTest, query_parameters_are_decoded_without_overwriting_each_other) {
  build();
  const HttpResponse r = one("GET /q?a=x%2By+z&b+c=%41%42&a=second&c= HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "[x+y z][AB][]-");
}

// RFC 9112 §3.2.2: the absolute-form carries the same query as the origin-form.
TEST_F(FormsTest, an_absolute_form_target_keeps_its_query) {
  build();
  EXPECT_EQ(one("GET http://h:8080/q?a=1&c=%20 HTTP/1.1\r\nHost: h:8080\r\n\r\n").body, "[1]-[ ]-");
  EXPECT_EQ(one("GET http://h/q HTTP/1.1\r\nHost: h\r\n\r\n").body, "----");
}

TEST_F(FormsTest, a_query_parameter_needs_no_context_when_a_buffer_is_given) {
  Request request;
  request.raw_query = "n=a%20b&m=plain";
  char buffer[16];
  EXPECT_EQ(show(request.query_param("n", buffer)), "[a b]");
  EXPECT_EQ(show(request.query_param("m")), "[plain]");  // nothing to decode: a view
  EXPECT_EQ(show(request.query_param("n")), "-");        // decoding needs the worker's scratch
}

// RFC 6265 §5.4: pairs split leniently; names are case-sensitive; each Cookie line is read.
TEST_F(FormsTest, cookies_are_found_by_exact_name_in_every_cookie_line) {
  build();
  EXPECT_EQ(one("GET /c HTTP/1.1\r\nHost: h\r\nCookie: a=1;  sid=\"x y\"\r\n"
                "cookie: lang=en\r\n\r\n")
                .body,
            "[\"x y\"][en]-");
  EXPECT_EQ(one("GET /c HTTP/1.1\r\nHost: h\r\n\r\n").body, "---");
}

// RFC 6265 §4.1.1: a value outside cookie-octet would break the field: refused, not sent.
TEST_F(FormsTest, set_cookie_writes_a_valid_cookie_and_refuses_a_bad_value) {
  build();
  const HttpResponse ok = one("GET /set?v=abc HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(ok.field("Set-Cookie"), "sid=abc; Path=/; HttpOnly");
  EXPECT_EQ(ok.body, "none");
  const HttpResponse bad = one("GET /set?v=a%3Bb%0D%0AX:%201 HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(bad.field("Set-Cookie"), "");
  EXPECT_EQ(bad.body, "bad_value");
}

// RFC 7578 §4.2: a filename is only a suggestion; one plain segment is stored, nothing that
// could name a path, a temporary or hide in a terminal.
TEST(UploadName, one_safe_segment_only) {
  for (const std::string_view ok :
       {"a.txt", "with space.txt", "\xc3\xa9t\xc3\xa9.txt", ".hidden", "a..b"}) {
    EXPECT_TRUE(is_safe_upload_name(ok)) << ok;
  }
  for (const std::string_view bad : std::initializer_list<std::string_view>{
           "", ".", "..", "a/b", "/a", "a\\b", "..\\x", std::string_view("a\0b", 3), "a\x01",
           "tab\t", "del\x7f", "cr\r", ".httpfsm-upload-1"}) {
    EXPECT_FALSE(is_safe_upload_name(bad)) << bad;
  }
  EXPECT_TRUE(is_safe_upload_name(std::string(NAME_MAX, 'n')));  // every name up to NAME_MAX
  EXPECT_FALSE(is_safe_upload_name(std::string(NAME_MAX + 1, 'n')));
}

// RFC 6585 §4, RFC 9110 §10.2.3: 429 with Retry-After, on a connection that stays open; a
// token is back after 1/rate seconds of the server's clock.
TEST_F(FormsTest, rate_limit_answers_429_with_retry_after_and_recovers) {
  app_.use(rate_limit({.rate = 2, .burst = 2}));
  build();
  const std::string_view get = "GET /c HTTP/1.1\r\nHost: h\r\n\r\n";
  EXPECT_EQ(one(get).status, 200);
  EXPECT_EQ(one(get).status, 200);
  const HttpResponse refused = one(get);
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.field("Retry-After"), "1");
  EXPECT_EQ(refused.body, "429 Too Many Requests\n");
  EXPECT_FALSE(refused.has_field("Connection"));
  site_.clock().set(1499, 784111777);
  EXPECT_EQ(one(get).status, 429);  // 499 ms later: not yet
  site_.clock().set(1500, 784111778);
  EXPECT_EQ(one(get).status, 200);  // 1/2 s after the burst: one token
  EXPECT_EQ(one(get).status, 429);
  // Another address has a bucket of its own.
  conn_ = site_.connect("198.51.100.9");
  EXPECT_EQ(one(get).status, 200);
}

}  // namespace
}  // namespace httpfsm::server
