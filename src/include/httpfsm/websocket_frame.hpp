// WebSocket frames (RFC 6455 §5.2): opcodes, the masking transform (§5.3) and the frame
// writer. The writer serves both roles: a server's frames are unmasked, a client's are masked
// with a key the caller draws (§5.3 wants it unpredictable; the library has no randomness).
// Pure functions: no I/O, no allocation.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace httpfsm {

// RFC 6455 §5.2 opcodes; 3-7 and 11-15 are reserved (an error on receipt).
enum class Opcode : std::uint8_t {
  continuation = 0x0,
  text = 0x1,
  binary = 0x2,
  close = 0x8,
  ping = 0x9,
  pong = 0xa,
};

// "text", "binary", ...; "reserved" for any other value.
std::string_view opcode_name(Opcode op) noexcept;
// Close, ping and pong have the high bit of the opcode set (§5.5).
constexpr bool is_control(Opcode op) noexcept { return (static_cast<unsigned>(op) & 0x8u) != 0; }

// RFC 6455 §5.5: a control frame's payload is at most 125 bytes.
inline constexpr std::size_t kMaxControlPayload = 125;
// 2 fixed bytes, an 8-byte extended length and a 4-byte masking key.
inline constexpr std::size_t kMaxFrameHeader = 14;

using MaskKey = std::array<std::uint8_t, 4>;

// RFC 6455 §5.3: dst[i] = src[i] ^ key[(phase + i) % 4] for i < n; `phase` is how many
// payload bytes of the frame came before src[0]. dst may equal src (unmask in place); other
// overlap is not allowed. SSE2 on x86-64, NEON on AArch64, 8 bytes at a time elsewhere.
void mask_bytes(const char* src, char* dst, std::size_t n, MaskKey key,
                std::size_t phase = 0) noexcept;

namespace detail {
// The byte-at-a-time reference for mask_bytes (tests and the benchmark compare against it).
void mask_bytes_scalar(const char* src, char* dst, std::size_t n, MaskKey key,
                       std::size_t phase) noexcept;
}  // namespace detail

// What the writer puts in a frame header.
struct FrameFields {
  Opcode opcode = Opcode::text;
  bool fin = true;
  bool rsv1 = false;  // permessage-deflate's "Per-Message Compressed" bit (RFC 7692 §6)
  std::uint64_t payload_length = 0;
  bool masked = false;  // true for a client's frames (§5.1)
  MaskKey key{};
};

// Size of the header write_frame_header() writes: 2, 4 or 10 bytes, plus 4 when masked.
std::size_t frame_header_size(std::uint64_t payload_length, bool masked) noexcept;

// Writes the header in its minimal length encoding (§5.2) into `out` (at least
// frame_header_size() bytes; kMaxFrameHeader always suffices) and returns its size.
// Precondition: payload_length < 2^63.
std::size_t write_frame_header(std::span<char> out, const FrameFields& f) noexcept;

// Writes a whole frame, header then payload (masked with f.key when f.masked), into `out`
// (at least frame_header_size(payload.size(), f.masked) + payload.size() bytes) and returns
// its size. f.payload_length is ignored: the payload's size is used.
std::size_t write_frame(std::span<char> out, FrameFields f, std::span<const char> payload) noexcept;

}  // namespace httpfsm
