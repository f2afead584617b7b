// Test support for the WebSocket decoder: frames built by hand (masked as a client must, with
// any length encoding, valid or not), and a driver that feeds bytes to FrameDecoder in pieces
// the way a server does (unconsumed bytes kept, the next piece appended, each call on a fresh
// allocation of exactly the bytes, so an over-read faults under ASan) and describes what came
// out as one line, pieces of a message merged, so one expectation serves every split.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "httpfsm/websocket_decoder.hpp"

namespace httpfsm::testing {

// A frame: first byte b0 (FIN, RSV, opcode) as given, the minimal length encoding unless
// `length_bytes` forces 0, 2 or 8 extended length bytes (for non-minimal encodings), masked
// with `key` when `masked`, and `payload`.
std::string ws_frame(std::uint8_t b0, std::string_view payload, bool masked = true,
                     MaskKey key = {0x37, 0xfa, 0x21, 0x3d}, int length_bytes = -1);
// A header alone (masking key included) with an arbitrary 64-bit length.
std::string ws_header(std::uint8_t b0, std::uint64_t length, bool masked = true,
                      int length_bytes = -1, MaskKey key = {0x37, 0xfa, 0x21, 0x3d});

struct WsOutcome {
  std::string events;  // "text:Hello ping:x close:1000:bye" (data pieces merged per message)
  WsError error = WsError::none;
  std::uint64_t error_offset = 0;
  std::uint64_t consumed = 0;  // bytes consumed in all (when failed: up to the error)
  bool mid_message = false;
  bool operator==(const WsOutcome&) const = default;
};
std::string describe(const WsOutcome& o);
void PrintTo(const WsOutcome& o, std::ostream* os);

// Feeds `bytes` cut at `cuts` (ascending offsets). `in_place`: decode(span<char>); else
// decode(input, out) into a separate buffer.
WsOutcome ws_decode_in_pieces(std::string_view bytes, const std::vector<std::size_t>& cuts,
                              const FrameDecoderOptions& options, bool in_place = true);

}  // namespace httpfsm::testing
