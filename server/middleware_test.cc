#include "middleware.hpp"

#include <gtest/gtest.h>

#include "httpfsm/head_parser.hpp"

namespace httpfsm::server {
namespace {

class ParsedRequest {
 public:
  explicit ParsedRequest(std::string bytes) : bytes_(std::move(bytes)) {
    EXPECT_EQ(parser_.parse(bytes_), Progress::complete);
    request.message = bytes_;
    request.head = &parser_.head();
    request.method = parser_.head().method_id;
  }
  Request request;

 private:
  std::string bytes_;
  HeadParser parser_;
};

TEST(BearerToken, matches_exactly_with_a_case_insensitive_scheme) {
  const auto with = [](std::string auth) {
    return ParsedRequest("GET / HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth + "\r\n\r\n");
  };
  EXPECT_TRUE(bearer_token_matches(with("Bearer tok").request, "tok"));
  EXPECT_TRUE(bearer_token_matches(with("BEARER tok").request, "tok"));
  EXPECT_FALSE(bearer_token_matches(with("Bearer to").request, "tok"));
  EXPECT_FALSE(bearer_token_matches(with("Bearer tokk").request, "tok"));
  EXPECT_FALSE(bearer_token_matches(with("Basic tok").request, "tok"));
  EXPECT_FALSE(bearer_token_matches(with("Bearertok").request, "tok"));
  ParsedRequest none("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_FALSE(bearer_token_matches(none.request, "tok"));
}

TEST(Cors, preflight_needs_options_origin_and_request_method) {
  EXPECT_TRUE(is_cors_preflight(ParsedRequest("OPTIONS /a HTTP/1.1\r\nHost: x\r\nOrigin: o\r\n"
                                              "Access-Control-Request-Method: GET\r\n\r\n")
                                    .request));
  EXPECT_FALSE(is_cors_preflight(
      ParsedRequest("OPTIONS /a HTTP/1.1\r\nHost: x\r\nOrigin: o\r\n\r\n").request));
  EXPECT_FALSE(is_cors_preflight(ParsedRequest("GET /a HTTP/1.1\r\nHost: x\r\nOrigin: o\r\n"
                                               "Access-Control-Request-Method: GET\r\n\r\n")
                                     .request));
}

TEST(AccessLog, escapes_quotes_controls_and_writes_dash_for_no_body) {
  AccessLog log(true);
  log.record("::1", "06/Nov/1994:08:49:37 +0000", "GET /\"\x01 HTTP/1.1", 200, 0);
  EXPECT_EQ(log.pending(),
            "::1 - - [06/Nov/1994:08:49:37 +0000] \"GET /\\x22\\x01 HTTP/1.1\" 200 -\n");
  AccessLog off(false);
  off.record("::1", "d", "GET /", 200, 1);
  EXPECT_EQ(off.pending(), "");
}

}  // namespace
}  // namespace httpfsm::server
