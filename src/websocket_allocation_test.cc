// Proves "no allocation per frame" for the WebSocket library: global operator new is replaced
// by a counting one for this binary, and a window counts the allocations made while decoding
// and validating many frames (all kinds, fragmented, cut into pieces, errors included) and
// while writing frames and negotiating permessage-deflate.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "httpfsm/websocket_close.hpp"
#include "httpfsm/websocket_decoder.hpp"
#include "httpfsm/websocket_deflate.hpp"
#include "httpfsm/websocket_frame.hpp"
#include "httpfsm/websocket_utf8.hpp"
#include "testing/allocation_counter.hpp"

namespace httpfsm {
namespace {

std::string frame(Opcode op, bool fin, std::string_view payload) {
  FrameFields f;
  f.opcode = op;
  f.fin = fin;
  f.masked = true;
  f.key = {1, 2, 3, 4};
  std::string out(frame_header_size(payload.size(), true) + payload.size(), '\0');
  out.resize(
      write_frame(std::span<char>(out.data(), out.size()), f, {payload.data(), payload.size()}));
  return out;
}

TEST(WebSocketAllocation, decoding_frames_allocates_nothing) {
  // Built before the window: a stream of every kind of frame, and its pieces.
  std::string stream;
  for (int i = 0; i < 50; ++i) {
    stream += frame(Opcode::text, false, "fragmented \xce\xba") +
              frame(Opcode::ping, true, "ping") +
              frame(Opcode::continuation, true, std::string(300, 'x')) +
              frame(Opcode::binary, true, std::string(70000, 'b')) + frame(Opcode::pong, true, "");
  }
  stream += frame(Opcode::close, true,
                  std::string("\x03\xe8"
                              "bye",
                              5)) +
            frame(Opcode::text, true, "after");
  std::string copy = stream;
  FrameDecoder d;
  std::size_t messages = 0;
  std::size_t controls = 0;

  const testing::AllocationWindow window;
  for (std::size_t piece : {std::size_t{1}, std::size_t{7}, std::size_t{4096}, stream.size()}) {
    copy = stream;  // same size: the assignment reuses the capacity
    d.reset();
    std::size_t at = 0;
    while (at < copy.size()) {
      const std::size_t end = std::min(copy.size(), at + piece);
      std::span<char> input(copy.data() + at, end - at);
      for (;;) {
        const FrameStep s = d.decode(input);
        input = input.subspan(s.consumed);
        at += s.consumed;
        if (s.event == FrameEvent::data && s.message_end) ++messages;
        if (s.event == FrameEvent::control) ++controls;
        if (s.event == FrameEvent::need_more || s.event == FrameEvent::failed) break;
      }
      if (d.error() != WsError::none) break;
    }
  }
  Utf8Validator v;
  v.feed({stream.data(), stream.size()});
  const DeflateAgreement a = negotiate_deflate(
      "permessage-deflate; client_max_window_bits, permessage-deflate", DeflateConfig{});
  std::array<char, kMaxFrameHeader> header{};
  write_frame_header(header, FrameFields{});
  const std::uint64_t allocations = window.count();

  EXPECT_EQ(allocations, 0u);
  EXPECT_EQ(d.error(), WsError::frame_after_close);
  EXPECT_EQ(messages, 4u * 100);
  EXPECT_EQ(controls, 4u * 101);
  EXPECT_TRUE(a.accepted);
}

}  // namespace
}  // namespace httpfsm
