// The protocol a connection carries after "101 Switching Protocols" (RFC 9110 §15.2.2), as
// the transport (Connection) drives it. Free of socket I/O like the Connection: bytes in,
// bytes out, a timer and the end. WebSocket implements it (websocket_protocol.hpp); a later
// protocol implements the same calls and the transport stays as it is.
//
// Life cycle: the exchange creates it with the 101; the connection writes the 101, calls
// start() with the bytes the client sent after the request head, then feeds reads through
// input_space()/on_received(), takes output() (consume_output() once it was queued), calls
// on_idle_timeout() whenever the idle timer expires with no input since it was armed,
// on_eof() when the peer closed, on_shutdown() when the server stops. Once done() and its
// output is sent, the connection closes.
// Backpressure: the connection reads only while wants_input().
// Errors: the protocol handles its own (it says so on the wire, then is done()); calls after
// done() do nothing.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace httpfsm::server {

class UpgradedProtocol {
 public:
  virtual ~UpgradedProtocol() = default;
  virtual void start(std::string_view pipelined) = 0;
  virtual std::span<char> input_space() = 0;
  virtual void on_received(std::size_t n) = 0;
  virtual std::string_view output() const noexcept = 0;
  virtual void consume_output(std::size_t n) noexcept = 0;
  virtual bool wants_input() const noexcept = 0;
  virtual void on_idle_timeout() = 0;
  virtual void on_eof() = 0;
  virtual void on_shutdown() = 0;
  virtual bool done() const noexcept = 0;
};

}  // namespace httpfsm::server
