// FrameDecoder: the WebSocket frames of one connection's input (RFC 6455 §5), as messages.
//
// Life cycle
//   FrameDecoder d(options);            // role, limits, negotiated extension; no allocation
//   loop: step = d.decode(unconsumed)    // unmasks in place; or decode(input, out)
//         drop step.consumed bytes from the front of the input, then by step.event:
//           need_more -> read more and call again (every byte given was consumed)
//           data      -> step.data: the next piece of a text or binary message;
//                        step.message_end: the message is complete (the piece may be empty)
//           control   -> a whole ping, pong or close frame; step.data is its payload
//                        (close: parse_close_payload() already passed, step.close has it)
//           failed    -> d.error(); send a Close frame with ws_error_close_code() and close
//   d.reset()                             // a new connection
//
// decode() takes only bytes not consumed yet, as BodyDecoder does, and returns at most one
// event per call, so the caller loops while it makes progress. Payload is never copied:
// step.data is a slice of the output buffer, which is the input itself (decode(span<char>)
// unmasks in place) or the caller's `out`, whose byte i belongs to input byte i. A header cut
// by a read is kept (at most 14 bytes) and so is a control frame's payload (at most 125,
// into the decoder's own array), so the caller may always drop what was consumed. Views:
// a data slice lives as long as the caller's buffer holds those bytes; a control payload
// that arrived in pieces lives in the decoder until the next decode() or reset().
//
// Rules checked (each error is sticky until reset() and names its close code, see
// websocket_error_list.h): reserved opcodes and RSV bits (§5.2; RSV1 is allowed on the first
// frame of a data message when permessage-deflate was negotiated, RFC 7692 §6), the masking
// rule of the role (§5.1), 64-bit lengths with the high bit set and non-minimal length
// encodings (§5.2), control frames over 125 bytes or fragmented (§5.5), continuation without
// a message and a new message inside a fragmented one (§5.4; control frames may come between
// fragments), the close payload (§5.5.1), anything after a close frame, UTF-8 of text messages
// (§8.1, failing at the first invalid byte, across fragments; skipped for a compressed message,
// which the caller validates after inflating it) and the message size limit (1009).
//
// Pure: no I/O, clock, thread, exception or allocation.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "httpfsm/websocket_close.hpp"
#include "httpfsm/websocket_error.hpp"
#include "httpfsm/websocket_frame.hpp"
#include "httpfsm/websocket_utf8.hpp"

namespace httpfsm {

// Whose frames the decoder reads: a server reads a client's frames (which must be masked),
// a client reads a server's (which must not be), RFC 6455 §5.1.
enum class Role : std::uint8_t { server, client };

struct FrameDecoderOptions {
  Role role = Role::server;
  // Largest message (sum of its frames' payloads) accepted; larger -> message_too_big (1009).
  // For a compressed message this bounds the compressed size; the caller bounds the inflated
  // size itself.
  std::uint64_t max_message = 1u << 20;
  // permessage-deflate was negotiated (RFC 7692): RSV1 marks a compressed message.
  bool permessage_deflate = false;
  // Validate text messages as UTF-8 (§8.1). Off only for callers that validate themselves.
  bool validate_utf8 = true;
};

enum class FrameEvent : std::uint8_t { need_more, data, control, failed };

struct FrameStep {
  FrameEvent event = FrameEvent::need_more;
  std::size_t consumed = 0;    // <= input.size(); the caller drops these bytes
  std::span<const char> data;  // unmasked payload: a slice of the output, maybe empty
  // data: the message's opcode (text or binary); control: close, ping or pong.
  Opcode opcode = Opcode::continuation;
  bool message_end = false;  // data: this piece completes the message
  bool compressed = false;   // data: the message had RSV1 set (permessage-deflate)
  ClosePayload close;        // control close: the parsed payload
};

class FrameDecoder {
 public:
  explicit FrameDecoder(const FrameDecoderOptions& options = FrameDecoderOptions{}) noexcept;

  // Unmasks in place.
  FrameStep decode(std::span<char> input) noexcept { return decode(input, input.data()); }
  // Unmasks into out[0, input.size()). `out` may equal input.data().
  FrameStep decode(std::span<const char> input, char* out) noexcept;

  WsError error() const noexcept { return error_; }
  // Once failed: the offset of the offending byte from the first byte ever given.
  std::uint64_t error_offset() const noexcept { return error_offset_; }
  // A close frame was received (any further byte is frame_after_close).
  bool closed() const noexcept { return closed_; }
  // Inside a fragmented message, or inside a frame: the connection may not end cleanly here.
  bool mid_message() const noexcept {
    return in_message_ || stage_ != Stage::header || hdr_len_ != 0;
  }
  const FrameDecoderOptions& options() const noexcept { return options_; }

  void reset() noexcept;

 private:
  enum class Stage : std::uint8_t { header, payload, failed };

  // Reads header bytes from p; returns how many it took, having set stage_ to payload when
  // the header is complete or failed on an error.
  std::size_t read_header(const char* p, std::size_t n) noexcept;
  // Checks the first two bytes; returns the error or none.
  WsError check_first_bytes(std::uint8_t b0, std::uint8_t b1) noexcept;
  // Checks and records the whole header held in hdr_ (or at p when given whole).
  WsError finish_header(const std::uint8_t* h) noexcept;
  FrameStep fail(WsError e, std::uint64_t at, std::size_t consumed) noexcept;
  std::size_t header_size_from(std::uint8_t b1) const noexcept;

  FrameDecoderOptions options_;
  Stage stage_ = Stage::header;
  WsError error_ = WsError::none;
  std::uint64_t error_offset_ = 0;
  std::uint64_t position_ = 0;  // bytes consumed since reset()

  // The header being read: bytes kept while it arrives in pieces.
  std::array<std::uint8_t, kMaxFrameHeader> hdr_{};
  std::uint8_t hdr_len_ = 0;

  // The current frame.
  Opcode frame_opcode_ = Opcode::continuation;
  bool frame_fin_ = false;
  bool frame_masked_ = false;
  MaskKey key_{};
  std::uint64_t frame_remaining_ = 0;
  std::uint64_t frame_done_ = 0;  // payload bytes of the frame delivered (the mask phase)

  // The current data message.
  bool in_message_ = false;
  Opcode message_opcode_ = Opcode::continuation;
  bool message_compressed_ = false;
  std::uint64_t message_size_ = 0;
  Utf8Validator utf8_;

  // A control frame's payload, gathered when it arrives in pieces.
  std::array<char, kMaxControlPayload> control_{};
  std::uint8_t control_len_ = 0;
  bool closed_ = false;
};

}  // namespace httpfsm
