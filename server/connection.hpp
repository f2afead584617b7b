// One client connection as a state machine, free of socket I/O: bytes in, response bytes and
// file ranges out. The worker moves bytes between the socket and this object; tests and
// fuzzers drive it directly with on_bytes()/on_eof()/on_timeout() and read output(). It is the
// transport only: what a request means (routing, middleware, handlers, uploads, content
// coding, logging) is the Exchange's, which tells it what to do next (exchange.hpp).
//
// Theory of operation
//   The input buffer holds the current request from its first byte, then whatever the client
//   pipelined after it. The library's RequestReader reads it: the head (resuming over it as
//   bytes arrive), then the body, then the next request. Once a head is complete the
//   exchange runs it and, unless its body is wanted, it is answered at once: the response
//   is appended to the output queue, and the next pipelined request is parsed
//   straight away, so a read that brought 16 requests yields 16 responses that leave in one
//   send. A body is either streamed to an upload or read and dropped, because the next
//   request starts after it. The head stays in the buffer until the request is finished, so
//   the views a request hands out stay valid; consumed body bytes are cut out behind it.
//
//   Backpressure: while the output queue is above a bound, no further request is started
//   and wants_input() is false, so the worker stops reading; sending output resumes it.
//
//   Upgrades: after a 101 (RFC 9110 §15.2.2) the connection carries the protocol the exchange
//   hands over (UpgradedProtocol: WebSocket). Every byte after the request head is the
//   protocol's; the transport moves its output into the output queue, reads only while it
//   and the output bound allow, runs the idle timer for it (an expiry with no input since
//   becomes on_idle_timeout(): WebSocket pings, then closes) and closes once it is done and
//   the output is sent. Nothing here knows WebSocket.
//   PROXY protocol (Config::proxy_protocol): the connection's first bytes must be a PROXY
//   header (v1 or v2, HAProxy's specification), read before any HTTP byte under the header
//   timeout. Its source address becomes the client's (set_client) unless it is LOCAL or
//   UNKNOWN, which keep the socket's. A missing or malformed header closes the connection
//   without a word (the peer is not the proxy we expect; §2.1 "abort the connection").
//
//   Close rules: a framing or parse error is answered (when it has a status) and closes;
//   "Connection: close", HTTP/1.0 without keep-alive, shutdown and 100-continue refusals
//   close after their response; a truncated message closes silently (RFC 9112 §8).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "buffer.hpp"
#include "context.hpp"
#include "exchange.hpp"
#include "httpfsm/message_reader.hpp"
#include "httpfsm/proxy_protocol.hpp"
#include "output_queue.hpp"

namespace httpfsm::server {

class Connection {
 public:
  enum class State : std::uint8_t {
    head,          // waiting for, or parsing, a request head (also between requests)
    body,          // streaming a request body into an upload
    discard_body,  // answered already; reading the body only to reach the next request
    upgraded,      // after a 101: the bytes belong to protocol_
    closing,       // reading nothing more; the output drains, then the socket closes
    closed,        // close now, dropping any output
  };
  // Which timeout applies: the worker arms Config::header_timeout_ms, idle_timeout_ms or
  // body_timeout_ms (a request body, streamed or discarded, must keep arriving).
  enum class TimerKind : std::uint8_t { header, idle, body };

  // Bytes the output may hold before no further request is started.
  static constexpr std::size_t kOutputHighWater = 64 * 1024;
  static constexpr std::size_t kMaxPendingFiles = 16;

  Connection(Context& context, std::string_view peer);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Input. The worker reads into input_space() and reports the count with on_received();
  // on_bytes() copies (tests, fuzzers); a string_view so that a literal brings no NUL.
  std::span<char> input_space();
  void on_received(std::size_t n);
  void on_bytes(std::string_view bytes);
  // The peer closed its sending side (read returned 0).
  void on_eof();
  // The current timer expired.
  void on_timeout();
  // The server is stopping: finish the request in progress with Connection: close.
  void on_shutdown();
  // The worker sent some output; may resume requests held back by the output bound.
  void on_output_progress();
  // The socket failed: drop everything (an upload in progress is removed).
  void on_abort();
  // The client's address for the requests that follow (the peer's until then), e.g. the one
  // a proxy in front of us reported.
  void set_client(std::string_view client) { exchange_.set_client(client); }
  // --proxy-protocol over TLS: the worker read the PROXY header off the raw socket before the
  // handshake (proxy_prelude.hpp); its client address applies and the decrypted stream starts
  // with HTTP.
  void on_proxy_header(const ProxyHeader& header);

