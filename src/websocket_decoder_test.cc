// FrameDecoder (RFC 6455 §5): a table of frame sequences, each with the RFC section it shows,
// run whole, one byte at a time, split at every offset, unmasked in place and into a separate
// buffer, and with bytes after an error that must not change it.
#include "httpfsm/websocket_decoder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testing/websocket_stream.hpp"

namespace httpfsm {
namespace {

using testing::describe;
using testing::ws_decode_in_pieces;
using testing::ws_frame;
using testing::ws_header;

FrameDecoderOptions client() {
  FrameDecoderOptions o;
  o.role = Role::client;
  return o;
}
FrameDecoderOptions deflate() {
  FrameDecoderOptions o;
  o.permessage_deflate = true;
  return o;
}
FrameDecoderOptions max_message(std::uint64_t n) {
  FrameDecoderOptions o;
  o.max_message = n;
  return o;
}

std::string hex(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s += static_cast<char>(b);
  return s;
}

std::string close_payload(int code, std::string_view reason = "") {
  std::string s;
  s += static_cast<char>(code >> 8);
  s += static_cast<char>(code & 0xff);
  return s + std::string(reason);
}

struct FrameCase {
  std::string name;
  std::string rfc;
  std::string bytes;
  std::string expect;  // describe() of the outcome
  FrameDecoderOptions options{};
};

std::ostream& operator<<(std::ostream& os, const FrameCase& c) { return os << c.name; }

constexpr std::uint8_t kText = 0x81, kBinary = 0x82, kClose = 0x88, kPing = 0x89, kPong = 0x8a;

std::vector<FrameCase> cases() {
  const std::string b256(256, '\x5a');
  const std::string b64k(65536, '\x33');
  std::vector<FrameCase> c;
  // §5.7: the RFC's own examples, byte for byte.
  c.push_back({"rfc_example_unmasked_text", "6455 §5.7",
               hex({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}), "text:Hello | need_more consumed=7",
               client()});
  c.push_back({"rfc_example_masked_text", "6455 §5.7",
               hex({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}),
               "text:Hello | need_more consumed=11"});
  c.push_back({"rfc_example_fragmented_text", "6455 §5.7",
               hex({0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f}),
               "text:Hello | need_more consumed=9", client()});
  c.push_back({"rfc_example_unmasked_ping", "6455 §5.7",
               hex({0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}), "ping:Hello | need_more consumed=7",
               client()});
  c.push_back({"rfc_example_masked_pong", "6455 §5.7",
               hex({0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}),
               "pong:Hello | need_more consumed=11"});
  c.push_back({"rfc_example_256_bytes_16_bit_length", "6455 §5.7",
               hex({0x82, 0x7e, 0x01, 0x00}) + b256, "binary:[256*Z] | need_more consumed=260",
               client()});
  c.push_back({"rfc_example_64k_64_bit_length", "6455 §5.7",
               hex({0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0}) + b64k,
               "binary:[65536*3] | need_more consumed=65546", client()});
  // §5.2, §5.6: data frames.
  c.push_back(
      {"empty_text_message", "6455 §5.6", ws_frame(kText, ""), "text: | need_more consumed=6"});
  c.push_back({"binary_keeps_every_byte", "6455 §5.6",
               ws_frame(kBinary, std::string("\0\xff\x80 ", 4)),
               "binary:\\x00\\xff\\x80\\x20 | need_more consumed=10"});
  c.push_back({"two_messages", "6455 §5.6", ws_frame(kText, "a") + ws_frame(kBinary, "b"),
               "text:a binary:b | need_more consumed=14"});
  c.push_back({"length_125_is_7_bit", "6455 §5.2", ws_frame(kBinary, std::string(125, 'x')),
               "binary:[125*x] | need_more consumed=131"});
  c.push_back({"length_126_is_16_bit", "6455 §5.2", ws_frame(kBinary, std::string(126, 'x')),
               "binary:[126*x] | need_more consumed=134"});
  c.push_back({"length_65536_is_64_bit", "6455 §5.2", ws_frame(kBinary, std::string(65536, 'y')),
               "binary:[65536*y] | need_more consumed=65550"});
  c.push_back({"header_cut_short_needs_more", "6455 §5.2", ws_header(kText, 300).substr(0, 3),
               "need_more mid consumed=3"});
  c.push_back({"payload_cut_short_needs_more", "6455 §5.2", ws_frame(kText, "Hello").substr(0, 8),
               "need_more mid consumed=8"});
  // §5.4: fragmentation.
  c.push_back({"fragments_make_one_message", "6455 §5.4",
               ws_frame(0x01, "Hel") + ws_frame(0x00, "") + ws_frame(0x80, "lo"),
               "text:Hello | need_more consumed=23"});
  c.push_back(
      {"control_frames_between_fragments", "6455 §5.4",
       ws_frame(0x02, "ab") + ws_frame(kPing, "p") + ws_frame(kPong, "") + ws_frame(0x80, "cd"),
       "ping:p pong: binary:abcd | need_more consumed=29"});
  c.push_back({"fragmented_message_in_progress", "6455 §5.4", ws_frame(0x01, "Hel"),
               "need_more mid consumed=9"});
  c.push_back({"continuation_without_message", "6455 §5.4", ws_frame(0x80, "x"),
               "error unexpected_continuation @0"});
  c.push_back({"text_inside_fragmented_message", "6455 §5.4",
               ws_frame(0x01, "a") + ws_frame(kText, "b"), "error expected_continuation @7"});
  c.push_back({"binary_inside_fragmented_message", "6455 §5.4",
               ws_frame(0x02, "a") + ws_frame(0x02, "b"), "error expected_continuation @7"});
  c.push_back({"continuation_after_finished_message", "6455 §5.4",
               ws_frame(kText, "a") + ws_frame(0x80, "b"),
               "text:a | error unexpected_continuation @7"});
  // §5.2: reserved opcodes and bits.
  for (int op : {3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf})
    c.push_back({"reserved_opcode_" + std::to_string(op), "6455 §5.2",
                 ws_frame(static_cast<std::uint8_t>(0x80 | op), ""), "error reserved_opcode @0"});
  c.push_back(
      {"rsv1_without_extension", "6455 §5.2", ws_frame(0xc1, "a"), "error reserved_bits @0"});
  c.push_back({"rsv2", "6455 §5.2", ws_frame(0xa1, "a"), "error reserved_bits @0", deflate()});
  c.push_back({"rsv3", "6455 §5.2", ws_frame(0x91, "a"), "error reserved_bits @0", deflate()});
  c.push_back({"rsv1_marks_compressed_message_with_deflate", "7692 §6",
               ws_frame(0x41, std::string("\xf2\x48", 2)) + ws_frame(0x80, "\x01"),
               "text(z):\\xf2H\\x01 | need_more consumed=15", deflate()});
  c.push_back({"rsv1_on_continuation", "7692 §6", ws_frame(0x01, "a") + ws_frame(0xc0, "b"),
               "error compressed_continuation @7", deflate()});
  c.push_back(
      {"rsv1_on_ping", "7692 §6", ws_frame(0xc9, ""), "error compressed_control @0", deflate()});
  // §5.1: masking by role.
  c.push_back({"server_refuses_unmasked_frame", "6455 §5.1", ws_frame(kText, "a", false),
               "error unmasked_frame @1"});
  c.push_back({"client_refuses_masked_frame", "6455 §5.1", ws_frame(kText, "a"),
               "error masked_frame @1", client()});
  // §5.2: lengths.
  c.push_back({"non_minimal_16_bit_length", "6455 §5.2",
               ws_frame(kBinary, std::string(125, 'x'), true, {}, 2),
               "error non_minimal_length @3"});
  c.push_back({"non_minimal_64_bit_length", "6455 §5.2", ws_header(kBinary, 0xffff, true, 8),
               "error non_minimal_length @9"});
  c.push_back({"non_minimal_64_bit_length_small", "6455 §5.2", ws_header(kBinary, 5, true, 8),
               "error non_minimal_length @9"});
  c.push_back({"length_with_high_bit", "6455 §5.2", ws_header(kBinary, 0x8000000000000000ull),
               "error length_high_bit @2"});
  c.push_back({"huge_length_over_limit", "6455 §7.4.1", ws_header(kBinary, 0x7fffffffffffffffull),
               "error message_too_big @9"});
  // §5.5: control frames.
  c.push_back({"control_payload_125_allowed", "6455 §5.5", ws_frame(kPing, std::string(125, 'p')),
               "ping:[125*p] | need_more consumed=131"});
  c.push_back({"control_payload_126_refused", "6455 §5.5", ws_header(kPing, 126),
               "error control_too_long @1"});
  c.push_back({"control_with_64_bit_length_refused", "6455 §5.5", ws_header(kPong, 70000),
               "error control_too_long @1"});
  c.push_back(
      {"fragmented_ping_refused", "6455 §5.5", ws_frame(0x09, ""), "error fragmented_control @0"});
  c.push_back(
      {"fragmented_close_refused", "6455 §5.5", ws_frame(0x08, ""), "error fragmented_control @0"});
  // §5.5.1, §7.4: close.
  c.push_back({"close_without_payload", "6455 §5.5.1", ws_frame(kClose, ""),
               "close:1005: | need_more consumed=6"});
  c.push_back({"close_with_code_and_reason", "6455 §5.5.1",
               ws_frame(kClose, close_payload(1000, "bye")),
               "close:1000:bye | need_more consumed=11"});
  c.push_back({"close_with_one_byte", "6455 §5.5.1", ws_frame(kClose, "\x03"),
               "error bad_close_length @6"});
  for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535})
    c.push_back({"close_code_" + std::to_string(code) + "_refused", "6455 §7.4",
                 ws_frame(kClose, close_payload(code)), "error bad_close_code @6"});
  for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000,
                   3999, 4000, 4999})
    c.push_back({"close_code_" + std::to_string(code) + "_accepted", "6455 §7.4",
                 ws_frame(kClose, close_payload(code)),
                 "close:" + std::to_string(code) + ": | need_more consumed=8"});
  c.push_back({"close_reason_not_utf8", "6455 §5.5.1, §8.1",
               ws_frame(kClose, close_payload(1000, "\xff")), "error invalid_utf8 @6"});
  c.push_back({"frame_after_close", "6455 §5.5.1", ws_frame(kClose, "") + ws_frame(kText, "a"),
               "close:1005: | error frame_after_close @6"});
  // §8.1: UTF-8 of text messages.
  c.push_back({"text_utf8_across_fragments", "6455 §8.1",
               ws_frame(0x01, "\xce\xba\xe1") + ws_frame(0x80, "\xbd\xb9"),
               "text:\\xce\\xba\\xe1\\xbd\\xb9 | need_more consumed=17"});
  c.push_back({"text_invalid_byte_named", "6455 §8.1", ws_frame(kText, "ab\xc0\xafz"),
               "error invalid_utf8 @8"});
  c.push_back({"text_invalid_in_second_fragment", "6455 §8.1",
               ws_frame(0x01, "ok") + ws_frame(0x80, "x\xed\xa0\x80"), "error invalid_utf8 @16"});
  c.push_back({"text_ends_inside_character", "6455 §8.1", ws_frame(kText, "a\xe2\x82"),
               "error invalid_utf8 @9"});
  c.push_back({"text_fails_before_message_end", "6455 §8.1", ws_frame(0x01, "\xf5"),
               "error invalid_utf8 @6"});
  c.push_back({"binary_is_not_utf8_checked", "6455 §5.6", ws_frame(kBinary, "\xff"),
               "binary:\\xff | need_more consumed=7"});
  c.push_back({"compressed_text_is_not_utf8_checked", "7692 §6", ws_frame(0xc1, "\xff"),
               "text(z):\\xff | need_more consumed=7", deflate()});
  // §7.4.1 (1009): the message size limit counts every fragment.
  c.push_back({"message_at_limit", "6455 §7.4.1", ws_frame(kText, "12345"),
               "text:12345 | need_more consumed=11", max_message(5)});
  c.push_back({"message_over_limit", "6455 §7.4.1", ws_frame(kText, "123456"),
               "error message_too_big @1", max_message(5)});
  c.push_back({"fragments_over_limit", "6455 §7.4.1", ws_frame(0x01, "123") + ws_frame(0x80, "456"),
               "error message_too_big @10", max_message(5)});
  c.push_back({"control_frames_do_not_count", "6455 §7.4.1",
               ws_frame(0x01, "123") + ws_frame(kPing, "pppppp") + ws_frame(0x80, "45"),
               "ping:pppppp text:12345 | need_more consumed=29", max_message(5)});
  return c;
}

