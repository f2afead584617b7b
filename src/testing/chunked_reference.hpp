// A reference recognizer of the chunked transfer coding (RFC 9112 §7.1), written as plain
// recursive descent from the ABNF, for differential tests of BodyDecoder on any bytes. It
// knows no limits and names no errors: it says whether the input is a complete body, a
// viable prefix of one, or where it stops being one. Test-only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace httpfsm::testing {

struct ChunkedVerdict {
  enum class Kind { complete, need_more, invalid } kind = Kind::need_more;
  // complete: the body's size (what follows is not part of it). invalid: the first byte
  // that cannot continue a chunked-body.
  std::size_t offset = 0;
  std::string content;       // chunk-data up to the end or the failure
  bool after_cr = false;     // invalid: a CR before `offset` awaited its LF
  bool in_data_end = false;  // invalid: in the CRLF after chunk-data
};

ChunkedVerdict recognize_chunked(std::string_view bytes);

}  // namespace httpfsm::testing
