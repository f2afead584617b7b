// The server side of one WebSocket connection after the upgrade, free of socket I/O: bytes in,
// frames out. It answers /ws/echo: every text or binary message comes back as one message of
// the same type, pings get pongs, the close handshake echoes the peer's code, and every
// protocol error closes with its code (RFC 6455 §7.1.7, §7.4.1). With permessage-deflate
// negotiated (RFC 7692) messages are inflated and echoes deflated with zlib, keeping or
// dropping the LZ77 context between messages as agreed.
//
// Life cycle (in the server: start_websocket() and WebSocketProtocol, websocket_protocol.hpp,
// with the Connection driving the protocol)
//   1. On a complete request head for a WebSocket route:
//        WebSocketAnswer a = answer_websocket_handshake(message, head, config);
//        a.status == 101: send a 101 (a.response is the whole head; a.accept its
//          Sec-WebSocket-Accept), then switch the connection to a WebSocketSession(config,
//          a.deflate) and hand it every byte that followed the request head (pipelined
//          bytes are frames already).
//        else: answer a.status (400, or 426 with the field line a.extra_field) with the usual
//          one-line body handshake_message(a.result), as for any bad request.
//   2. Input: on_bytes(bytes) for every read (the session keeps a partial frame itself), or
//      input_space() / on_received(n) to read straight into the session's buffer.
//   3. Output: output() is what to send, consume_output(n) after a send of n bytes. While
//      output is above kOutputHighWater, wants_input() is false (backpressure as for HTTP).
//   4. Timer: re-arm the idle timer whenever bytes arrive; on expiry call on_idle_timeout().
//      The first expiry sends a ping; a second with no pong since sends Close 1001 and ends.
//   5. on_eof() when the peer closed TCP, on_shutdown() when the server stops (Close 1001).
//   6. done(): the session is over; close the socket once output() is empty (RFC 6455
//      §7.1.1: the server closes the TCP connection first). close_code() is for the log.
//
// Applications: with WebSocketHandlers (App::websocket) messages go to on_message instead of
// being echoed; the session is the WebSocket& the handlers send through, and on_close runs
// once when the session ends. A handler that throws fails the session with 1011.
//
// Allocation: the input, message and output buffers grow to the largest message and keep
// their capacity; zlib's states are allocated once per session, only when deflate was agreed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "httpfsm/request_head.hpp"
#include "httpfsm/server/websocket.hpp"
#include "httpfsm/websocket_decoder.hpp"
#include "httpfsm/websocket_deflate.hpp"
#include "httpfsm/websocket_handshake.hpp"

namespace httpfsm::server {

struct WebSocketConfig {
  // --ws-max-message: a larger message (inflated size too) closes with 1009.
  std::uint64_t max_message = 1u << 20;
  DeflateConfig deflate{};                // permessage-deflate; enabled by default
  std::vector<std::string> subprotocols;  // WebSocketOptions::subprotocols
};

struct WebSocketAnswer {
  Handshake result = Handshake::ok;
  int status = 101;               // 101, 400 or 426
  std::array<char, 28> accept{};  // the Sec-WebSocket-Accept value
  std::string_view extra_field;   // for 426: "Sec-WebSocket-Version: 13" (RFC 6455 §4.2.2)
  DeflateAgreement deflate;       // pass to the session
  std::string extensions;         // deflate.response_value() when accepted (RFC 7692 §5)
  // Agreed, or empty; pass it on. A copy: the answer outlives the request buffer in callers
  // that keep it (a view into the request dangled in a test under ASan).
  std::string subprotocol;