class FrameDecoderCases : public ::testing::TestWithParam<FrameCase> {};

void check_every_split(const FrameCase& c, const std::string& expect) {
  const auto whole = ws_decode_in_pieces(c.bytes, {}, c.options);
  EXPECT_EQ(describe(whole), expect) << c.rfc;
  std::vector<std::size_t> bytewise;
  for (std::size_t i = 1; i < c.bytes.size(); ++i) bytewise.push_back(i);
  EXPECT_EQ(ws_decode_in_pieces(c.bytes, bytewise, c.options), whole) << "byte by byte";
  EXPECT_EQ(ws_decode_in_pieces(c.bytes, {}, c.options, false), whole) << "into a separate buffer";
  if (c.bytes.size() > 4096) return;  // a split at every offset of 64 KiB is 64K runs
  for (std::size_t i = 0; i <= c.bytes.size(); ++i) {
    ASSERT_EQ(ws_decode_in_pieces(c.bytes, {i}, c.options), whole) << "split at " << i;
    ASSERT_EQ(ws_decode_in_pieces(c.bytes, {i}, c.options, false), whole) << "split at " << i;
  }
}

TEST_P(FrameDecoderCases, whole_bytewise_and_every_split_agree) {
  const FrameCase& c = GetParam();
  check_every_split(c, c.expect);
}

