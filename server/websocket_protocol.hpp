// WebSocket as the protocol an upgraded connection carries: the route's handlers and limits
// (WebSocketEndpoint, built once per App::websocket route), the handshake answer written into
// the 101 (start_websocket), and the adapter that lets the transport drive a WebSocketSession
// through the UpgradedProtocol calls (WebSocketProtocol).
//
// Life cycle: Exchange::begin() calls start_websocket() for a request to a WebSocket route.
// On a valid handshake it fills the 101 (Upgrade, Connection, Sec-WebSocket-Accept, maybe
// Sec-WebSocket-Protocol and Sec-WebSocket-Extensions), runs on_open and returns the protocol; the
// connection takes it after writing the 101. Otherwise it fills the refusal (400, or 426 with
// Sec-WebSocket-Version: 13, RFC 6455 §4.2.2) and returns null.
// Errors: the session's own (websocket_session.hpp). Pure apart from the handlers it calls.
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "httpfsm/server/request.hpp"
#include "httpfsm/server/response.hpp"
#include "httpfsm/server/websocket.hpp"
#include "upgraded_protocol.hpp"
#include "websocket_session.hpp"

namespace httpfsm::server {

struct WebSocketEndpoint {
  WebSocketHandlers handlers;
  WebSocketConfig config;
};

WebSocketConfig websocket_config(const WebSocketOptions& options);

class WebSocketProtocol final : public UpgradedProtocol {
 public:
  WebSocketProtocol(std::shared_ptr<const WebSocketEndpoint> endpoint,
                    const DeflateAgreement& deflate, std::string_view subprotocol = {})
      : endpoint_(std::move(endpoint)),
        session_(endpoint_->config, deflate, &endpoint_->handlers, subprotocol) {}

  WebSocketSession& session() noexcept { return session_; }

  void start(std::string_view pipelined) override {
    if (!pipelined.empty()) session_.on_bytes(pipelined);
  }
  std::span<char> input_space() override { return session_.input_space(); }
  void on_received(std::size_t n) override { session_.on_received(n); }
  std::string_view output() const noexcept override { return session_.output(); }
  void consume_output(std::size_t n) noexcept override { session_.consume_output(n); }
  bool wants_input() const noexcept override { return session_.wants_input(); }
  void on_idle_timeout() override { session_.on_idle_timeout(); }
  void on_eof() override { session_.on_eof(); }
  void on_shutdown() override { session_.on_shutdown(); }
  bool done() const noexcept override { return session_.done(); }

 private:
  std::shared_ptr<const WebSocketEndpoint> endpoint_;  // the handlers the session calls
  WebSocketSession session_;
};

// Answers the upgrade request for `endpoint` into `response` (see above).
std::unique_ptr<UpgradedProtocol> start_websocket(
    const std::shared_ptr<const WebSocketEndpoint>& endpoint, const Request& request,
    Response& response);

}  // namespace httpfsm::server
