// Everything the WebSocket frame decoder can find wrong with its peer's frames, each with the
// close code the endpoint sends before closing (RFC 6455 §7.4.1: 1002 protocol error, 1007
// invalid payload data, 1009 message too big). The enum and its tables are generated from the
// one X-list in httpfsm/websocket_error_list.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "httpfsm/websocket_error_list.h"

namespace httpfsm {

enum class WsError : std::uint8_t {
#define HTTPFSM_X(name, close_code, reference, message) name,
  HTTPFSM_WS_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
};

// How many values WsError has (including `none`).
inline constexpr std::size_t kWsErrorCount = 0
#define HTTPFSM_X(name, close_code, reference, message) +1
    HTTPFSM_WS_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
    ;

// "reserved_opcode": stable, for logs, metrics and tests.
std::string_view ws_error_name(WsError e) noexcept;
// The close code to send: 1002, 1007 or 1009 (0 for `none`).
std::uint16_t ws_error_close_code(WsError e) noexcept;
// "RFC 6455 §5.2"
std::string_view ws_error_reference(WsError e) noexcept;
// "reserved opcode": short ASCII, at most 123 bytes, so it fits a close frame's reason.
std::string_view ws_error_message(WsError e) noexcept;

}  // namespace httpfsm
