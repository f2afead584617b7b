// The Close frame's payload (RFC 6455 §5.5.1).
#include <cstring>

#include "httpfsm/websocket_close.hpp"
#include "httpfsm/websocket_utf8.hpp"

namespace httpfsm {

ClosePayload parse_close_payload(std::span<const char> payload) noexcept {
  ClosePayload r;
  if (payload.empty()) return r;  // §7.1.5: no code means 1005 (no_status_received)
  if (payload.size() == 1) {
    // §5.5.1: "If there is a body, the first two bytes of the body MUST be a 2-byte unsigned
    // integer": one byte cannot be.
    r.error = WsError::bad_close_length;
    return r;
  }
  r.code = static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                      static_cast<unsigned char>(payload[1]));
  if (!close_code_valid_on_wire(r.code)) {
    r.error = WsError::bad_close_code;
    return r;
  }
  const std::span<const char> reason = payload.subspan(2);
  // §5.5.1: the reason "is not guaranteed to be human readable" but is UTF-8; §8.1 makes
  // invalid UTF-8 a 1007 failure.
  if (!is_valid_utf8(reason)) {
    r.error = WsError::invalid_utf8;
    return r;
  }
  r.reason = std::string_view(reason.data(), reason.size());
  return r;
}

std::size_t write_close_payload(std::span<char> out, std::uint16_t code,
                                std::string_view reason) noexcept {
  if (code == static_cast<std::uint16_t>(CloseCode::no_status_received)) return 0;
  out[0] = static_cast<char>(code >> 8);
  out[1] = static_cast<char>(code & 0xff);
  if (!reason.empty()) std::memcpy(out.data() + 2, reason.data(), reason.size());
  return 2 + reason.size();
}

}  // namespace httpfsm
