// FrameDecoder::reset() starts a fresh connection with the options the decoder was built with
// (RFC 6455 §5.1 role, §7.4.1 message limit, RFC 7692 agreement): options() gives them back,
// and the decoder behaves by them after an error and a reset as before.
#include <gtest/gtest.h>

#include <string>

#include "httpfsm/websocket_decoder.hpp"

namespace httpfsm {
namespace {

FrameStep decode_all(FrameDecoder& d, std::string bytes) {
  std::span<char> in(bytes.data(), bytes.size());
  FrameStep s;
  do {
    s = d.decode(in);
    in = in.subspan(s.consumed);
  } while (s.event == FrameEvent::data && !in.empty());
  return s;
}

TEST(FrameDecoderReset, keeps_the_options_it_was_built_with) {
  FrameDecoderOptions o;
  o.role = Role::client;
  o.max_message = 5;
  o.permessage_deflate = true;
  o.validate_utf8 = false;
  FrameDecoder d(o);
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(d.options().role, Role::client);
    EXPECT_EQ(d.options().max_message, 5u);
    EXPECT_TRUE(d.options().permessage_deflate);
    EXPECT_FALSE(d.options().validate_utf8);
    // §5.1: a client refuses a masked frame.
    EXPECT_EQ(decode_all(d, std::string("\x81\x81\x01\x02\x03\x04x", 7)).event, FrameEvent::failed);
    EXPECT_EQ(d.error(), WsError::masked_frame);
    d.reset();
    EXPECT_EQ(d.error(), WsError::none);
    // §7.4.1: six bytes are over the limit of five (1009).
    EXPECT_EQ(decode_all(d,
                         "\x82\x06"
                         "abcdef")
                  .event,
              FrameEvent::failed);
    EXPECT_EQ(d.error(), WsError::message_too_big);
    d.reset();
    // RFC 7692 §6: RSV1 marks a compressed message once deflate is agreed; not UTF-8 checked.
    const FrameStep s = decode_all(d, "\xc1\x02\xff\xfe");
    EXPECT_EQ(s.event, FrameEvent::data);
    EXPECT_TRUE(s.compressed);
    EXPECT_TRUE(s.message_end);
    d.reset();
  }
}

}  // namespace
}  // namespace httpfsm
