// BodyDecoder: Content-Length and chunked bodies, whole and in every split, against a table.
#include "httpfsm/body_decoder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.hpp"

namespace httpfsm {
namespace {

using testing::BodyOutcome;
using testing::decode_in_pieces;
using testing::describe;
using testing::escape;

struct BodyCase {
  std::string name;
  std::string rfc;
  Framing framing;
  std::uint64_t content_length;
  std::string bytes;
  std::string expect;  // describe() of the outcome
  Limits limits{};
};

std::ostream& operator<<(std::ostream& os, const BodyCase& c) {
  return os << c.name << ": " << escape(c.bytes);
}

BodyCase chunked(std::string name, std::string rfc, std::string bytes, std::string expect,
                 Limits limits = {}) {
  return {std::move(name),   std::move(rfc), Framing::chunked, 0, std::move(bytes),
          std::move(expect), limits};
}

Limits limit(std::uint64_t Limits::*f, std::uint64_t v) {
  Limits l;
  l.*f = v;
  return l;
}
Limits limit32(std::uint32_t Limits::*f, std::uint32_t v) {
  Limits l;
  l.*f = v;
  return l;
}

std::vector<BodyCase> cases() {
  std::vector<BodyCase> c;
  // RFC 9112 §6.3 item 6: Content-Length
  c.push_back({"content_length_body", "9112 §6.3", Framing::content_length, 5, "hello",
               "complete content=hello consumed=5"});
  c.push_back({"content_length_leaves_the_next_message", "9112 §6.3", Framing::content_length, 3,
               "abcGET / HTTP/1.1", "complete content=abc consumed=3"});
  c.push_back({"content_length_zero_is_complete_at_once", "9112 §6.3", Framing::content_length, 0,
               "GET", "complete content= consumed=0"});
  c.push_back({"content_length_binary", "9112 §6.3", Framing::content_length, 4,
               std::string("\0\xff\r\n", 4), "complete content=\\x00\\xff\\r\\n consumed=4"});
  c.push_back({"content_length_short_needs_more", "9112 §6.3", Framing::content_length, 10, "abc",
               "need_more content=abc consumed=3"});
  c.push_back({"no_body_is_complete_at_once", "9112 §6.3", Framing::no_body, 0, "GET /",
               "complete content= consumed=0"});
  c.push_back({"content_length_over_max_body", "9110 §15.5.14", Framing::content_length, 11, "x",
               "error body_too_large @0 content= consumed=0", limit(&Limits::max_body, 10)});
  // RFC 9112 §7.1 chunked-body = *chunk last-chunk trailer-section CRLF
  c.push_back(chunked("one_chunk", "9112 §7.1", "5\r\nhello\r\n0\r\n\r\n",
                      "complete content=hello consumed=15"));
  c.push_back(chunked("several_chunks", "9112 §7.1", "3\r\nabc\r\n1\r\nd\r\n2\r\nef\r\n0\r\n\r\n",
                      "complete content=abcdef consumed=26"));
  c.push_back(chunked("hex_sizes_in_either_case", "9112 §7.1",
                      "a\r\n0123456789\r\nA\r\n0123456789\r\n0\r\n\r\n",
                      "complete content=01234567890123456789 consumed=35"));
  c.push_back(chunked("leading_zeros_in_size", "9112 §7.1", "0003\r\nabc\r\n000\r\n\r\n",
                      "complete content=abc consumed=18"));
  c.push_back(chunked("empty_body", "9112 §7.1", "0\r\n\r\n", "complete content= consumed=5"));
  c.push_back(chunked("leaves_the_next_message", "9112 §7.1", "1\r\nx\r\n0\r\n\r\nGET",
                      "complete content=x consumed=11"));
  c.push_back(chunked("crlf_and_binary_inside_data", "9112 §7.1",
                      std::string("4\r\n\r\n\0\xff\r\n0\r\n\r\n", 15),
                      "complete content=\\r\\n\\x00\\xff consumed=14"));
  c.push_back(chunked("data_that_looks_like_a_chunk", "9112 §7.1", "5\r\n0\r\n\r\n\r\n0\r\n\r\n",
                      "complete content=0\\r\\n\\r\\n consumed=15"));
  // RFC 9112 §7.1.1 chunk-ext
  c.push_back(chunked("chunk_extension", "9112 §7.1.1", "1;a=b\r\nx\r\n0;last\r\n\r\n",
                      "complete content=x consumed=20"));
  c.push_back(chunked("chunk_extension_quoted", "9112 §7.1.1", "1;a=\"b;c\\\"d\"\r\nx\r\n0\r\n\r\n",
                      "complete content=x consumed=22"));
  c.push_back(chunked("chunk_extension_with_bws", "9112 §7.1.1", "1 ; a = b\r\nx\r\n0\r\n\r\n",
                      "complete content=x consumed=19"));
  c.push_back(chunked("several_chunk_extensions", "9112 §7.1.1", "1;a;b=c;d\r\nx\r\n0\r\n\r\n",
                      "complete content=x consumed=19"));
  c.push_back(chunked("rejects_bad_chunk_extension", "9112 §7.1.1", "1;=b\r\nx\r\n0\r\n\r\n",
                      "error bad_chunk_ext @2 content= consumed=2"));
  c.push_back(chunked("rejects_space_after_size", "9112 §7.1.1", "1 \r\nx\r\n0\r\n\r\n",
                      "error bad_chunk_ext @2 content= consumed=2"));
  c.push_back(chunked("rejects_unterminated_quoted_extension", "9112 §7.1.1", "1;a=\"b\r\nx\r\n",
                      "error bad_chunk_ext @6 content= consumed=6"));
  c.push_back(chunked(
      "limits_chunk_extensions", "9112 §7.1.1", "1;" + std::string(20, 'e') + "\r\nx\r\n0\r\n\r\n",
      "error chunk_ext_too_long @17 content= consumed=17", limit32(&Limits::max_chunk_ext, 16)));
  c.push_back(chunked("accepts_chunk_extensions_at_the_limit", "9112 §7.1.1",
                      "1;" + std::string(14, 'e') + "\r\nx\r\n0\r\n\r\n",
                      "complete content=x consumed=26", limit32(&Limits::max_chunk_ext, 16)));
  // chunk-size errors
  c.push_back(chunked("rejects_non_hex_size", "9112 §7.1", "g\r\n",
                      "error bad_chunk_size @0 content= consumed=0"));
  c.push_back(chunked("rejects_empty_size", "9112 §7.1", "\r\nx\r\n",
                      "error bad_chunk_size @0 content= consumed=0"));
  c.push_back(chunked("rejects_negative_size", "9112 §7.1", "-1\r\nx\r\n",
                      "error bad_chunk_size @0 content= consumed=0"));
  c.push_back(chunked("rejects_0x_prefix", "9112 §7.1", "0x5\r\nhello\r\n",
                      "error bad_chunk_size @1 content= consumed=1"));
  c.push_back(chunked("rejects_size_overflow", "9112 §7.1", "10000000000000000\r\n",
                      "error bad_chunk_size @16 content= consumed=16",
                      limit(&Limits::max_body, UINT64_MAX)));
  c.push_back(chunked("rejects_size_past_max_body_at_the_digit", "9110 §15.5.14",
                      "ffffffffffffffff\r\n", "error body_too_large @5 content= consumed=5"));
  c.push_back(chunked(
      "rejects_chunks_past_max_body", "9110 §15.5.14", "8\r\n12345678\r\n3\r\nabc\r\n",
      "error body_too_large @13 content=12345678 consumed=13", limit(&Limits::max_body, 10)));
  c.push_back(chunked("accepts_chunks_up_to_max_body", "9110 §15.5.14",
                      "8\r\n12345678\r\n2\r\nab\r\n0\r\n\r\n",
                      "complete content=12345678ab consumed=25", limit(&Limits::max_body, 10)));
  c.push_back(chunked("rejects_bare_lf_after_size", "9112 §7.1", "1\nx\r\n",
                      "error bare_lf @1 content= consumed=1"));
  c.push_back(chunked("rejects_bare_cr_after_size", "9112 §7.1", "1\rx\r\n",
                      "error bare_cr @1 content= consumed=1"));
  c.push_back(chunked("rejects_missing_crlf_after_data", "9112 §7.1", "1\r\nxy\r\n",
                      "error bad_chunk_end @4 content=x consumed=4"));
  c.push_back(chunked("rejects_lf_only_after_data", "9112 §7.1", "1\r\nx\n0\r\n\r\n",
                      "error bad_chunk_end @4 content=x consumed=4"));
  c.push_back(chunked("rejects_cr_only_after_data", "9112 §7.1", "1\r\nx\r0\r\n\r\n",
                      "error bad_chunk_end @5 content=x consumed=5"));
  c.push_back(chunked("rejects_short_data", "9112 §7.1", "3\r\nab\r\n0\r\n\r\n",
                      "error bad_chunk_end @6 content=ab\\r consumed=6"));
  c.push_back(
      chunked("needs_more_inside_size", "9112 §7.1", "12", "need_more content= consumed=2"));
  c.push_back(chunked("needs_more_inside_data", "9112 §7.1", "5\r\nhel",
                      "need_more content=hel consumed=6"));
  c.push_back(chunked("needs_more_before_last_crlf", "9112 §7.1", "0\r\n",
                      "need_more content= consumed=3"));
  // RFC 9112 §7.1.2 trailer-section
  c.push_back(chunked("trailers", "9112 §7.1.2", "1\r\nx\r\n0\r\nX-Sum: 12\r\nY:z \r\n\r\n",
                      "complete content=x consumed=28 trailers=X-Sum=12; Y=z"));
  c.push_back(chunked("trailer_section_is_not_consumed_until_whole", "9112 §7.1.2", "0\r\nX: y\r\n",
                      "need_more content= consumed=3"));
  c.push_back(chunked("rejects_obs_fold_in_trailers", "9112 §5.2", "0\r\nX: y\r\n z\r\n\r\n",
                      "error obs_fold @9 content= consumed=9"));
  c.push_back(chunked("rejects_space_before_colon_in_trailers", "9112 §5.1", "0\r\nX : y\r\n\r\n",
                      "error space_before_colon @4 content= consumed=4"));
  c.push_back(chunked("rejects_control_in_trailer_value", "9110 §5.5", "0\r\nX: \x01\r\n\r\n",
                      "error bad_field_value @6 content= consumed=6"));
  c.push_back(chunked("rejects_bad_trailer_name", "9110 §5.1", "0\r\n(: y\r\n\r\n",
                      "error bad_field_name @3 content= consumed=3"));
  c.push_back(chunked("rejects_bare_lf_ending_trailers", "9112 §2.2", "0\r\nX: y\r\n\n",
                      "error bare_lf @9 content= consumed=9"));
  c.push_back(chunked("limits_trailer_section", "9112 §7.1.2", "0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n",
                      "error trailer_too_large @19 content= consumed=19",
                      limit32(&Limits::max_trailer, 16)));
  c.push_back(chunked(
      "accepts_trailer_section_at_the_limit", "9112 §7.1.2", "0\r\nA: 1\r\nB: 2\r\n\r\n",
      "complete content= consumed=17 trailers=A=1; B=2", limit32(&Limits::max_trailer, 16)));
  c.push_back(chunked("limits_trailer_field_lines", "6585 §5", "0\r\nA: 1234567\r\n\r\n",
                      "error field_too_long @11 content= consumed=11",
                      limit32(&Limits::max_field_line, 8)));
  Limits two_fields;
  two_fields.max_fields = 2;
  c.push_back(chunked("limits_trailer_field_count", "6585 §5", "0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n",
                      "error too_many_fields @15 content= consumed=15", two_fields));
  return c;
}

class BodyDecoderCase : public ::testing::TestWithParam<BodyCase> {};

// Whole, one byte at a time, and split in two at every position: the same outcome.
TEST_P(BodyDecoderCase, gives_the_same_outcome_however_it_is_fed) {
  const BodyCase& c = GetParam();
  const BodyOutcome whole = decode_in_pieces(c.framing, c.content_length, c.bytes, {}, c.limits);
  EXPECT_EQ(describe(whole), c.expect);
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < c.bytes.size(); ++i) cuts.push_back(i);
  EXPECT_EQ(decode_in_pieces(c.framing, c.content_length, c.bytes, cuts, c.limits), whole)
      << "one byte at a time";
  for (std::size_t cut = 1; cut < c.bytes.size(); ++cut) {
    ASSERT_EQ(decode_in_pieces(c.framing, c.content_length, c.bytes, {cut}, c.limits), whole)
        << "cut at " << cut;
  }
}

INSTANTIATE_TEST_SUITE_P(cases, BodyDecoderCase, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<BodyCase>& i) { return i.param.name; });

