// Tables generated from HTTPFSM_WS_ERROR_LIST and HTTPFSM_WS_CLOSE_LIST, so names, close
// codes, references and messages cannot fall out of step with the enums.
#include <array>

#include "httpfsm/websocket_close.hpp"
#include "httpfsm/websocket_error.hpp"

namespace httpfsm {

namespace {

struct WsErrorInfo {
  std::string_view name;
  std::uint16_t close_code;
  std::string_view reference;
  std::string_view message;
};

constexpr std::array<WsErrorInfo, kWsErrorCount> kWsErrors{{
#define HTTPFSM_X(name, close_code, reference, message) {#name, close_code, reference, message},
    HTTPFSM_WS_ERROR_LIST(HTTPFSM_X)
#undef HTTPFSM_X
}};

const WsErrorInfo& info(WsError e) noexcept {
  const auto i = static_cast<std::size_t>(e);
  return kWsErrors[i < kWsErrors.size() ? i : 0];
}

struct CloseInfo {
  std::uint16_t code;
  std::string_view name;
  std::string_view reference;
  bool on_wire;
};

constexpr CloseInfo kCloseCodes[] = {
#define HTTPFSM_X(name, code, reference, on_wire, message) {code, #name, reference, on_wire != 0},
    HTTPFSM_WS_CLOSE_LIST(HTTPFSM_X)
#undef HTTPFSM_X
};

const CloseInfo* find_close(std::uint16_t code) noexcept {
  for (const CloseInfo& c : kCloseCodes)
    if (c.code == code) return &c;
  return nullptr;
}

}  // namespace

std::string_view ws_error_name(WsError e) noexcept { return info(e).name; }
std::uint16_t ws_error_close_code(WsError e) noexcept { return info(e).close_code; }
std::string_view ws_error_reference(WsError e) noexcept { return info(e).reference; }
std::string_view ws_error_message(WsError e) noexcept { return info(e).message; }

std::string_view close_code_name(std::uint16_t code) noexcept {
  const CloseInfo* c = find_close(code);
  return c == nullptr ? std::string_view{} : c->name;
}

std::string_view close_code_reference(std::uint16_t code) noexcept {
  if (const CloseInfo* c = find_close(code)) return c->reference;
  return code >= 3000 && code <= 4999 ? "RFC 6455 §7.4.2" : "";
}

bool close_code_valid_on_wire(std::uint16_t code) noexcept {
  // RFC 6455 §7.4.2: 3000-3999 are registered by libraries and frameworks, 4000-4999 are for
  // private use; below 3000 only the codes defined for the protocol may be sent.
  if (code >= 3000 && code <= 4999) return true;
  const CloseInfo* c = find_close(code);
  return c != nullptr && c->on_wire;
}

}  // namespace httpfsm
