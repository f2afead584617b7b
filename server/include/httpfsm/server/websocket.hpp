// httpfsm::server::WebSocket: an application's WebSocket route (RFC 6455), registered with
// App::websocket(pattern, WebSocketHandlers, WebSocketOptions).
//
// Life cycle: a GET to the route with a valid upgrade request (RFC 6455 §4.2.1) is answered
// 101 and the connection becomes a WebSocket: on_open runs once, on_message once per complete
// text or binary message (fragments joined, permessage-deflate inflated, text validated as
// UTF-8), on_close once with the close code when the WebSocket ends for any reason (the
// peer's Close, a protocol error, the idle ping unanswered, the server stopping, close()).
// Pings are answered by the server; handlers never see control frames.
// Sending: the WebSocket& a handler receives sends whole messages (one frame each, deflated
// when the client agreed) and close() starts the close handshake; it is valid only during
// that call. After close() or the end of the WebSocket, sends are ignored.
// Errors: a handshake the request fails is answered 400 with the usual one-line body, or 426
// with Sec-WebSocket-Version: 13 for another version (§4.2.2); a message over
// WebSocketOptions::max_message closes with 1009, bad UTF-8 with 1007, a framing error with
// 1002 (§7.4.1). A handler that throws closes the WebSocket with 1011.
// Subprotocols (RFC 6455 §1.9, §4.2.2): a route that names WebSocketOptions::subprotocols
// agrees to the first one the client offers, in the client's order of preference, and says so
// in the 101 (Sec-WebSocket-Protocol); WebSocket::subprotocol() tells the handlers. With none
// in common the 101 carries no Sec-WebSocket-Protocol (§4.2.2 says it MUST NOT) and
// subprotocol() is empty: a route that needs one closes in on_open (e.g. 1002 or a 4xxx code).
// Threading: handlers run on the worker thread of the connection, like HTTP handlers.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "httpfsm/server/request.hpp"

namespace httpfsm::server {

class WebSocket {
 public:
  virtual void send_text(std::string_view text) = 0;  // must be UTF-8 (RFC 6455 §5.6)
  virtual void send_binary(std::string_view data) = 0;
  // Sends Close with `code` (RFC 6455 §7.4.1) and a reason of at most 123 bytes, then ends.
  virtual void close(std::uint16_t code = 1000, std::string_view reason = {}) = 0;
  // The subprotocol agreed in the handshake, or empty for none (see above).
  virtual std::string_view subprotocol() const noexcept = 0;

 protected:
  ~WebSocket() = default;
};

struct WebSocketHandlers {
  // The upgrade succeeded; `request` is the upgrade request (its views last for this call).
  std::function<void(WebSocket&, const Request&)> on_open;
  // A whole message: `binary` false for text (valid UTF-8).
  std::function<void(WebSocket&, std::string_view data, bool binary)> on_message;
  // The WebSocket ended; `code` as in WebSocketSession::close_code() (1006: no Close frame).
  std::function<void(std::uint16_t code)> on_close;
};

struct WebSocketOptions {
  std::uint64_t max_message = 1u << 20;  // larger messages close with 1009 (RFC 6455 §7.4.1)
  bool permessage_deflate = true;        // accept RFC 7692 compression when offered
  // The subprotocols this route speaks (RFC 6455 §1.9: "chat", "graphql-transport-ws",
  // "v12.stomp", ...); empty: none is ever agreed.
  std::vector<std::string> subprotocols;
};

}  // namespace httpfsm::server