TEST(BodyDecoder, data_is_a_slice_of_the_input) {
  const testing::FlushBuffer b("5\r\nhello\r\n0\r\n\r\n");
  BodyDecoder d;
  d.start(Framing::chunked);
  const BodyStep s = d.decode(b.span());
  ASSERT_EQ(s.data.size(), 5u);
  EXPECT_EQ(s.data.data(), b.span().data() + 3);
  EXPECT_EQ(s.consumed, 8u);
}

TEST(BodyDecoder, starts_from_a_parsed_head_and_is_reusable) {
  const std::string m = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc";
  HeadParser p;
  ASSERT_EQ(p.parse({m.data(), m.size()}), Progress::complete);
  BodyDecoder d(p.head(), Limits{});
  const std::span<const char> body(m.data() + p.consumed(), 3);
  BodyStep s = d.decode(body);
  EXPECT_EQ(s.progress, Progress::complete);
  EXPECT_EQ(std::string(s.data.data(), s.data.size()), "abc");
  d.start(Framing::chunked);
  s = d.decode({"0\r\n\r\n", 5});
  EXPECT_EQ(s.progress, Progress::complete);
  EXPECT_EQ(d.body_bytes(), 5u);
}

TEST(BodyDecoder, finish_reports_a_truncated_body) {
  BodyDecoder d;
  d.start(Framing::content_length, 10);
  d.decode({"abc", 3});
  EXPECT_EQ(d.finish(), Error::truncated);
  EXPECT_EQ(d.progress(), Progress::failed);
  d.start(Framing::content_length, 3);
  d.decode({"abc", 3});
  EXPECT_EQ(d.finish(), Error::none);
}

TEST(BodyDecoder, errors_are_sticky_until_start) {
  BodyDecoder d;
  d.start(Framing::chunked);
  EXPECT_EQ(d.decode({"z\r\n", 3}).progress, Progress::failed);
  EXPECT_EQ(d.decode({"0\r\n\r\n", 5}).progress, Progress::failed);
  EXPECT_EQ(d.error(), Error::bad_chunk_size);
  d.start(Framing::chunked);
  EXPECT_EQ(d.decode({"0\r\n\r\n", 5}).progress, Progress::complete);
}

}  // namespace
}  // namespace httpfsm
