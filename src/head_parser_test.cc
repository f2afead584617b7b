// HeadParser's contract beyond the case table: resumption, stickiness, pipelining, lookups.
#include "httpfsm/head_parser.hpp"

#include <gtest/gtest.h>

#include <string>

#include "test_support.hpp"

namespace httpfsm {
namespace {

using testing::FlushBuffer;

std::span<const char> bytes(std::string_view s) { return {s.data(), s.size()}; }

TEST(HeadParser, resumes_where_it_stopped_and_counts_scanned_bytes) {
  HeadParser p;
  const std::string m = "GET /path HTTP/1.1\r\nHost: example.com\r\n\r\n";
  EXPECT_EQ(p.parse(bytes(std::string_view(m).substr(0, 10))), Progress::need_more);
  EXPECT_EQ(p.consumed(), 10u);
  EXPECT_EQ(p.parse(bytes(std::string_view(m).substr(0, 25))), Progress::need_more);
  EXPECT_EQ(p.consumed(), 25u);
  EXPECT_EQ(p.parse(bytes(m)), Progress::complete);
  EXPECT_EQ(p.consumed(), m.size());
  EXPECT_EQ(text(bytes(m), p.head().target), "/path");
}

TEST(HeadParser, a_complete_parse_is_not_repeated) {
  HeadParser p;
  const std::string m = "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /next";
  ASSERT_EQ(p.parse(bytes(m)), Progress::complete);
  const std::uint32_t consumed = p.consumed();
  EXPECT_EQ(p.parse(bytes(m)), Progress::complete);
  EXPECT_EQ(p.consumed(), consumed);
}

TEST(HeadParser, errors_are_sticky_until_reset) {
  HeadParser p;
  const std::string m = "GET / HTTP/1.1\r\nHo st: a\r\n\r\n";
  ASSERT_EQ(p.parse(bytes(m)), Progress::failed);
  EXPECT_EQ(p.error(), Error::space_before_colon);
  EXPECT_EQ(p.error_offset(), 18u);
  EXPECT_EQ(p.consumed(), 18u);  // nothing at or after the offending byte
  const std::string more = m + "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  EXPECT_EQ(p.parse(bytes(more)), Progress::failed);
  EXPECT_EQ(p.error(), Error::space_before_colon);
  EXPECT_EQ(p.error_offset(), 18u);
  p.reset();
  EXPECT_EQ(p.error(), Error::none);
  EXPECT_EQ(p.parse(bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")), Progress::complete);
}

// Found by head_parser_fuzzer (fuzz/regressions/head_parser_fuzzer/method_too_long_consumed):
// a method or target over its limit left consumed() one past the offending byte, while every
// other error leaves it at the offending byte.
TEST(HeadParser, a_limit_error_consumes_nothing_at_or_after_the_offending_byte) {
  Limits l;
  l.max_method = 8;
  l.max_target = 4;
  HeadParser method(l);
  ASSERT_EQ(method.parse(bytes("GET1.o1st")), Progress::failed);
  EXPECT_EQ(method.error(), Error::method_too_long);
  EXPECT_EQ(method.error_offset(), 8u);
  EXPECT_EQ(method.consumed(), 8u);
  HeadParser target(l);
  ASSERT_EQ(target.parse(bytes("GET /abcd HTTP/1.1")), Progress::failed);
  EXPECT_EQ(target.error(), Error::target_too_long);
  EXPECT_EQ(target.error_offset(), 8u);
  EXPECT_EQ(target.consumed(), 8u);
}

TEST(HeadParser, pipelined_requests_parse_one_after_another) {
  const std::string a = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string b = "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n";
  const std::string c = "GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  const std::string all = a + b + "xyz" + c;
  HeadParser p;
  std::span<const char> rest = bytes(all);
  ASSERT_EQ(p.parse(rest), Progress::complete);
  EXPECT_EQ(text(rest, p.head().target), "/a");
  rest = rest.subspan(p.consumed());
  p.reset();
  ASSERT_EQ(p.parse(rest), Progress::complete);
  EXPECT_EQ(text(rest, p.head().target), "/b");
  EXPECT_EQ(p.head().framing, Framing::content_length);
  rest = rest.subspan(p.consumed() + p.head().content_length);
  p.reset();
  ASSERT_EQ(p.parse(rest), Progress::complete);
  EXPECT_EQ(text(rest, p.head().target), "/c");
  EXPECT_FALSE(p.head().keep_alive);
  EXPECT_EQ(p.consumed(), rest.size());
}

TEST(HeadParser, known_fields_are_indexed_during_the_pass) {
  const std::string m =
      "POST /u HTTP/1.1\r\nhost: h\r\nUser-Agent: curl/8\r\nX-A: 1\r\naccept-encoding: gzip\r\n"
      "Accept-Encoding: br\r\nContent-Length: 2\r\nExpect: 100-continue\r\nConnection: "
      "keep-alive\r\n\r\n";
  HeadParser p;
  ASSERT_EQ(p.parse(bytes(m)), Progress::complete);
  const RequestHead& h = p.head();
  EXPECT_EQ(h.value(bytes(m), KnownField::host), "h");
  EXPECT_EQ(h.value(bytes(m), KnownField::user_agent), "curl/8");
  EXPECT_EQ(h.value(bytes(m), KnownField::accept_encoding), "gzip");  // the first line
  EXPECT_EQ(h.value(bytes(m), KnownField::content_length), "2");
  EXPECT_EQ(h.value(bytes(m), KnownField::expect), "100-continue");
  EXPECT_EQ(h.value(bytes(m), KnownField::connection), "keep-alive");
  EXPECT_EQ(h.field(KnownField::transfer_encoding), nullptr);
  EXPECT_EQ(h.value(bytes(m), KnownField::transfer_encoding), "");
  EXPECT_EQ(h.first[static_cast<std::size_t>(KnownField::accept_encoding)], 3);
  ASSERT_NE(h.find(bytes(m), "x-a"), nullptr);
  EXPECT_EQ(text(bytes(m), h.find(bytes(m), "X-a")->value), "1");
  EXPECT_EQ(h.find(bytes(m), "X-B"), nullptr);
  EXPECT_EQ(h.fields.size(), 8u);
  EXPECT_TRUE(h.expect_continue);
  EXPECT_EQ(h.method_id, Method::post);
}

TEST(HeadParser, classifies_methods_case_sensitively) {
  const std::pair<const char*, Method> methods[] = {
      {"GET", Method::get},     {"HEAD", Method::head},      {"POST", Method::post},
      {"PUT", Method::put},     {"DELETE", Method::delete_}, {"OPTIONS", Method::options},
      {"TRACE", Method::trace}, {"PATCH", Method::patch},    {"get", Method::other},
      {"BREW", Method::other}};
  for (const auto& [name, id] : methods) {
    HeadParser p;
    const std::string m = std::string(name) + " / HTTP/1.1\r\nHost: a\r\n\r\n";
    ASSERT_EQ(p.parse(bytes(m)), Progress::complete) << name;
    EXPECT_EQ(p.head().method_id, id) << name;
  }
}

TEST(HeadParser, a_buffer_larger_than_the_head_limit_still_fails_at_the_limit) {
  Limits l;
  l.max_head = 40;
  HeadParser p(l);
  const std::string m = "GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(100, 'y') + "\r\n\r\n";
  EXPECT_EQ(p.parse(bytes(m)), Progress::failed);
  EXPECT_EQ(p.error(), Error::head_too_large);
  EXPECT_EQ(p.error_offset(), 40u);
}

TEST(HeadParser, reaching_a_limit_exactly_at_the_end_of_input_already_fails) {
  // No continuation of a 16-byte field line without its LF can fit in 16 bytes.
  Limits l;
  l.max_field_line = 16;
  HeadParser p(l);
  const std::string m = "GET / HTTP/1.1\r\nHost: a\r\nX: 0123456789abc";  // the X line is 16 bytes
  EXPECT_EQ(p.parse(bytes(m)), Progress::failed);
  EXPECT_EQ(p.error(), Error::field_too_long);
  EXPECT_EQ(p.error_offset(), m.size());
}

// Found by HeadParserProperty.method_limit_is_exact and target_limit_is_exact: after a
// method or target limit error, consumed() was error_offset() + 1 (the machine reads one
// byte past those limits to see the SP), unlike every other error.
TEST(HeadParser, consumes_nothing_from_the_byte_past_a_method_or_target_limit) {
  Limits l;
  l.max_method = 4;
  l.max_target = 4;
  const std::pair<std::string, std::uint32_t> cases[] = {
      {"PATCH / HTTP/1.1\r\nHost: a\r\n\r\n", 4},     // method_too_long at the "H"
      {"GET /abcd HTTP/1.1\r\nHost: a\r\n\r\n", 8}};  // target_too_long at the "d"
  for (const auto& [m, at] : cases) {
    HeadParser p(l);
    ASSERT_EQ(p.parse(bytes(m)), Progress::failed) << m;
    EXPECT_EQ(p.error_offset(), at) << m;
    EXPECT_EQ(p.consumed(), at) << m;
  }
}

TEST(HeadParser, raises_limits_below_the_minimum) {
  Limits l{};
  l.max_method = 0;
  l.max_target = 0;
  l.max_field_line = 0;
  l.max_fields = 0;
  l.max_head = 0;
  HeadParser p(l);
  EXPECT_EQ(p.limits().max_method, kMinimumLimits.max_method);
  EXPECT_EQ(p.limits().max_head, kMinimumLimits.max_head);
  EXPECT_EQ(p.parse(bytes("G / HTTP/1.0\r\n\r\n")), Progress::complete);
}

TEST(HeadParser, spans_index_the_callers_buffer_not_a_copy) {
  const FlushBuffer b("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
  HeadParser p;
  ASSERT_EQ(p.parse(b.span()), Progress::complete);
  const std::string_view target = text(b.span(), p.head().target);
  EXPECT_EQ(target.data(), b.span().data() + 4);
}

TEST(HeadParser, moved_parser_keeps_its_state) {
  HeadParser a;
  const std::string m = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  ASSERT_EQ(a.parse(bytes(std::string_view(m).substr(0, 12))), Progress::need_more);
  HeadParser b = std::move(a);
  EXPECT_EQ(b.parse(bytes(m)), Progress::complete);
}

}  // namespace
}  // namespace httpfsm
