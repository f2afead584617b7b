// FrameDecoder (RFC 6455 §5).
//
// Theory of operation. The decoder alternates between two stages:
//   header   header bytes are copied into hdr_ (at most 14) as they arrive; the first byte is
//            judged as soon as it is seen (opcode, RSV bits, FIN of control frames, the
//            fragmentation rules of §5.4), the second likewise (MASK, the 7-bit length of a
//            control frame), the rest once the header is whole (extended length, masking key,
//            the message size limit);
//   payload  frame_remaining_ bytes follow. Data payload is unmasked into the output and
//            handed out as it comes; control payload is handed out whole, from the input when
//            it is all there, else gathered in control_.
// An error moves to `failed` for good (until reset()).
//
// The header is plain C++ rather than a Ragel machine: it is a fixed layout of bit fields
// whose length is chosen by a 7-bit value, not a language over bytes. A machine would need a
// state per byte position and counting actions for the lengths, which says less than the
// switch on hdr_len_ below; the checks are written in the order and words of §5.2.
#include "httpfsm/websocket_decoder.hpp"

#include <algorithm>
#include <cstring>

namespace httpfsm {

namespace {

bool reserved_opcode(unsigned op) noexcept {
  // §5.2: %x3-7 are reserved for further non-control frames, %xB-F for control frames.
  return (op >= 0x3 && op <= 0x7) || op >= 0xb;
}

}  // namespace

FrameDecoder::FrameDecoder(const FrameDecoderOptions& options) noexcept : options_(options) {}

void FrameDecoder::reset() noexcept {
  const FrameDecoderOptions o = options_;
  *this = FrameDecoder(o);
}

FrameStep FrameDecoder::fail(WsError e, std::uint64_t at, std::size_t consumed) noexcept {
  stage_ = Stage::failed;
  error_ = e;
  error_offset_ = at;
  position_ += consumed;
  FrameStep s;
  s.event = FrameEvent::failed;
  s.consumed = consumed;
  return s;
}

std::size_t FrameDecoder::header_size_from(std::uint8_t b1) const noexcept {
  const unsigned len7 = b1 & 0x7fu;
  const std::size_t ext = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
  return 2 + ext + ((b1 & 0x80u) != 0 ? 4 : 0);
}

WsError FrameDecoder::check_first_bytes(std::uint8_t b0, std::uint8_t b1) noexcept {
  (void)b1;
  const bool fin = (b0 & 0x80u) != 0;
  const unsigned op = b0 & 0x0fu;
  if (closed_) return WsError::frame_after_close;  // §5.5.1: the close frame is the last
  if (reserved_opcode(op)) return WsError::reserved_opcode;
  const bool control = (op & 0x8u) != 0;
  // §5.2: "RSV1, RSV2, RSV3: MUST be 0 unless an extension is negotiated that defines
  // meanings for non-zero values". permessage-deflate defines RSV1 only (RFC 7692 §6), and
  // only on the first frame of a data message (§6.1).
  if ((b0 & 0x30u) != 0) return WsError::reserved_bits;
  if ((b0 & 0x40u) != 0) {
    if (!options_.permessage_deflate) return WsError::reserved_bits;
    if (control) return WsError::compressed_control;
    if (op == 0) return WsError::compressed_continuation;
  }
  // §5.5: "All control frames ... MUST NOT be fragmented."
  if (control && !fin) return WsError::fragmented_control;
  // §5.4: continuation frames continue a message; a text or binary frame starts one, which
  // it cannot while another is unfinished. Control frames may come in between.
  if (op == 0 && !in_message_) return WsError::unexpected_continuation;
  if ((op == 1 || op == 2) && in_message_) return WsError::expected_continuation;
  return WsError::none;
}

WsError FrameDecoder::finish_header(const std::uint8_t* h) noexcept {
  const bool fin = (h[0] & 0x80u) != 0;
  const auto op = static_cast<Opcode>(h[0] & 0x0fu);
  const bool masked = (h[1] & 0x80u) != 0;
  const unsigned len7 = h[1] & 0x7fu;
  std::uint64_t length = len7;
  std::size_t at = 2;
  if (len7 == 126) {
    length = (static_cast<std::uint64_t>(h[2]) << 8) | h[3];
    at = 4;
    // §5.2: "the minimal number of bytes MUST be used to encode the length".
    if (length < 126) return WsError::non_minimal_length;
  } else if (len7 == 127) {
    length = 0;
    for (std::size_t i = 0; i < 8; ++i) length = (length << 8) | h[2 + i];
    at = 10;
    // §5.2: "the most significant bit MUST be 0".
    if ((length >> 63) != 0) return WsError::length_high_bit;
    if (length <= 0xffff) return WsError::non_minimal_length;
  }
  if (masked) std::memcpy(key_.data(), h + at, 4);

  frame_opcode_ = op;
  frame_fin_ = fin;
  frame_masked_ = masked;
  frame_remaining_ = length;
  frame_done_ = 0;
  if (is_control(op)) {
    control_len_ = 0;
    return WsError::none;
  }
  if (op != Opcode::continuation) {
    in_message_ = true;
    message_opcode_ = op;
    message_compressed_ = (h[0] & 0x40u) != 0;
    message_size_ = 0;
    utf8_.reset();
  }
  if (length > options_.max_message - std::min(message_size_, options_.max_message))
    return WsError::message_too_big;
  message_size_ += length;
  return WsError::none;
}

FrameStep FrameDecoder::decode(std::span<const char> input, char* out) noexcept {
  if (stage_ == Stage::failed) {
    FrameStep s;
    s.event = FrameEvent::failed;
    return s;
  }
  const char* const in = input.data();
  const std::size_t n = input.size();
  const std::uint64_t call_start = position_;
  std::size_t used = 0;
  // Header byte k of the current header sits at header_start + k in the stream.
  const auto header_fail = [&](WsError e, std::uint64_t header_start, std::size_t k) {
    const std::uint64_t at = header_start + k;
    const std::size_t consumed = at > call_start ? static_cast<std::size_t>(at - call_start) : 0;
    return fail(e, at, consumed);
  };

  for (;;) {
    if (stage_ == Stage::header) {
      if (used == n) break;
      const std::uint64_t header_start = call_start + used - hdr_len_;
      // Byte 0, then byte 1, each judged as it arrives so an error names the first bad byte.
      if (hdr_len_ == 0) {
        hdr_[hdr_len_++] = static_cast<std::uint8_t>(in[used++]);
        if (closed_) return header_fail(WsError::frame_after_close, header_start, 0);
        if (used == n) {
          // Only the first byte so far: judge what it alone decides.
          const WsError e = check_first_bytes(hdr_[0], 0);
          if (e != WsError::none) return header_fail(e, header_start, 0);
          break;
        }
      }
      if (hdr_len_ == 1) {
        const WsError e = check_first_bytes(hdr_[0], 0);
        if (e != WsError::none) return header_fail(e, header_start, 0);
        hdr_[hdr_len_++] = static_cast<std::uint8_t>(in[used++]);
        const bool masked = (hdr_[1] & 0x80u) != 0;
        // §5.1: a client MUST mask every frame it sends, a server MUST NOT.
        if (options_.role == Role::server && !masked)
          return header_fail(WsError::unmasked_frame, header_start, 1);
        if (options_.role == Role::client && masked)
          return header_fail(WsError::masked_frame, header_start, 1);
        // §5.5: "All control frames MUST have a payload length of 125 bytes or less".
        if ((hdr_[0] & 0x08u) != 0 && (hdr_[1] & 0x7fu) > kMaxControlPayload)
          return header_fail(WsError::control_too_long, header_start, 1);
      }
      const std::size_t need = header_size_from(hdr_[1]);
      const std::size_t take = std::min(need - hdr_len_, n - used);
      std::memcpy(hdr_.data() + hdr_len_, in + used, take);
      hdr_len_ = static_cast<std::uint8_t>(hdr_len_ + take);
      used += take;
      if (hdr_len_ < need) break;
      const WsError e = finish_header(hdr_.data());
      if (e != WsError::none) {
        // The last byte of the length names every error finish_header() finds, except the
        // high bit of a 64-bit length, which is in its first byte.
        const unsigned len7 = hdr_[1] & 0x7fu;
        const std::size_t k = e == WsError::length_high_bit ? 2
                              : len7 == 126                 ? 3
                              : len7 == 127                 ? 9
                                                            : 1;
        return header_fail(e, header_start, k);
      }
      hdr_len_ = 0;
      stage_ = Stage::payload;
    }

    // Payload. Invariant: stage_ == payload.
    const std::size_t take =
        static_cast<std::size_t>(std::min<std::uint64_t>(frame_remaining_, n - used));
    if (is_control(frame_opcode_)) {
      std::span<const char> payload;
      if (control_len_ == 0 && take == frame_remaining_) {
        // Whole in this input: unmask into the output, no copy.
        if (frame_masked_) {
          mask_bytes(in + used, out + used, take, key_, 0);
        } else if (out != in && take != 0) {
          std::memcpy(out + used, in + used, take);
        }
        payload = {out + used, take};
      } else {
        if (frame_masked_) {
          mask_bytes(in + used, control_.data() + control_len_, take, key_, control_len_);
        } else if (take != 0) {
          std::memcpy(control_.data() + control_len_, in + used, take);
        }
        control_len_ = static_cast<std::uint8_t>(control_len_ + take);
        payload = {control_.data(), control_len_};
      }
      const std::uint64_t payload_start = call_start + used + take - payload.size();
      used += take;
      frame_remaining_ -= take;
      if (frame_remaining_ > 0) break;
      stage_ = Stage::header;
      FrameStep s;
      s.event = FrameEvent::control;
      s.opcode = frame_opcode_;
      s.data = payload;
      if (frame_opcode_ == Opcode::close) {
        s.close = parse_close_payload(payload);
        if (s.close.error != WsError::none) return fail(s.close.error, payload_start, used);
        closed_ = true;
      }
      s.consumed = used;
      position_ += used;
      return s;
    }

    // Data payload: unmasked into the output, validated as UTF-8 for an uncompressed text.
    if (frame_masked_) {
      mask_bytes(in + used, out + used, take, key_, static_cast<std::size_t>(frame_done_ % 4));
    } else if (out != in && take != 0) {
      std::memcpy(out + used, in + used, take);
    }
    const std::span<const char> piece{out + used, take};
    const bool check_utf8 =
        options_.validate_utf8 && message_opcode_ == Opcode::text && !message_compressed_;
    if (check_utf8) {
      const std::uint64_t before = utf8_.bytes();
      if (!utf8_.feed(piece)) {
        const auto bad = static_cast<std::size_t>(utf8_.error_offset() - before);
        return fail(WsError::invalid_utf8, call_start + used + bad, used + bad);
      }
    }
    used += take;
    frame_remaining_ -= take;
    frame_done_ += take;
    const bool frame_end = frame_remaining_ == 0;
    const bool message_end = frame_end && frame_fin_;
    if (frame_end) stage_ = Stage::header;
    if (message_end) {
      in_message_ = false;
      // §8.1: the whole text must be UTF-8, so it may not end inside a character.
      if (check_utf8 && !utf8_.finish())
        return fail(WsError::invalid_utf8, call_start + used, used);
    }
    if (take == 0 && !message_end) {
      // An empty non-final frame, or no payload byte in this input yet: nothing to report.
      if (used == n) break;
      continue;
    }
    FrameStep s;
    s.event = FrameEvent::data;
    s.consumed = used;
    s.data = piece;
    s.opcode = message_opcode_;
    s.message_end = message_end;
    s.compressed = message_compressed_;
    position_ += used;
    return s;
  }
  position_ += used;
  FrameStep s;
  s.consumed = used;
  return s;
}

}  // namespace httpfsm
