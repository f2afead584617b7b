// Host file of the UTF-8 validator (Utf8Validator, src/include/httpfsm/websocket_utf8.hpp):
// RFC 3629's UTF8-octets (grammar/rfc3629_utf8.rl) as a resumable machine, for WebSocket text
// messages (RFC 6455 §8.1).
//
// The machine stops (fbreak) after each multi-byte character, so that Utf8Validator::feed()
// can skip the ASCII run that usually follows with the vector scan; ASCII bytes met inside
// the machine are read by it as UTF8-1, so the skip changes speed, never the outcome.
//
// Generated into the build tree; never edit or commit the output.

#include <cstddef>

#include "httpfsm/websocket_utf8.hpp"

namespace httpfsm {

%%{
  machine websocket_utf8;
  alphtype unsigned char;
  include rfc3629_utf8 "rfc3629_utf8.rl";

  action multi_byte_end { fbreak; }

  # UTF8-octets, with a stop after every character of two bytes or more.
  main := ( UTF8_1 | ( UTF8_2 | UTF8_3 | UTF8_4 ) @multi_byte_end )*;

  write data noerror nofinal noentry;
}%%

namespace {
constexpr int kUtf8Start = websocket_utf8_start;
}  // namespace

Utf8Validator::Utf8Validator() noexcept : cs_(kUtf8Start) {}

void Utf8Validator::reset() noexcept {
  cs_ = kUtf8Start;
  failed_ = false;
  bytes_ = 0;
  error_offset_ = 0;
}

bool Utf8Validator::at_boundary() const noexcept { return cs_ == kUtf8Start; }

bool Utf8Validator::in_error_state() const noexcept { return cs_ == 0; }

const unsigned char* Utf8Validator::run_machine(const unsigned char* p,
                                                const unsigned char* pe) noexcept {
  int cs = cs_;
  %% write exec;
  cs_ = cs;
  return p;
}

}  // namespace httpfsm
