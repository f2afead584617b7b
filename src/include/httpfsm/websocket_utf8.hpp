// Utf8Validator: incremental UTF-8 validation (RFC 3629 §4 UTF8-octets) for WebSocket text
// messages (RFC 6455 §8.1), across fragments and reads.
//
// Life cycle
//   Utf8Validator v;
//   loop: v.feed(piece)     // false at the first invalid byte: error_offset() is its offset
//   v.finish()              // false if the text ends inside a character
//   v.reset()               // next text
//
// The pieces are consecutive slices of one text; feed() keeps the state of a character cut
// between pieces, so nothing is copied or re-read. Failure is sticky until reset(): the first
// invalid byte is the one that cannot continue any valid text (an overlong form such as C0 or
// E0 80, a surrogate ED A0..BF, a code point above U+10FFFF, a stray continuation byte, or a
// lead byte where a continuation byte must follow). Runs of ASCII are skipped 16 bytes at a
// time (SSE2 on x86-64, NEON on AArch64), the rest runs the Ragel machine of
// grammar/websocket_utf8.rl. Pure: no I/O, no allocation.
#pragma once

#include <cstdint>
#include <span>

namespace httpfsm {

class Utf8Validator {
 public:
  Utf8Validator() noexcept;

  // Validates the next piece. Returns false once any byte so far is invalid.
  bool feed(std::span<const char> piece) noexcept;
  // The text ended: returns false (and fails) unless it ends on a character boundary.
  bool finish() noexcept;

  bool failed() const noexcept { return failed_; }
  // True when the bytes so far end on a character boundary.
  bool at_boundary() const noexcept;
  // Once failed: the offset of the first invalid byte from the start of the text (the text's
  // size when it ended inside a character).
  std::uint64_t error_offset() const noexcept { return error_offset_; }
  // Bytes fed so far (up to the failing byte once failed).
  std::uint64_t bytes() const noexcept { return bytes_; }

  void reset() noexcept;

 private:
  // The Ragel machine: runs from p, returns where it stopped (after a multi-byte character,
  // at the end, or at the invalid byte with cs_ in the error state).
  const unsigned char* run_machine(const unsigned char* p, const unsigned char* pe) noexcept;
  bool in_error_state() const noexcept;

  int cs_;
  bool failed_ = false;
  std::uint64_t bytes_ = 0;
  std::uint64_t error_offset_ = 0;
};

// The whole of `text` is valid UTF-8.
bool is_valid_utf8(std::span<const char> text) noexcept;

}  // namespace httpfsm
