// The frame writer (RFC 6455 §5.2), masking (§5.3) and close payloads (§5.5.1, §7.4).
#include "httpfsm/websocket_frame.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "httpfsm/websocket_close.hpp"
#include "httpfsm/websocket_decoder.hpp"

namespace httpfsm {
namespace {

std::string write(FrameFields f, std::string_view payload) {
  std::string out(frame_header_size(payload.size(), f.masked) + payload.size(), '\0');
  const std::size_t n =
      write_frame(std::span<char>(out.data(), out.size()), f, {payload.data(), payload.size()});
  EXPECT_EQ(n, out.size());
  return out;
}

TEST(FrameWriter, server_frame_is_unmasked_rfc_example) {
  // RFC 6455 §5.7: "A single-frame unmasked text message".
  EXPECT_EQ(write({}, "Hello"), std::string("\x81\x05Hello"));
}

TEST(FrameWriter, client_frame_is_masked_rfc_example) {
  // RFC 6455 §5.7: "A single-frame masked text message".
  FrameFields f;
  f.masked = true;
  f.key = {0x37, 0xfa, 0x21, 0x3d};
  EXPECT_EQ(write(f, "Hello"), std::string("\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58", 11));
}

TEST(FrameWriter, uses_the_minimal_length_encoding) {
  // RFC 6455 §5.2: 7 bits up to 125, 16 bits up to 65535, 64 bits above.
  EXPECT_EQ(frame_header_size(125, false), 2u);
  EXPECT_EQ(frame_header_size(126, false), 4u);
  EXPECT_EQ(frame_header_size(65535, false), 4u);
  EXPECT_EQ(frame_header_size(65536, false), 10u);
  EXPECT_EQ(frame_header_size(65536, true), 14u);
  std::array<char, kMaxFrameHeader> h{};
  FrameFields f;
  f.opcode = Opcode::binary;
  f.payload_length = 256;
  ASSERT_EQ(write_frame_header(h, f), 4u);
  EXPECT_EQ(std::string(h.data(), 4), std::string("\x82\x7e\x01\x00", 4));
  f.payload_length = 65536;
  ASSERT_EQ(write_frame_header(h, f), 10u);
  EXPECT_EQ(std::string(h.data(), 10), std::string("\x82\x7f\0\0\0\0\0\x01\0\0", 10));
}

TEST(FrameWriter, sets_fin_rsv1_and_opcode) {
  FrameFields f;
  f.opcode = Opcode::continuation;
  f.fin = false;
  EXPECT_EQ(write(f, "")[0], '\x00');
  f.opcode = Opcode::text;
  f.rsv1 = true;
  f.fin = true;
  EXPECT_EQ(write(f, "")[0], '\xc1');
}

TEST(Masking, vector_path_equals_the_scalar_reference_at_every_length_and_phase) {
  // RFC 6455 §5.3: octet i of the payload is XORed with key octet i MOD 4.
  const MaskKey key{0x01, 0x80, 0xfe, 0x5a};
  std::string src(300, '\0');
  for (std::size_t i = 0; i < src.size(); ++i) src[i] = static_cast<char>(i * 37 + 11);
  for (std::size_t n = 0; n <= 70; ++n) {
    for (std::size_t phase = 0; phase < 8; ++phase) {
      for (std::size_t offset = 0; offset < 3; ++offset) {
        std::string fast(n, '\0'), slow(n, '\0');
        mask_bytes(src.data() + offset, fast.data(), n, key, phase);
        detail::mask_bytes_scalar(src.data() + offset, slow.data(), n, key, phase);
        ASSERT_EQ(fast, slow) << "n=" << n << " phase=" << phase << " offset=" << offset;
      }
    }
  }
  std::string in_place = src;
  mask_bytes(in_place.data(), in_place.data(), in_place.size(), key, 1);
  mask_bytes(in_place.data(), in_place.data(), in_place.size(), key, 1);
  EXPECT_EQ(in_place, src);  // masking twice is the identity
}

TEST(ClosePayload, parses_code_and_reason) {
  const ClosePayload p =
      parse_close_payload(std::string_view("\x03\xe8"
                                           "bye"));
  EXPECT_EQ(p.error, WsError::none);
  EXPECT_EQ(p.code, 1000);
  EXPECT_EQ(p.reason, "bye");
}

TEST(ClosePayload, empty_means_no_status_received) {
  // RFC 6455 §7.1.5: no status code in the Close frame means 1005.
  const ClosePayload p = parse_close_payload({});
  EXPECT_EQ(p.error, WsError::none);
  EXPECT_EQ(p.code, 1005);
}

TEST(ClosePayload, refuses_one_byte_bad_codes_and_bad_utf8) {
  EXPECT_EQ(parse_close_payload(std::string_view("\x03", 1)).error, WsError::bad_close_length);
  EXPECT_EQ(parse_close_payload(std::string_view("\x03\xed", 2)).error,
            WsError::bad_close_code);  // 1005
  EXPECT_EQ(parse_close_payload(std::string_view("\x03\xe8\xc0\xaf", 4)).error,
            WsError::invalid_utf8);
}

TEST(ClosePayload, write_then_parse_round_trips) {
  std::array<char, 125> buf{};
  const std::size_t n = write_close_payload(buf, 1009, "too big");
  EXPECT_EQ(n, 9u);
  const ClosePayload p = parse_close_payload({buf.data(), n});
  EXPECT_EQ(p.code, 1009);
  EXPECT_EQ(p.reason, "too big");
  EXPECT_EQ(write_close_payload(buf, 1005, ""), 0u);
}

TEST(CloseCodes, list_says_which_codes_may_be_sent) {
  // RFC 6455 §7.4.1: 1005, 1006 and 1015 MUST NOT be sent; 1004 is reserved. §7.4.2: 0-999
  // are not used, 3000-4999 are for libraries and applications.
  for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4999})
    EXPECT_TRUE(close_code_valid_on_wire(static_cast<std::uint16_t>(code))) << code;
  for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000})
    EXPECT_FALSE(close_code_valid_on_wire(static_cast<std::uint16_t>(code))) << code;
  EXPECT_EQ(close_code_name(1009), "message_too_big");
  EXPECT_EQ(close_code_name(4000), "");
  EXPECT_EQ(close_code_reference(1015), "RFC 6455 §7.4.1");
  EXPECT_EQ(close_code_reference(3001), "RFC 6455 §7.4.2");
  EXPECT_EQ(static_cast<int>(CloseCode::invalid_payload), 1007);
}

TEST(FrameWriter, decoder_reads_what_the_writer_wrote) {
  FrameFields f;
  f.masked = true;
  f.key = {9, 8, 7, 6};
  f.opcode = Opcode::binary;
  std::string bytes = write(f, std::string(70000, 'w'));
  FrameDecoder d;
  const FrameStep s = d.decode(std::span<char>(bytes.data(), bytes.size()));
  ASSERT_EQ(s.event, FrameEvent::data);
  EXPECT_TRUE(s.message_end);
  EXPECT_EQ(std::string_view(s.data.data(), s.data.size()), std::string(70000, 'w'));
}

}  // namespace
}  // namespace httpfsm
