#include "websocket_protocol.hpp"

namespace httpfsm::server {

WebSocketConfig websocket_config(const WebSocketOptions& options) {
  WebSocketConfig c;
  c.max_message = options.max_message;
  c.deflate.enabled = options.permessage_deflate;
  c.subprotocols = options.subprotocols;
  return c;
}

std::unique_ptr<UpgradedProtocol> start_websocket(
    const std::shared_ptr<const WebSocketEndpoint>& endpoint, const Request& request,
    Response& response) {
  const WebSocketAnswer a =
      answer_websocket_handshake(request.message, *request.head, endpoint->config);
  if (a.status != 101) {
    // RFC 6455 §4.2.1: a request that is not a valid handshake is answered with an HTTP
    // error, 400 with the usual one-line body saying which requirement failed.
    response.set_error(a.status, false, handshake_message(a.result));
    if (!a.extra_field.empty()) {
      // §4.2.2: 426 names the version this server speaks; RFC 9110 §15.5.22: and the
      // protocol to upgrade to.
      response.add_field("Sec-WebSocket-Version", "13");
      response.add_field("Upgrade", "websocket");
    }
    return nullptr;
  }
  response.upgrade("websocket");
  // The answer goes away with this call: the response keeps copies of the values.
  a.each_field([&](std::string_view name, std::string_view value) {
    response.add_field(name, response.keep(value));
  });
  auto protocol = std::make_unique<WebSocketProtocol>(endpoint, a.deflate, a.subprotocol);
  protocol->session().open(request);
  return protocol;
}

}  // namespace httpfsm::server
