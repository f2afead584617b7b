// RequestReader and ResponseReader: event sequences over pipelined streams, fed whole, one
// byte at a time and split at every offset, which must all agree; interim responses, the end
// of HTTP on a connection, close-delimited bodies, Expect: 100-continue, errors with offsets
// from the connection's first byte.
#include "httpfsm/message_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.hpp"

namespace httpfsm {
namespace {

using Events = std::vector<std::string>;
using testing::read_requests;
using testing::read_responses;

std::vector<std::size_t> every_byte(std::string_view s) {
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < s.size(); ++i) cuts.push_back(i);
  return cuts;
}

// The events of `bytes` are `expect` whole, one byte at a time and split at every offset.
void expect_requests(std::string_view bytes, const Events& expect) {
  EXPECT_EQ(read_requests(bytes, {}), expect);
  EXPECT_EQ(read_requests(bytes, every_byte(bytes)), expect);
  for (std::size_t cut = 1; cut < bytes.size(); ++cut) {
    ASSERT_EQ(read_requests(bytes, {cut}), expect) << "cut at " << cut;
  }
}

void expect_responses(std::string_view bytes, const std::vector<Method>& methods,
                      const Events& expect) {
  EXPECT_EQ(read_responses(bytes, methods, {}), expect);
  EXPECT_EQ(read_responses(bytes, methods, every_byte(bytes)), expect);
  for (std::size_t cut = 1; cut < bytes.size(); ++cut) {
    ASSERT_EQ(read_responses(bytes, methods, {cut}), expect) << "cut at " << cut;
  }
}

TEST(RequestReader, reads_pipelined_requests_with_bodies_in_order) {
  // RFC 9112 §9.3.2: pipelined requests; §6.3 framing; §7.1 chunked with trailers.
  expect_requests(
      "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
      "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
      "PUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
      "2\r\nde\r\n1\r\nf\r\n0\r\nX: y\r\n\r\n"
      "\r\nGET /d HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
      {"head GET /a 1.1 origin; Host=h; no_body keep-alive", "end",
       "head POST /b 1.1 origin; Host=h; Content-Length=3; content_length 3 keep-alive", "data abc",
       "end", "head PUT /c 1.1 origin; Host=h; Transfer-Encoding=chunked; chunked keep-alive",
       "data def", "end X=y", "head GET /d 1.1 origin; Host=h; Connection=close; no_body close",
       "end", "closed"});
}

TEST(RequestReader, a_stream_ending_between_messages_is_closed) {
  // RFC 9112 §2.2: empty lines between requests are ignored.
  expect_requests("GET / HTTP/1.1\r\nHost: h\r\n\r\n\r\n",
                  {"head GET / 1.1 origin; Host=h; no_body keep-alive", "end", "closed"});
  expect_requests("", {"closed"});
}

TEST(RequestReader, a_stream_ending_inside_a_message_is_truncated) {
  // RFC 9112 §8: offsets count from the connection's first byte.
  expect_requests(
      "GET / HTTP/1.1\r\nHost: h\r\n\r\nGET / HT",
      {"head GET / 1.1 origin; Host=h; no_body keep-alive", "end", "error truncated @35"});
  expect_requests("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nab",
                  {"head POST / 1.1 origin; Host=h; Content-Length=5; content_length 5 "
                   "keep-alive",
                   "data ab", "error truncated @49"});
}

TEST(RequestReader, errors_name_the_byte_from_the_connection_start) {
  // The second request's bare LF (RFC 9112 §2.2) and a bad chunk size (§7.1).
  expect_requests(
      "GET / HTTP/1.1\r\nHost: h\r\n\r\nGET / HTTP/1.1\nHost: h\r\n\r\n",
      {"head GET / 1.1 origin; Host=h; no_body keep-alive", "end", "error bare_lf @41"});
  expect_requests("PUT / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                  {"head PUT / 1.1 origin; Host=h; Transfer-Encoding=chunked; chunked keep-alive",
                   "error bad_chunk_size @55"});
}

TEST(RequestReader, says_when_a_client_waits_for_100_continue) {
  // RFC 9110 §10.1.1: true from the head until the first body byte.
  RequestReader r;
  std::string in =
      "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n";
  EXPECT_FALSE(r.expecting_continue());
  ReadStep s = r.next(in);
  ASSERT_EQ(s.event, ReadEvent::head);
  EXPECT_TRUE(r.expecting_continue());
  in.erase(0, s.consumed);
  EXPECT_EQ(r.next(in).event, ReadEvent::need_more);
  EXPECT_TRUE(r.expecting_continue());
  in += "o";
  s = r.next(in);
  ASSERT_EQ(s.event, ReadEvent::data);
  EXPECT_FALSE(r.expecting_continue());
}

