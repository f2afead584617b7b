// The message readers' end states (issue 19 coverage): what next() and finish() say once the
// connection has left HTTP, was closed by "Connection: close", or ends right after a head with
// no body, and what the response side answers to questions only a server asks.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "httpfsm/message_reader.hpp"

namespace httpfsm {
namespace {

// Steps `r` through `input` until it stops making progress; the last step.
template <class Reader>
ReadStep run(Reader& r, std::string& input) {
  for (;;) {
    const ReadStep s = r.next(input);
    input.erase(0, s.consumed);
    if (s.event != ReadEvent::head && s.event != ReadEvent::data && s.event != ReadEvent::end) {
      return s;
    }
  }
}

// RFC 9112 §9.6: after a message with "Connection: close" the reader is closed, for more
// bytes (never a next request) and for the close alike; messages() counts the one read.
TEST(MessageReaderStates, closed_after_connection_close_stays_closed) {
  RequestReader r;
  std::string in = "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /x HTTP/1.1\r\n\r\n";
  EXPECT_EQ(run(r, in).event, ReadEvent::closed);
  EXPECT_EQ(r.messages(), 1u);
  EXPECT_EQ(r.next(in).event, ReadEvent::closed);
  EXPECT_EQ(r.finish(in).event, ReadEvent::closed);
  EXPECT_EQ(r.finish({}).event, ReadEvent::closed);
}

// RFC 9110 §15.2.2: after a 101 the connection carries another protocol: next() and finish()
// both say switched, with nothing consumed, so the caller hands the bytes on.
TEST(MessageReaderStates, switched_after_101_for_next_and_finish) {
  ResponseReader r;
  ASSERT_TRUE(r.request_sent(Method::get));
  std::string in = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81";
  const ReadStep s = run(r, in);
  EXPECT_EQ(s.event, ReadEvent::switched);
  EXPECT_EQ(s.consumed, 0u);
  EXPECT_EQ(in, "\x81");
  EXPECT_EQ(r.messages(), 1u);
  EXPECT_EQ(r.finish(in).event, ReadEvent::switched);
  EXPECT_EQ(r.next(in).event, ReadEvent::switched);
}

// The connection closing right after a head without a body (RFC 9112 §6.3 items 1 and 7) ends
// that message: finish() gives its end, then the reader is closed.
TEST(MessageReaderStates, finish_right_after_a_bodiless_head_ends_the_message) {
  RequestReader r;
  const std::string in = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  const ReadStep head = r.next(in);
  ASSERT_EQ(head.event, ReadEvent::head);
  ASSERT_EQ(head.consumed, in.size());
  const ReadStep end = r.finish({});
  EXPECT_EQ(end.event, ReadEvent::end);
  EXPECT_EQ(r.messages(), 1u);
  EXPECT_EQ(r.finish({}).event, ReadEvent::closed);

  ResponseReader c;
  ASSERT_TRUE(c.request_sent(Method::head));  // RFC 9112 §6.3 item 1: no body after HEAD
  const std::string res = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
  ASSERT_EQ(c.next(res).event, ReadEvent::head);
  EXPECT_EQ(c.finish({}).event, ReadEvent::end);
  EXPECT_EQ(c.messages(), 1u);
}

// After an error, finish() reports the same sticky error, not truncated or closed.
TEST(MessageReaderStates, finish_after_an_error_keeps_the_error) {
  RequestReader r;
  const std::string in = "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n";
  ASSERT_EQ(r.next(in).event, ReadEvent::error);
  EXPECT_EQ(r.error(), Error::multiple_host);
  EXPECT_EQ(r.finish(in).event, ReadEvent::error);
  EXPECT_EQ(r.error(), Error::multiple_host);
}

// RFC 9110 §10.1.1: Expect is a request field. A response that carries one asks nothing of
// the client, and a ResponseReader is never waiting to send 100 (Continue).
TEST(MessageReaderStates, a_response_reader_never_expects_continue) {
  ResponseReader r;
  ASSERT_TRUE(r.request_sent(Method::post));
  std::string in = "HTTP/1.1 200 OK\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n";
  ASSERT_EQ(r.next(in).event, ReadEvent::head);
  EXPECT_FALSE(r.expecting_continue());
  EXPECT_EQ(r.messages(), 0u);  // the body is still to come

  RequestReader q;
  const std::string req =
      "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n";
  ASSERT_EQ(q.next(req).event, ReadEvent::head);
  EXPECT_TRUE(q.expecting_continue());
}

}  // namespace
}  // namespace httpfsm
