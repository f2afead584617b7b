#include "testing/response_reader.hpp"

#include <gtest/gtest.h>

namespace httpfsm::testing {
namespace {

TEST(ResponseReader, reads_content_length_chunked_and_bodiless_responses) {
  const std::string bytes =
      "HTTP/1.1 100 Continue\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nX: y\r\n\r\nabc"
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;e=1\r\nab\r\n1\r\nc\r\n0\r\nT: "
      "1\r\n\r\n"
      "HTTP/1.1 304 Not Modified\r\nETag: \"1\"\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n";  // answers a HEAD
  std::vector<HttpResponse> rs;
  std::string error;
  const bool heads[] = {false, false, false, true};
  ASSERT_TRUE(read_responses(bytes, &rs, &error, heads)) << error;
  ASSERT_EQ(rs.size(), 5u);
  EXPECT_EQ(rs[0].status, 100);
  EXPECT_EQ(rs[1].body, "abc");
  EXPECT_EQ(rs[1].field("x"), "y");
  EXPECT_TRUE(rs[2].chunked);
  EXPECT_EQ(rs[2].body, "abc");
  EXPECT_EQ(rs[3].status, 304);
  EXPECT_EQ(rs[4].body, "");
}

TEST(ResponseReader, a_101_ends_the_http_part) {
  // RFC 9110 §15.2.2: after 101 the bytes are the new protocol's (here a WebSocket frame),
  // not a malformed response.
  const std::string bytes =
      "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
      "\x81\x02hi";
  std::vector<HttpResponse> rs;
  std::string error;
  ASSERT_TRUE(read_responses(bytes, &rs, &error)) << error;
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[1].status, 101);
}

TEST(ResponseReader, incomplete_is_need_more) {
  HttpResponse r;
  EXPECT_EQ(read_response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab", &r).status,
            ReadStatus::need_more);
  EXPECT_EQ(read_response("HTTP/1.1 200 OK\r\nContent-Le", &r).status, ReadStatus::need_more);
  EXPECT_EQ(read_response("HTTP/1.1 200 OK\r", &r).status, ReadStatus::need_more);
}

TEST(ResponseReader, rejects_what_a_server_must_not_send) {
  const char* bad[] = {
      "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n folded\r\n\r\n",
      "HTTP/1.1 200 OK\r\nBad Name: 1\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
      "HTTP/1.1 200 OK\r\n\r\nclose-delimited",
      "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n",
  };
  for (const char* b : bad) {
    HttpResponse r;
    EXPECT_EQ(read_response(b, &r).status, ReadStatus::malformed) << b;
  }
}

TEST(ResponseReader, invariants_of_this_server) {
  HttpResponse r;
  ASSERT_EQ(read_response("HTTP/1.1 200 OK\r\nDate: d\r\nContent-Length: 0\r\n\r\n", &r).status,
            ReadStatus::complete);
  EXPECT_EQ(check_server_invariants(r), "");
  ASSERT_EQ(read_response("HTTP/1.1 200 Fine\r\nDate: d\r\nContent-Length: 0\r\n\r\n", &r).status,
            ReadStatus::complete);
  EXPECT_NE(check_server_invariants(r), "");
  ASSERT_EQ(read_response("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", &r).status,
            ReadStatus::complete);
  EXPECT_NE(check_server_invariants(r), "");
  // RFC 9110 §8.6: no Content-Length on a 304 from this server.
  ASSERT_EQ(
      read_response("HTTP/1.1 304 Not Modified\r\nDate: d\r\nContent-Length: 5\r\n\r\n", &r).status,
      ReadStatus::complete);
  EXPECT_EQ(check_server_invariants(r), "Content-Length without content");
  // RFC 9110 §5.3: a singleton field on two lines.
  ASSERT_EQ(read_response("HTTP/1.1 200 OK\r\nDate: d\r\nETag: \"a\"\r\netag: \"b\"\r\n"
                          "Content-Length: 0\r\n\r\n",
                          &r)
                .status,
            ReadStatus::complete);
  EXPECT_EQ(check_server_invariants(r), "more than one ETag field");
  // RFC 9110 §5.6.1.1: no empty list elements.
  ASSERT_EQ(read_response("HTTP/1.1 200 OK\r\nDate: d\r\nVary: Accept-Encoding, \r\n"
                          "Content-Length: 0\r\n\r\n",
                          &r)
                .status,
            ReadStatus::complete);
  EXPECT_EQ(check_server_invariants(r), "an empty element in Vary: Accept-Encoding,");
}

}  // namespace
}  // namespace httpfsm::testing
