// The BodyDecoder actions that run for every chunk header, inline so that the generated
// chunked machine (grammar/request_machines.rl, which includes this header) can inline them.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>

#include "char_class.hpp"
#include "httpfsm/body_decoder.hpp"

namespace httpfsm {

inline void BodyDecoder::begin_chunk_header() noexcept {
  section_ = Section::size;
  chunk_size_ = 0;
  ext_bytes_ = 0;
}

// Reads the hex digits of a chunk-size from `p` (a HEXDIG the machine has read) up to `pe`,
// and returns the last one, where the machine continues: the digits are one loop state, so
// reading them here changes speed, never the outcome. nullptr after fail().
inline const char* BodyDecoder::add_size_digits(const char* data, const char* p,
                                                const char* pe) noexcept {
  const std::uint64_t room = limits_.max_body - std::min(limits_.max_body, content_bytes_);
  std::uint64_t size = chunk_size_;
  for (;;) {
    // RFC 9112 §7.1: "Recipients MUST anticipate potentially large hexadecimal numerals and
    // prevent parsing errors due to integer conversion overflows".
    if (size > (std::numeric_limits<std::uint64_t>::max() >> 4)) {
      fail(Error::bad_chunk_size, body_offset(data, p));
      return nullptr;
    }
    size = (size << 4) | detail::hex_value(static_cast<unsigned char>(*p));
    if (size > room) {
      fail(Error::body_too_large, body_offset(data, p));
      return nullptr;
    }
    if (p + 1 == pe || !detail::is_hexdig(static_cast<unsigned char>(p[1]))) break;
    ++p;
  }
  chunk_size_ = size;
  return p;
}

inline bool BodyDecoder::count_ext_byte(const char* data, const char* p) noexcept {
  // Extensions are rare, so counting them byte by byte costs nothing that matters.
  section_ = Section::ext;
  if (++ext_bytes_ > limits_.max_chunk_ext) {
    fail(Error::chunk_ext_too_long, body_offset(data, p));
    return false;
  }
  return true;
}

inline bool BodyDecoder::end_chunk_header(const char* data, const char* p) noexcept {
  if (chunk_size_ == 0) {
    // last-chunk: the trailer section starts after this LF.
    section_ = Section::trailers;
    base_ = static_cast<std::uint32_t>(p + 1 - data);
    line_start_ = 0;
    name_done_ = false;
    set_trailer_limit();
    return true;
  }
  remaining_ = chunk_size_;
  in_data_ = true;
  section_ = Section::data_end;
  return false;
}

}  // namespace httpfsm
