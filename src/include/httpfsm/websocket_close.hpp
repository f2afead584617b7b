// WebSocket close codes (RFC 6455 §7.4) and the Close frame's payload (§5.5.1): the named codes
// from the one X-list in httpfsm/websocket_close_list.h, which codes may travel in a Close
// frame, and a parser and writer for the payload (a 2-byte code in network order, then a UTF-8
// reason). Pure functions: no I/O, no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "httpfsm/websocket_close_list.h"
#include "httpfsm/websocket_error.hpp"

namespace httpfsm {

enum class CloseCode : std::uint16_t {
#define HTTPFSM_X(name, code, reference, on_wire, message) name = code,
  HTTPFSM_WS_CLOSE_LIST(HTTPFSM_X)
#undef HTTPFSM_X
};

// "normal_closure" for a named code, "" for any other number.
std::string_view close_code_name(std::uint16_t code) noexcept;
// "RFC 6455 §7.4.1" for a named code, "RFC 6455 §7.4.2" for 3000-4999, "" otherwise.
std::string_view close_code_reference(std::uint16_t code) noexcept;
// RFC 6455 §7.4.1, §7.4.2: whether `code` may appear in a Close frame: a named code marked
// on_wire in the list, or 3000-4999 (libraries, frameworks and applications). 0-999, 1004,
// 1005, 1006, 1015, unnamed 1016-2999 and 5000 and above may not.
bool close_code_valid_on_wire(std::uint16_t code) noexcept;

// The payload of a received Close frame.
struct ClosePayload {
  WsError error = WsError::none;  // bad_close_length, bad_close_code or invalid_utf8
  // The peer's code, or 1005 (no_status_received) when the payload is empty (§7.1.5).
  std::uint16_t code = static_cast<std::uint16_t>(CloseCode::no_status_received);
  std::string_view reason;  // a slice of the payload, valid UTF-8 when error is none
};

// RFC 6455 §5.5.1: empty, or a code valid on the wire followed by a UTF-8 reason (§8.1:
// an invalid reason is 1007). A one-byte payload is a protocol error.
ClosePayload parse_close_payload(std::span<const char> payload) noexcept;

// Writes code and reason into `out` (at least 2 + reason.size() bytes) and returns the size.
// The caller keeps the reason to 123 bytes (control payloads are at most 125, §5.5) and
// passes a code valid on the wire; 1005 writes an empty payload (§7.1.5).
std::size_t write_close_payload(std::span<char> out, std::uint16_t code,
                                std::string_view reason) noexcept;

}  // namespace httpfsm
