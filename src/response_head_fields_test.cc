// The response head's field lookups and the method a response is read for (RFC 9112 §6.3: the
// framing of a response depends on the request it answers): known fields by index, any other
// by a case-insensitive search (RFC 9110 §5.1), and request_method() as reset() set it.
#include <gtest/gtest.h>

#include <string>

#include "httpfsm/response_head_parser.hpp"

namespace httpfsm {
namespace {

TEST(ResponseHeadFields, known_fields_by_index_others_by_name_in_any_case) {
  const std::string res =
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Trace: abc\r\nconnection: keep-alive\r\n\r\nok";
  ResponseHeadParser p;
  ASSERT_EQ(p.parse(res), Progress::complete);
  const ResponseHead& h = p.head();
  EXPECT_EQ(h.value(res, KnownField::content_length), "2");
  EXPECT_EQ(h.value(res, KnownField::connection), "keep-alive");
  EXPECT_EQ(h.value(res, KnownField::transfer_encoding), "");  // absent
  EXPECT_EQ(h.field(KnownField::transfer_encoding), nullptr);
  const Field* trace = h.find(res, "x-TRACE");
  ASSERT_NE(trace, nullptr);
  EXPECT_EQ(text(res, trace->value), "abc");
  EXPECT_EQ(h.find(res, "X-Trac"), nullptr);
  EXPECT_EQ(h.find(res, "X-Traces"), nullptr);
  EXPECT_EQ(h.find(res, "content-length"), h.field(KnownField::content_length));
}

TEST(ResponseHeadFields, request_method_is_the_one_reset_gave_and_frames_the_body) {
  ResponseHeadParser p;
  EXPECT_EQ(p.request_method(), Method::get);  // the default
  const std::string res = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
  for (Method m : {Method::get, Method::head, Method::connect, Method::post}) {
    p.reset(m);
    EXPECT_EQ(p.request_method(), m);
    ASSERT_EQ(p.parse(res), Progress::complete);
    // RFC 9112 §6.3 item 1: no body after HEAD; item 2: a 2xx to CONNECT leaves HTTP.
    EXPECT_EQ(p.head().framing,
              m == Method::get || m == Method::post ? Framing::content_length : Framing::no_body)
        << method_token(m);
    EXPECT_EQ(p.head().leaves_http, m == Method::connect) << method_token(m);
  }
}

}  // namespace
}  // namespace httpfsm
