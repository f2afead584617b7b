// Masking (RFC 6455 §5.3) and the frame writer (§5.2).
#include "httpfsm/websocket_frame.hpp"

#include <cstring>

#include "websocket_simd.hpp"

namespace httpfsm {

std::string_view opcode_name(Opcode op) noexcept {
  switch (op) {
    case Opcode::continuation:
      return "continuation";
    case Opcode::text:
      return "text";
    case Opcode::binary:
      return "binary";
    case Opcode::close:
      return "close";
    case Opcode::ping:
      return "ping";
    case Opcode::pong:
      return "pong";
  }
  return "reserved";
}

void mask_bytes(const char* src, char* dst, std::size_t n, MaskKey key,
                std::size_t phase) noexcept {
  // The key rotated so that pattern[0] applies to src[0].
  const unsigned char pattern[4] = {key[phase % 4], key[(phase + 1) % 4], key[(phase + 2) % 4],
                                    key[(phase + 3) % 4]};
  detail::xor_pattern(reinterpret_cast<const unsigned char*>(src),
                      reinterpret_cast<unsigned char*>(dst), n, pattern);
}

void detail::mask_bytes_scalar(const char* src, char* dst, std::size_t n, MaskKey key,
                               std::size_t phase) noexcept {
  for (std::size_t i = 0; i < n; ++i)
    dst[i] = static_cast<char>(static_cast<unsigned char>(src[i]) ^ key[(phase + i) % 4]);
}

std::size_t frame_header_size(std::uint64_t payload_length, bool masked) noexcept {
  const std::size_t length_bytes = payload_length < 126 ? 0 : payload_length <= 0xffff ? 2 : 8;
  return 2 + length_bytes + (masked ? 4 : 0);
}

std::size_t write_frame_header(std::span<char> out, const FrameFields& f) noexcept {
  // §5.2: FIN, RSV1, opcode in the first byte; MASK and the 7-bit length in the second.
  out[0] = static_cast<char>((f.fin ? 0x80u : 0u) | (f.rsv1 ? 0x40u : 0u) |
                             static_cast<unsigned>(f.opcode));
  const unsigned mask_bit = f.masked ? 0x80u : 0u;
  std::size_t n = 2;
  // §5.2: "the minimal number of bytes MUST be used to encode the length".
  if (f.payload_length < 126) {
    out[1] = static_cast<char>(mask_bit | f.payload_length);
  } else if (f.payload_length <= 0xffff) {
    out[1] = static_cast<char>(mask_bit | 126u);
    out[2] = static_cast<char>(f.payload_length >> 8);
    out[3] = static_cast<char>(f.payload_length & 0xff);
    n = 4;
  } else {
    out[1] = static_cast<char>(mask_bit | 127u);
    for (int i = 0; i < 8; ++i)
      out[static_cast<std::size_t>(2 + i)] =
          static_cast<char>((f.payload_length >> (8 * (7 - i))) & 0xff);
    n = 10;
  }
  if (f.masked) {
    std::memcpy(out.data() + n, f.key.data(), 4);
    n += 4;
  }
  return n;
}

std::size_t write_frame(std::span<char> out, FrameFields f,
                        std::span<const char> payload) noexcept {
  f.payload_length = payload.size();
  const std::size_t h = write_frame_header(out, f);
  if (payload.empty()) return h;
  if (f.masked) {
    mask_bytes(payload.data(), out.data() + h, payload.size(), f.key, 0);
  } else {
    std::memcpy(out.data() + h, payload.data(), payload.size());
  }
  return h + payload.size();
}

}  // namespace httpfsm
