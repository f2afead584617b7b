// MessageReader: one HTTP/1.1 connection's incoming messages as events, for either direction
// (RequestReader on a server, ResponseReader on a client), built on the head parsers and the
// body decoder. It owns the loop every consumer would otherwise write: head, then body, then
// the next pipelined message; interim 1xx responses; the end of HTTP on the connection (101,
// a CONNECT tunnel); and, for responses, the queue of request methods sent, which decides
// their framing (RFC 9112 §6.3). h11's Connection is the model, without its buffer.
//
// Life cycle
//   RequestReader r(limits);            // allocates the parsers' field arrays once
//   loop: ReadStep s = r.next(input)    // input: every byte received and not yet consumed
//         use the event, then drop s.consumed bytes from the front of the input
//         head     -> r.request() (spans index this call's input); the body follows
//         data     -> s.data: content, a slice of this call's input
//         end      -> the message is complete; r.trailers() index this call's input
//         need_more-> read more bytes, append them, call again
//         error    -> r.error(), r.error_offset() (from the connection's first byte),
//                     error_status(r.error()); sticky
//         switched -> the connection left HTTP (101, CONNECT 2xx): the rest of the input
//                     belongs to the new protocol
//         closed   -> no further message may be read on this connection (keep-alive off)
//   on end of input: r.finish(input)    // end (a close-delimited body), closed, or truncated
//   ResponseReader c(limits);
//   c.request_sent(Method::get) before (or after) each request is written; every final
//   response consumes one, interim (1xx) responses none.
//
// Resume rule: input always starts at the first unconsumed byte; the caller may move or grow
// its buffer between calls. While a head is incomplete nothing is consumed, so the head is
// re-presented whole, and is never re-scanned. After a head event its spans stay valid until
// the caller drops its bytes; dropping `consumed` bytes after every event is the contract.
//
// Pure: no I/O, clock, thread, exception or allocation after construction. Errors are sticky
// until reset(); one call never emits two events.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "httpfsm/body_decoder.hpp"
#include "httpfsm/error.hpp"
#include "httpfsm/head_parser.hpp"
#include "httpfsm/limits.hpp"
#include "httpfsm/request_head.hpp"
#include "httpfsm/response_head_parser.hpp"

namespace httpfsm {

enum class ReadEvent : std::uint8_t { need_more, head, data, end, error, switched, closed };

// The enumerator's name: "need_more", "head", "data", "end", "error", "switched", "closed".
std::string_view read_event_name(ReadEvent e) noexcept;

struct ReadStep {
  ReadEvent event = ReadEvent::need_more;
  std::size_t consumed = 0;    // drop these bytes from the front of the input after use
  std::span<const char> data;  // for data: content, a slice of the input
};

namespace detail {
struct RequestSide {
  using Parser = HeadParser;
  using Head = RequestHead;
};
struct ResponseSide {
  using Parser = ResponseHeadParser;
  using Head = ResponseHead;
};
}  // namespace detail

template <class Side>
class MessageReader {
 public:
  // How many requests a ResponseReader can have outstanding (pipelined) at once.
  static constexpr std::size_t kMaxPending = 64;

  explicit MessageReader(const Limits& limits = Limits{});

  // The next event from `input`, the bytes received and not yet consumed.
  ReadStep next(std::span<const char> input) noexcept;
  // The peer closed the connection; `input` is what was left unconsumed. A close-delimited
  // response body ends here (end); between messages it is closed (empty lines before a
  // request's start-line included, RFC 9112 §2.2); inside a message, Error::truncated.
  ReadStep finish(std::span<const char> input) noexcept;

  // Valid after a head event until the next head. Spans index the input of that call.
  const typename Side::Head& head() const noexcept { return parser_.head(); }
  // Valid after an end event. Spans index the input of that call.
  std::span<const Field> trailers() const noexcept {
    return decoding_ ? body_.trailers() : std::span<const Field>{};
  }

  Error error() const noexcept { return error_; }
  // Offset of the offending byte from the connection's first byte.
  std::uint64_t error_offset() const noexcept { return error_offset_; }
  // Bytes consumed since construction or reset().
  std::uint64_t offset() const noexcept { return offset_; }
  // Messages whose end was read.
  std::uint64_t messages() const noexcept { return messages_; }
  // RFC 9110 §10.1.1: the request being read asked for 100 (Continue) and no byte of its
  // body has arrived: a server that wants the body sends 100 now.
  bool expecting_continue() const noexcept;

  // ResponseReader: a request with `method` was sent; its response is read after those of
  // the requests sent before it (RFC 9112 §9.3). false when kMaxPending are outstanding.
  bool request_sent(Method method) noexcept;
  std::size_t pending_requests() const noexcept { return pending_count_; }

  // A fresh connection: no pending requests, offsets from 0. Never allocates.
  void reset() noexcept;

 private:
  // bodiless: a head without a body was read; its end is the next event (no decoder needed).
  enum class State : std::uint8_t { head, body, bodiless, switched, closed, failed };
  ReadStep end_message(std::size_t consumed) noexcept;
  ReadStep fail(Error e, std::uint64_t at) noexcept;
  bool begin_message() noexcept;  // false (after fail) when it cannot start
  void end_head() noexcept;

  typename Side::Parser parser_;
  BodyDecoder body_;
  State state_ = State::head;
  bool started_ = false;  // the head parser has been reset for the current message
  bool keep_alive_ = true;
  bool leaves_http_ = false;
  bool decoding_ = false;  // the current (or last) message's body went through body_
  Error error_ = Error::none;
  std::uint64_t error_offset_ = 0;
  std::uint64_t offset_ = 0;      // bytes consumed so far
  std::uint64_t body_start_ = 0;  // offset of the current body's first byte
  std::uint64_t messages_ = 0;
  // ResponseReader: the methods of requests sent and not yet answered, oldest first.
  std::array<Method, kMaxPending> pending_{};
  std::size_t pending_first_ = 0;
  std::size_t pending_count_ = 0;
};

// A server's view: requests in, pipelined.
using RequestReader = MessageReader<detail::RequestSide>;
// A client's view: responses in, each framed by the request it answers.
using ResponseReader = MessageReader<detail::ResponseSide>;

extern template class MessageReader<detail::RequestSide>;
extern template class MessageReader<detail::ResponseSide>;

}  // namespace httpfsm