  // The fields a 101 carries after Upgrade and Connection (RFC 6455 §4.2.2 item 5), in
  // order, as views into this answer: the one list that both the server's Response and
  // head() write, so the two cannot disagree.
  template <class Add>
  void each_field(Add&& add) const {
    add(std::string_view("Sec-WebSocket-Accept"), std::string_view(accept.data(), accept.size()));
    // §4.2.2 item 5.4 (step 4's /subprotocol/); §11.3.4: at most once in a response.
    if (!subprotocol.empty()) add(std::string_view("Sec-WebSocket-Protocol"), subprotocol);
    if (deflate.accepted) add(std::string_view("Sec-WebSocket-Extensions"), extensions);
  }
  // The whole 101 response head when status is 101, else empty: what a caller that writes
  // its own bytes sends (the tests read the answer through it).
  std::string head() const;
};

// Checks the upgrade request (RFC 6455 §4.2.1), computes Sec-WebSocket-Accept with libcrypto's
// SHA-1 (§4.2.2), negotiates permessage-deflate (RFC 7692) and agrees to a subprotocol of
// config.subprotocols if the client offers one (select_subprotocol, §4.2.2).
WebSocketAnswer answer_websocket_handshake(std::span<const char> message, const RequestHead& head,
                                           const WebSocketConfig& config);

class WebSocketSession final : public WebSocket {
 public:
  static constexpr std::size_t kOutputHighWater = 64 * 1024;

  // `handlers` null: the echo session. Otherwise they must outlive the session.
  // `subprotocol`: the one the handshake agreed (WebSocketAnswer::subprotocol), copied.
  WebSocketSession(const WebSocketConfig& config, const DeflateAgreement& deflate,
                   const WebSocketHandlers* handlers = nullptr, std::string_view subprotocol = {});
  WebSocketSession(const WebSocketSession&) = delete;
  WebSocketSession& operator=(const WebSocketSession&) = delete;
  ~WebSocketSession();

  // Runs on_open (the upgrade request is still valid during it).
  void open(const Request& request);
  // WebSocket: what handlers send.
  void send_text(std::string_view text) override;
  void send_binary(std::string_view data) override;
  void close(std::uint16_t code, std::string_view reason) override;
  std::string_view subprotocol() const noexcept override { return subprotocol_; }

  void on_bytes(std::string_view bytes);
  // Room for at least `want` bytes at the end of the input buffer; report with on_received().
  std::span<char> input_space(std::size_t want = 16 * 1024);
  void on_received(std::size_t n);
  void on_idle_timeout();
  void on_eof();
  void on_shutdown();

  std::string_view output() const noexcept {
    return {out_.data() + out_sent_, out_.size() - out_sent_};
  }
  void consume_output(std::size_t n) noexcept;
  bool wants_input() const noexcept { return !done_ && output().size() <= kOutputHighWater; }
  bool done() const noexcept { return done_; }
  // The code of the close handshake: the one received, or the one sent when the server
  // closed first or failed the connection; 1006 when the peer vanished without one.
  std::uint16_t close_code() const noexcept { return close_code_; }
  bool ping_outstanding() const noexcept { return ping_outstanding_; }

 private:
  struct Zlib;

  void process();
  void on_message(Opcode opcode, bool compressed, std::string_view payload);
  void send_frame(Opcode opcode, bool rsv1, std::string_view payload);
  // Sends Close with `code` and `reason` and ends the session (§7.1.7 for errors).
  void fail(std::uint16_t code, std::string_view reason);
  void send_message(Opcode opcode, std::string_view data);
  // Once done(): tells on_close, once.
  void report_close();

  // Of the route's WebSocketConfig only the limit: the session does not copy the rest (the
  // subprotocol names stay with the route).
  std::uint64_t max_message_;
  DeflateAgreement deflate_;
  const WebSocketHandlers* handlers_;
  FrameDecoder decoder_;
  std::unique_ptr<Zlib> zlib_;  // only with permessage-deflate
  Utf8Validator utf8_;

  std::string in_;           // received bytes not yet consumed by the decoder
  std::size_t in_end_ = 0;   // in_[0, in_end_) holds bytes; the rest is room to read into
  std::string message_;      // pieces of a fragmented (or compressed) message
  std::string subprotocol_;  // agreed in the handshake; empty for none
  std::string out_;          // frames to send
  std::size_t out_sent_ = 0;
  bool done_ = false;
  bool close_sent_ = false;
  bool ping_outstanding_ = false;
  std::uint16_t close_code_ = 0;
  bool close_reported_ = false;
};

}  // namespace httpfsm::server