INSTANTIATE_TEST_SUITE_P(Rfc6455, FrameDecoderCases, ::testing::ValuesIn(cases()),
                         [](const auto& param_info) { return param_info.param.name; });

TEST(FrameDecoder, bytes_after_an_error_change_nothing) {
  int failing = 0;
  for (const FrameCase& c : cases()) {
    const auto whole = ws_decode_in_pieces(c.bytes, {}, c.options);
    if (whole.error == WsError::none) continue;
    ++failing;
    EXPECT_EQ(ws_decode_in_pieces(c.bytes + ws_frame(kText, "more"), {}, c.options), whole)
        << c.name;
  }
  EXPECT_GT(failing, 40);
}

TEST(FrameDecoder, rfc_example_payloads_are_exact) {
  // §5.7: 256 bytes with a 16-bit length and 64 KiB with a 64-bit length, unmasked.
  FrameDecoder d(client());
  std::string bytes = hex({0x82, 0x7e, 0x01, 0x00}) + std::string(256, 'q');
  FrameStep s = d.decode(std::span<char>(bytes.data(), bytes.size()));
  ASSERT_EQ(s.event, FrameEvent::data);
  EXPECT_EQ(std::string_view(s.data.data(), s.data.size()), std::string(256, 'q'));
  EXPECT_TRUE(s.message_end);
  EXPECT_EQ(s.consumed, bytes.size());
}