TEST(RequestReader, errors_are_sticky_until_reset) {
  RequestReader r;
  const std::string bad = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: x\r\n\r\n";
  EXPECT_EQ(r.next(bad).event, ReadEvent::error);
  EXPECT_EQ(r.error(), Error::bad_content_length);
  EXPECT_EQ(r.next(bad).event, ReadEvent::error);
  EXPECT_EQ(r.finish(bad).event, ReadEvent::error);
  r.reset();
  const std::string good = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
  EXPECT_EQ(r.next(good).event, ReadEvent::head);
  EXPECT_EQ(r.error(), Error::none);
}

TEST(ResponseReader, frames_each_response_by_the_request_it_answers) {
  // The client: a pipelined stream of responses to GET, HEAD and a chunked POST
  // (RFC 9112 §6.3 items 1, 4, 6).
  expect_responses(
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
      "HTTP/1.1 100 Continue\r\n\r\n"
      "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
      {Method::get, Method::head, Method::post},
      {"head 200 OK 1.1; Content-Length=5; content_length 5 keep-alive", "data hello", "end",
       "head 200 OK 1.1; Content-Length=5; no_body keep-alive", "end",
       "head 100 Continue 1.1; no_body keep-alive interim",
       "head 201 Created 1.1; Transfer-Encoding=chunked; chunked keep-alive", "data abc", "end",
       "closed"});
}

TEST(ResponseReader, a_close_delimited_body_ends_at_the_close) {
  // RFC 9112 §6.3 item 8.
  expect_responses("HTTP/1.0 200 OK\r\n\r\nall of it", {Method::get},
                   {"head 200 OK 1.0; until_close close", "data all of it", "end", "closed"});
}

TEST(ResponseReader, the_connection_leaves_http_after_101_and_connect_2xx) {
  // RFC 9110 §15.2.2 and §9.3.6: the rest of the input is another protocol's.
  expect_responses("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05",
                   {Method::get},
                   {"head 101 Switching Protocols 1.1; Upgrade=websocket; no_body keep-alive "
                    "leaves-http",
                    "end", "switched \\x81\\x05"});
  expect_responses("HTTP/1.1 200 Connection Established\r\n\r\n\x16\x03", {Method::connect},
                   {"head 200 Connection Established 1.1; no_body keep-alive leaves-http", "end",
                    "switched \\x16\\x03"});
}

TEST(ResponseReader, a_response_without_a_request_is_an_error) {
  // RFC 9112 §9.3: every response answers a request sent before it.
  expect_responses("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n",
                   {Method::get},
                   {"head 200 OK 1.1; Content-Length=0; content_length 0 keep-alive", "end",
                    "error unsolicited_response @38"});
}

TEST(ResponseReader, a_request_may_be_sent_after_earlier_responses_were_read) {
  ResponseReader r;
  ASSERT_TRUE(r.request_sent(Method::head));
  std::string in = "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n";
  ReadStep s = r.next(in);
  ASSERT_EQ(s.event, ReadEvent::head);
  in.erase(0, s.consumed);
  ASSERT_EQ(r.next(in).event, ReadEvent::end);
  EXPECT_EQ(r.pending_requests(), 0u);
  ASSERT_TRUE(r.request_sent(Method::get));
  in = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  s = r.next(in);
  ASSERT_EQ(s.event, ReadEvent::head);
  in.erase(0, s.consumed);
  s = r.next(in);
  ASSERT_EQ(s.event, ReadEvent::data);
  EXPECT_EQ(std::string(s.data.data(), s.data.size()), "ok");
  EXPECT_EQ(r.offset(), 78u);  // both responses, heads and content
}

TEST(ResponseReader, holds_at_most_k_max_pending_requests) {
  ResponseReader r;
  for (std::size_t i = 0; i < ResponseReader::kMaxPending; ++i) {
    ASSERT_TRUE(r.request_sent(Method::get));
  }
  EXPECT_FALSE(r.request_sent(Method::get));
  EXPECT_EQ(r.pending_requests(), ResponseReader::kMaxPending);
}

TEST(ResponseReader, truncated_and_smuggled_responses_fail_at_their_byte) {
  expect_responses("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab", {Method::get},
                   {"head 200 OK 1.1; Content-Length=4; content_length 4 keep-alive", "data ab",
                    "error truncated @40"});
  // RFC 9112 §6.3 item 3: both framings is an error, not a choice.
  expect_responses(
      "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      {Method::get}, {"error te_with_cl @33"});
}

TEST(ReadEventNames, are_the_enumerators) {
  EXPECT_EQ(read_event_name(ReadEvent::need_more), "need_more");
  EXPECT_EQ(read_event_name(ReadEvent::switched), "switched");
  EXPECT_EQ(read_event_name(ReadEvent::closed), "closed");
}

}  // namespace
}  // namespace httpfsm
