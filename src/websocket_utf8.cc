// Utf8Validator::feed(): the ASCII skip around the Ragel machine of grammar/websocket_utf8.rl.
#include <cstddef>

#include "httpfsm/websocket_utf8.hpp"
#include "websocket_simd.hpp"

namespace httpfsm {

bool Utf8Validator::feed(std::span<const char> piece) noexcept {
  if (failed_) return false;
  const auto* const begin = reinterpret_cast<const unsigned char*>(piece.data());
  const auto* const end = begin + piece.size();
  const unsigned char* p = begin;
  while (p < end) {
    // Between characters most text is ASCII: skip it by the vector scan. The machine reads
    // from the first byte with the high bit set and stops after that character.
    if (at_boundary()) {
      p = detail::skip_ascii(p, end);
      if (p == end) break;
    }
    p = run_machine(p, end);
    if (in_error_state()) {
      failed_ = true;
      error_offset_ = bytes_ + static_cast<std::uint64_t>(p - begin);
      bytes_ = error_offset_;
      return false;
    }
  }
  bytes_ += piece.size();
  return true;
}

bool Utf8Validator::finish() noexcept {
  if (failed_) return false;
  if (!at_boundary()) {
    // RFC 6455 §8.1: a text that ends inside a character is not valid UTF-8.
    failed_ = true;
    error_offset_ = bytes_;
    return false;
  }
  return true;
}

bool is_valid_utf8(std::span<const char> text) noexcept {
  Utf8Validator v;
  return v.feed(text) && v.finish();
}

}  // namespace httpfsm