TEST(FrameDecoder, unmasks_in_place_into_the_input) {
  std::string bytes = hex({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});
  FrameDecoder d;
  const FrameStep s = d.decode(std::span<char>(bytes.data(), bytes.size()));
  ASSERT_EQ(s.event, FrameEvent::data);
  EXPECT_EQ(s.data.data(), bytes.data() + 6);  // zero-copy: a slice of the input
  EXPECT_EQ(bytes.substr(6), "Hello");
}

TEST(FrameDecoder, unmasks_into_the_callers_buffer_leaving_the_input) {
  const std::string bytes = hex({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});
  std::string out(bytes.size(), '\0');
  FrameDecoder d;
  const FrameStep s = d.decode(std::span<const char>(bytes.data(), bytes.size()), out.data());
  ASSERT_EQ(s.event, FrameEvent::data);
  EXPECT_EQ(s.data.data(), out.data() + 6);
  EXPECT_EQ(out.substr(6), "Hello");
  EXPECT_EQ(bytes[6], '\x7f');  // the input is untouched
}

TEST(FrameDecoder, errors_are_sticky_until_reset) {
  std::string bad = ws_frame(0x83, "");
  FrameDecoder d;
  EXPECT_EQ(d.decode(std::span<char>(bad.data(), bad.size())).event, FrameEvent::failed);
  std::string good = ws_frame(kText, "a");
  EXPECT_EQ(d.decode(std::span<char>(good.data(), good.size())).event, FrameEvent::failed);
  EXPECT_EQ(d.error(), WsError::reserved_opcode);
  d.reset();
  EXPECT_EQ(d.error(), WsError::none);
  EXPECT_EQ(d.decode(std::span<char>(good.data(), good.size())).event, FrameEvent::data);
}

TEST(FrameDecoder, every_error_maps_to_its_close_code) {
  EXPECT_EQ(ws_error_close_code(WsError::reserved_opcode), 1002);
  EXPECT_EQ(ws_error_close_code(WsError::invalid_utf8), 1007);
  EXPECT_EQ(ws_error_close_code(WsError::message_too_big), 1009);
  for (std::size_t i = 1; i < kWsErrorCount; ++i) {
    const auto e = static_cast<WsError>(i);
    const std::uint16_t code = ws_error_close_code(e);
    EXPECT_TRUE(code == 1002 || code == 1007 || code == 1009) << ws_error_name(e);
    EXPECT_TRUE(close_code_valid_on_wire(code));
    EXPECT_LE(ws_error_message(e).size(), 123u);
    EXPECT_TRUE(ws_error_reference(e).starts_with("RFC ")) << ws_error_name(e);
  }
}

}  // namespace
}  // namespace httpfsm
