// Size limits. Every limit has its own error, so a server can answer 414 apart from 431 and
// a log says which bound a client hit. Defaults follow common practice (nginx, h2o) and
// RFC 9112 §3 ("a minimum request-line length of 8000 octets" is recommended).
#pragma once

#include <cstdint>

namespace httpfsm {

struct Limits {
  // Bytes of the method token. -> Error::method_too_long (501)
  std::uint32_t max_method = 32;
  // Bytes of the request-target. -> Error::target_too_long (414)
  std::uint32_t max_target = 8 * 1024;
  // Bytes of one field line, CRLF included. -> Error::field_too_long (431)
  std::uint32_t max_field_line = 8 * 1024;
  // Field lines in the head (and, separately, in a trailer section). -> too_many_fields (431)
  std::uint32_t max_fields = 100;
  // Bytes of the head, from the first byte to the empty line's LF. -> head_too_large (431)
  std::uint32_t max_head = 64 * 1024;
  // Bytes of decoded content. Content-Length is checked against it before any body byte is
  // read; chunked bodies as they arrive. -> body_too_large (413)
  std::uint64_t max_body = 8ull << 20;
  // Bytes of the chunk extensions of one chunk. -> chunk_ext_too_long (400)
  std::uint32_t max_chunk_ext = 256;
  // Bytes of the trailer section, final CRLF included. -> trailer_too_large (431)
  std::uint32_t max_trailer = 8 * 1024;
};

// The smallest values the parser accepts; smaller settings are raised to these when a parser
// is constructed. The shortest head, "G / HTTP/1.0\r\n\r\n", is 17 bytes; a field line
// needs at least "X:\r\n".
inline constexpr Limits kMinimumLimits{1, 1, 4, 1, 17, 0, 0, 2};

}  // namespace httpfsm
