// ResponseHeadParser beyond the case table: the writer -> parser round trip, the body decoder
// on response framings (close-delimited bodies), and interim responses before the final one.
#include "httpfsm/response_head_parser.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>

#include "httpfsm/body_decoder.hpp"
#include "httpfsm/response_writer.hpp"
#include "test_support.hpp"

namespace httpfsm {
namespace {

std::string write_head(int status, bool chunked, std::uint64_t length) {
  std::array<char, 512> out{};
  ResponseWriter w(out);
  w.status(status).field("Server", "httpfsm").field("X-Empty", "");
  if (status >= 200 && status != 204 && status != 304) {
    if (chunked) {
      w.chunked();
    } else {
      w.content_length(length);
    }
  }
  w.date(784111777);
  const std::size_t n = w.finish();
  EXPECT_GT(n, 0u) << status;
  return std::string(out.data(), n);
}

// RFC 9112 §4, §6.3: what the library's ResponseWriter writes, the parser reads back: status,
// standard reason, fields in order, framing.
TEST(ResponseHeadParser, reads_back_what_the_response_writer_writes) {
  for (const int status : {100, 103, 200, 201, 204, 206, 301, 304, 404, 418, 500, 503, 599}) {
    for (const bool chunked : {false, true}) {
      const std::string head = write_head(status, chunked, 42);
      ResponseHeadParser p;
      const testing::FlushBuffer b(head);
      ASSERT_EQ(p.parse(b.span()), Progress::complete) << testing::escape(head);
      const ResponseHead& h = p.head();
      EXPECT_EQ(p.consumed(), head.size());
      EXPECT_EQ(h.status, status);
      EXPECT_EQ(text(b.span(), h.reason), reason_phrase(status));
      EXPECT_EQ(h.version_minor, 1);
      ASSERT_GE(h.fields.size(), 3u);
      EXPECT_EQ(text(b.span(), h.fields[0].name), "Server");
      EXPECT_EQ(text(b.span(), h.fields[0].value), "httpfsm");
      EXPECT_EQ(text(b.span(), h.fields[1].value), "");
      EXPECT_EQ(h.find(b.span(), "date") != nullptr, true);
      const bool bodiless = status < 200 || status == 204 || status == 304;
      EXPECT_EQ(h.framing, bodiless  ? Framing::no_body
                           : chunked ? Framing::chunked
                                     : Framing::content_length);
      EXPECT_EQ(h.interim, status < 200);
    }
  }
}

TEST(ResponseHeadParser, interim_responses_precede_the_final_one) {
  // RFC 9110 §15.2: 100 and 103, then the final response to the same request.
  const std::string stream =
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  ResponseHeadParser p;
  std::size_t at = 0;
  std::vector<int> statuses;
  for (;;) {
    p.reset(Method::post);
    ASSERT_EQ(p.parse(std::span<const char>(stream).subspan(at)), Progress::complete);
    statuses.push_back(p.head().status);
    at += p.consumed();
    if (!p.head().interim) break;
  }
  EXPECT_EQ(statuses, (std::vector<int>{100, 103, 200}));
  EXPECT_EQ(p.head().content_length, 2u);
  EXPECT_EQ(stream.substr(at), "ok");
}

// RFC 9112 §6.3 item 8: every byte is content until the close, which completes the body.
TEST(ResponseBody, close_delimited_body_ends_with_the_connection) {
  ResponseHeadParser p;
  const std::string head = "HTTP/1.0 200 OK\r\n\r\n";
  ASSERT_EQ(p.parse(head), Progress::complete);
  ASSERT_EQ(p.head().framing, Framing::until_close);
  BodyDecoder d;
  d.start(p.head());
  std::string content;
  for (const std::string piece : {"abc", "", "HTTP/1.1 200 OK\r\n\r\n", "0\r\n\r\n"}) {
    const BodyStep s = d.decode(piece);
    EXPECT_EQ(s.progress, Progress::need_more);
    EXPECT_EQ(s.consumed, piece.size());
    content.append(s.data.data(), s.data.size());
  }
  EXPECT_EQ(content, "abcHTTP/1.1 200 OK\r\n\r\n0\r\n\r\n");
  EXPECT_EQ(d.finish(), Error::none);
  EXPECT_EQ(d.progress(), Progress::complete);
  EXPECT_EQ(d.content_bytes(), content.size());
}

TEST(ResponseBody, close_delimited_body_is_bounded_by_max_body) {
  Limits l;
  l.max_body = 5;
  BodyDecoder d(l);
  d.start(Framing::until_close);
  EXPECT_EQ(d.decode(std::string_view("abc")).consumed, 3u);
  // Up to the limit is content; the byte past it fails, however the input was split.
  const BodyStep last = d.decode(std::string_view("defg"));
  EXPECT_EQ(last.progress, Progress::need_more);
  EXPECT_EQ(std::string(last.data.data(), last.data.size()), "de");
  const BodyStep s = d.decode(std::string_view("fg"));
  EXPECT_EQ(s.progress, Progress::failed);
  EXPECT_EQ(s.consumed, 0u);
  EXPECT_EQ(d.error(), Error::body_too_large);
  EXPECT_EQ(d.error_offset(), 5u);  // the first byte past the limit
  EXPECT_EQ(d.finish(), Error::body_too_large);
}

TEST(ResponseBody, a_head_that_leaves_http_has_no_body) {
  ResponseHeadParser p;
  p.reset(Method::connect);
  const std::string head = "HTTP/1.1 200 Connection established\r\n\r\n\x16\x03\x01";
  ASSERT_EQ(p.parse(head), Progress::complete);
  EXPECT_TRUE(p.head().leaves_http);
  BodyDecoder d;
  d.start(p.head());
  EXPECT_EQ(d.progress(), Progress::complete);
  EXPECT_EQ(head.substr(p.consumed()), "\x16\x03\x01");
}

TEST(ResponseBody, chunked_response_with_trailers) {
  ResponseHeadParser p;
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  ASSERT_EQ(p.parse(head), Progress::complete);
  const testing::BodyOutcome o = testing::decode_in_pieces(
      p.head().framing, 0, "3\r\nabc\r\n0\r\nServer-Timing: x\r\n\r\n", {2, 9});
  EXPECT_EQ(testing::describe(o),
            testing::describe(testing::BodyOutcome{Progress::complete, Error::none, 0, 31, "abc",
                                                   "Server-Timing=x"}));
}

}  // namespace
}  // namespace httpfsm