  OutputQueue& output() noexcept { return out_; }
  bool wants_input() const noexcept;
  // Nothing more to send and the socket should close.
  bool done() const noexcept {
    return state_ == State::closed || (state_ == State::closing && out_.empty());
  }
  bool peer_closed() const noexcept { return eof_; }
  // Once done(): whether the socket should linger (send FIN, then read and drop until the
  // client closes) rather than close at once. Closing at once is safe only when nothing the
  // client sent is left unread, or a reset could destroy our last response (RFC 9112 §9.6):
  // that is the case after a bodiless request whose client asked to close ("Connection:
  // close", or HTTP/1.0 without keep-alive), which MUST NOT send further requests.
  bool needs_linger() const noexcept { return !(closed_by_client_ && in_.empty()); }
  State state() const noexcept { return state_; }
  TimerKind timer() const noexcept { return timer_; }
  // Changes whenever the timer must restart (the worker re-arms it then).
  std::uint32_t timer_epoch() const noexcept { return timer_epoch_; }
  std::uint64_t requests() const noexcept { return requests_; }
  std::size_t buffered_input() const noexcept { return in_.size(); }

 private:
  enum class Step : std::uint8_t { wait, again };

  void advance();
  void enter(State next);
  Step parse_head();
  Step parse_proxy_header();
  Step read_body();
  void dispatch();
  void finish_request();
  // Writes context_.response through the exchange and notes whether the connection persists.
  void respond(const RequestHead* head, std::span<const char> message);
  void respond_error(int status, std::string_view detail);
  bool output_full() const noexcept {
    return out_.pending_bytes() >= kOutputHighWater || out_.pending_files() >= kMaxPendingFiles;
  }
  void set_timer(TimerKind kind) noexcept;
  void restart_timer() noexcept { ++timer_epoch_; }
  void release_idle_buffers() noexcept;
  // Starts the protocol the 101 switched to; false when there is none to start.
  bool switch_protocols();
  // Queues the protocol's output; ends the connection once the protocol is done.
  void pump_protocol();
  bool body_too_slow() const noexcept;
  bool reader_too_slow() noexcept;

  Context& context_;
  RequestReader reader_;  // the head -> body -> next request loop over the bytes of in_
  ByteBuffer in_;
  OutputQueue out_;
  Exchange exchange_;                           // the request pipeline; writes into out_
  std::unique_ptr<UpgradedProtocol> protocol_;  // in State::upgraded
  ProxyHeaderParser proxy_;

  State state_ = State::head;
  TimerKind timer_ = TimerKind::header;  // a fresh connection must start a request soon
  std::uint32_t timer_epoch_ = 0;
  std::uint32_t head_size_ = 0;  // the current request's head, kept at the buffer's front
  std::size_t body_pos_ = 0;     // first unconsumed body byte (offset in in_)
  std::uint64_t requests_ = 0;
  std::int64_t body_started_ms_ = 0;   // when the body became expected (its head completed)
  std::uint64_t body_received_ = 0;    // body bytes (framing included) read since then
  std::int64_t send_started_ms_ = -1;  // since when output has been waiting; -1: none waits
  std::uint64_t send_base_ = 0;        // out_.sent() then
  bool request_started_ = false;       // a byte of a request-line arrived (not just CRLFs)
  bool keep_alive_ = true;             // the current exchange leaves the connection open
  bool closed_by_client_ = false;      // the last response closes because a bodiless request asked
  bool eof_ = false;
  bool shutting_down_ = false;
  bool proxy_pending_ = false;  // --proxy-protocol: the PROXY header has not been read yet
};

}  // namespace httpfsm::server
