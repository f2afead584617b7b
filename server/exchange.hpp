// One request through the application pipeline, apart from the transport: target form, path
// decoding, the router, the middleware chain, the handler or the body's destination, the
// content coding and the writing of the answer. Connection feeds it heads and body pieces and
// acts on the outcome; Exchange never sees a socket, a timer or the input buffer's life.
//
// Life cycle, per request: begin(head) -> Outcome.
//   answered          context.response holds the final answer: the connection calls answer().
//   stream            the body goes to take_body() piece by piece, then end_body() fills the
//   continue_stream   answer (after "100 Continue" for the second, RFC 9110 §10.1.1); a body
//                     that will not complete is dropped with abort_body().
//   switch_protocols  context.response holds a 101 (RFC 9110 §15.2.2): after answer() the
//                     connection belongs to the named protocol, which take_protocol() hands
//                     over (null when a handler upgraded without one: the connection ends).
// answer() also writes the transport's own errors (400 for a malformed head, 408, 413), with
// or without a complete head, so every response passes the middleware after-hooks.
// Views: `message` is the head's bytes in the connection's buffer, which may move between
// calls; every call gets it afresh and nothing keeps it across calls.
// Errors: an exception from a handler, a middleware before/after hook or a stream handler
// becomes a 500 with the usual one-line body; a sink that cannot store a piece makes
// take_body() false with body_error() saying what to answer.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "context.hpp"
#include "httpfsm/request_head.hpp"
#include "httpfsm/server/app.hpp"
#include "httpfsm/server/request.hpp"
#include "output_queue.hpp"
#include "upgraded_protocol.hpp"

namespace httpfsm::server {

class Exchange {
 public:
  enum class Outcome : std::uint8_t { answered, stream, continue_stream, switch_protocols };
  struct Written {
    bool response_close = false;  // the response asked to close the connection
    bool complete = true;         // false: what was promised could not be sent; close
  };
  struct BodyError {
    int status = 500;
    std::string_view detail;
  };

  Exchange(Context& context, OutputQueue& out, std::string_view client);
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  Outcome begin(const RequestHead& head, std::span<const char> message);
  // A piece of the decoded body (stream outcomes). False: the answer is body_error().
  bool take_body(std::span<const char> data);
  BodyError body_error() const noexcept { return body_error_; }
  // The whole body arrived: fills context.response (answer() writes it).
  void end_body(const RequestHead& head, std::span<const char> message);
  // The body will not complete (bad framing, truncation, a failed socket): the sink undoes.
  void abort_body() noexcept;

  // Writes context.response for `head` (null without a complete head; `partial` is then what
  // arrived, for the log). `keep_alive`: whether the connection persists after it.
  Written answer(const RequestHead* head, std::span<const char> message, std::string_view partial,
                 bool keep_alive);
  // After a switch_protocols outcome: the protocol the connection carries next (WebSocket).
  std::unique_ptr<UpgradedProtocol> take_protocol() noexcept { return std::move(protocol_); }

  // The client's address as requests and logs show it: the peer's, or the one a proxy in
  // front of us reported for the connection (PROXY protocol). Affects later requests.
  void set_client(std::string_view client) { client_ = client; }

 private:
  void set_request(const RequestHead* head, std::span<const char> message);
  const Endpoint* route(const RequestHead& head, Response& response, bool before_hooks);
  Outcome start_body(const Endpoint& endpoint, const RequestHead& head, Response& response);
  void run_handler(const Handler& handler, Response& response) noexcept;

  Context& context_;
  OutputQueue& out_;
  std::string client_;
  Request request_;
  bool routed_ = false;             // request_'s path and parameters belong to the current request
  std::unique_ptr<BodySink> sink_;  // a stream route's body destination
  std::string body_;                // a buffered route's body
  std::uint64_t body_limit_ = 0;    // not 0: the body is buffered
  BodyError body_error_;
  std::unique_ptr<UpgradedProtocol> protocol_;  // from begin() to take_protocol()
};

}  // namespace httpfsm::server
