#include "connection.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>
#include <cassert>
#include <cstring>

#include "response.hpp"

namespace httpfsm::server {

namespace {

// Free space asked for before each read: enough for a typical head (or a burst of pipelined
// ones) while a buffer stays one pool block; bodies stream faster with larger reads.
constexpr std::size_t kHeadReadSize = 1024;
constexpr std::size_t kBodyReadSize = 16 * 1024;

// The request-line has started once a byte other than the CRLFs a client may send before it
// (RFC 9112 §2.2) arrived.
bool has_request_byte(std::string_view bytes) {
  return bytes.find_first_not_of("\r\n") != std::string_view::npos;
}

// The PROXY header's source address as the access log shows peers: "203.0.113.7", "2001:db8::1".
std::string source_address(const ProxyHeader& h) {
  char text[INET6_ADDRSTRLEN] = {};
  const int family = h.family == ProxyFamily::inet6 ? AF_INET6 : AF_INET;
  if (::inet_ntop(family, h.source_address.data(), text, sizeof text) == nullptr) return {};
  return text;
}

}  // namespace

Connection::Connection(Context& context, std::string_view peer)
    : context_(context),
      reader_(context.site.limits),
      in_(&context.pool),
      out_(&context.pool),
      exchange_(context, out_, peer),
      proxy_pending_(context.site.config.proxy_protocol) {
  out_.count_files_in(&context.queued_files);
}

// ---------------------------------------------------------------------------------------------
// Events from the worker

std::span<char> Connection::input_space() {
  if (state_ == State::upgraded) return protocol_->input_space();
  if ((state_ == State::body || state_ == State::discard_body) && body_pos_ > head_size_) {
    // Cut the consumed body out from behind the kept head before reading more.
    in_.erase(head_size_, body_pos_ - head_size_);
    body_pos_ = head_size_;
  }
  return in_.space(state_ == State::head ? kHeadReadSize : kBodyReadSize);
}

void Connection::on_received(std::size_t n) {
  if (state_ == State::upgraded) {
    if (n > 0) restart_timer();  // input: the idle timer starts over (no ping due)
    protocol_->on_received(n);
    pump_protocol();
    return;
  }
  in_.commit(n);
  advance();
}

void Connection::on_bytes(std::string_view bytes) {
  while (!bytes.empty()) {
    std::span<char> space = input_space();
    const std::size_t n = std::min(space.size(), bytes.size());
    std::memcpy(space.data(), bytes.data(), n);
    bytes.remove_prefix(n);
    if (state_ == State::upgraded) {
      on_received(n);
    } else {
      in_.commit(n);
    }
  }
  advance();
}

void Connection::on_eof() {
  eof_ = true;
  if (state_ == State::upgraded) {
    protocol_->on_eof();
    pump_protocol();
    return;
  }
  advance();
}

void Connection::on_timeout() {
  switch (state_) {
    case State::head:
      if (request_started_) {
        // RFC 9110 §15.5.9: the head did not arrive in time (slowloris). Said only once a
        // request-line has started; an idle connection is closed without a word.
        respond_error(408, "no complete request head within the header timeout");
        enter(State::closing);
      } else {
        enter(State::closed);
      }
      break;
    case State::body:
      exchange_.abort_body();
      respond_error(408, "the request body stalled");
      enter(State::closing);
      break;
    case State::upgraded:
      // The protocol decides (WebSocket: a ping first, then Close 1001); the timer restarts
      // for its next expiry.
      protocol_->on_idle_timeout();
      restart_timer();
      pump_protocol();
      break;
    case State::discard_body:  // answered already; nothing more to say
    case State::closing:       // the client stopped reading our output
    case State::closed:
      enter(State::closed);
      break;
  }
  release_idle_buffers();
}

void Connection::on_shutdown() {
  shutting_down_ = true;
  keep_alive_ = false;
  if (state_ == State::upgraded) {
    protocol_->on_shutdown();
    pump_protocol();
    return;
  }
  if (state_ == State::head && !request_started_) enter(State::closing);
}

void Connection::on_output_progress() {
  if (reader_too_slow()) {
    // A reader that takes its response at a trickle holds the connection (and any file
    // queued for it) as long as it likes, the mirror of the slow POST. Nothing can be said
    // in the middle of a response: close.
    out_.clear();
    enter(State::closed);
    return;
  }
  // A slow reader is still a reader. And while requests wait in the input because the output
  // is full, the header timeout would blame the client for our backlog: restart either.
  if (timer_ == TimerKind::idle || (state_ == State::head && !in_.empty())) restart_timer();
  if (state_ == State::head && !output_full() && !in_.empty()) advance();
  if (state_ == State::upgraded) pump_protocol();
  release_idle_buffers();
}

void Connection::on_abort() {
  if (state_ == State::upgraded) protocol_->on_eof();  // it ends without a goodbye (1006)
  exchange_.abort_body();
  out_.clear();
  enter(State::closed);
}

bool Connection::wants_input() const noexcept {
  if (state_ == State::upgraded) return !eof_ && protocol_->wants_input() && !output_full();
  return (state_ == State::head || state_ == State::body || state_ == State::discard_body) &&
         !eof_ && !output_full();
}

// ---------------------------------------------------------------------------------------------
// The state machine

void Connection::enter(State next) {
  // Every transition, with why it happens. Entry actions set the timer that applies.
  switch (next) {
    case State::head:
      // From head (a request answered from its head alone), body (an upload committed) or
      // discard_body (the unwanted body was read): the connection persists.
      assert(state_ == State::head || state_ == State::body || state_ == State::discard_body);
      request_started_ = has_request_byte(in_.view());
      set_timer(request_started_ ? TimerKind::header : TimerKind::idle);
      restart_timer();
      break;
    case State::body:
      // From head: an upload accepted the head. The body must keep arriving (body timeout)
      // at no less than the minimum rate (body_too_slow()).
    case State::discard_body:
      // From head: answered before the body, which is still read to find the next request.
      // (The reader started the body when it read the head.)
      assert(state_ == State::head);
      body_pos_ = head_size_;
      body_started_ms_ = context_.clock.now_ms();
      body_received_ = 0;
      set_timer(TimerKind::body);
      restart_timer();
      break;
    case State::upgraded:
      // From head: a 101 was queued and a protocol took the connection over. Its idle
      // timer runs from here (the worker arms Config::idle_timeout_ms).
      assert(state_ == State::head);
      set_timer(TimerKind::idle);
      restart_timer();
      break;
    case State::closing:
      // From head, body, discard_body or upgraded: a response that closes was queued, the peer
      // closed between requests, or the server is shutting down. Output drains (idle timeout).
      if (state_ == State::closing || state_ == State::closed) return;
      set_timer(TimerKind::idle);
      restart_timer();
      break;
    case State::closed:
      // From any state: a truncated message, a timeout with nothing to say, a socket error.
      exchange_.abort_body();
      break;
  }
  state_ = next;
}

void Connection::advance() {
  for (;;) {
    Step step = Step::wait;
    switch (state_) {
      case State::head:
        // Backpressure: no new request while the output is above its bound.
        step = output_full() ? Step::wait : parse_head();
        break;
      case State::body:
      case State::discard_body:
        step = read_body();
        break;
      case State::upgraded:  // the protocol reads its own bytes (on_received)
      case State::closing:
      case State::closed:
        break;
    }
    if (step == Step::wait) break;
  }
  release_idle_buffers();
}

Connection::Step Connection::parse_proxy_header() {
  if (in_.empty()) {
    if (eof_) enter(State::closed);
    return Step::wait;
  }
  switch (proxy_.parse(in_.bytes())) {
    case Progress::need_more:
      if (eof_) enter(State::closed);
      return Step::wait;
    case Progress::failed:
      enter(State::closed);  // not our proxy, or a broken one: nothing HTTP to answer
      return Step::wait;
    case Progress::complete:
      break;
  }
  in_.consume(proxy_.header().length);
  on_proxy_header(proxy_.header());
  request_started_ = has_request_byte(in_.view());
  return Step::again;
}

void Connection::on_proxy_header(const ProxyHeader& header) {
  if (header.uses_addresses()) set_client(source_address(header));
  proxy_pending_ = false;
}

Connection::Step Connection::parse_head() {
  if (proxy_pending_) return parse_proxy_header();
  if (in_.empty()) {
    if (eof_) enter(State::closing);  // the peer is done and so are we
    return Step::wait;
  }
  const ReadStep step = reader_.next(in_.bytes());
  switch (step.event) {
    case ReadEvent::need_more:
      if (!request_started_ && has_request_byte(in_.view())) {
        request_started_ = true;
        if (timer_ != TimerKind::header) {
          set_timer(TimerKind::header);  // the head must be complete within header_timeout
          restart_timer();
        }
      }
      // RFC 9112 §8: a message cut short by the close is incomplete; nothing to answer.
      if (eof_) enter(State::closed);
      return Step::wait;
    case ReadEvent::head:
      // The head stays at the front of in_ until the request is finished (its spans index it).
      head_size_ = static_cast<std::uint32_t>(step.consumed);
      ++requests_;
      dispatch();
      return Step::again;
    case ReadEvent::error: {
      const int status = error_status(reader_.error());
      if (status == 0) {
        enter(State::closed);
      } else {
        // A malformed head leaves the framing unknown: answer, then close.
        respond_error(status, error_message(reader_.error()));
        enter(State::closing);
      }
      return Step::wait;
    }
    case ReadEvent::data:  // none of these comes before a head
    case ReadEvent::end:
    case ReadEvent::switched:
    case ReadEvent::closed:
      break;
  }
  enter(State::closed);
  return Step::wait;
}

Connection::Step Connection::read_body() {
  // Called with no input too: a body that is complete before its first byte (none, or
  // Content-Length: 0) ends at once. Waiting would leave an empty upload unanswered.
  const ReadStep step = reader_.next(in_.bytes().subspan(body_pos_));
  if (step.event == ReadEvent::error) {
    if (state_ == State::body) {
      exchange_.abort_body();
      // 400 for a bad chunk, 413 over --max-body.
      respond_error(error_status(reader_.error()), error_message(reader_.error()));
      enter(State::closing);
    } else {
      enter(State::closed);  // answered already, and the framing is lost
    }
    return Step::wait;
  }
  const bool complete = step.event == ReadEvent::end;
  if (!step.data.empty() && state_ == State::body && !exchange_.take_body(step.data)) {
    // The sink could not store it (500), or a buffered body passed its route's limit (413).
    const Exchange::BodyError e = exchange_.body_error();
    exchange_.abort_body();
    respond_error(e.status, e.detail);
    enter(State::closing);
    return Step::wait;
  }
  body_pos_ += step.consumed;
  body_received_ += step.consumed;
  if (!complete && step.consumed > 0 && body_too_slow()) {
    // The slow-POST attack: each byte restarts the body timeout, so a trickle would hold the
    // connection (and an upload's temporary file) forever. RFC 9110 §15.5.9.
    if (state_ == State::body) {
      exchange_.abort_body();
      respond_error(408, "the request body arrived below the minimum rate");
      enter(State::closing);
    } else {
      enter(State::closed);  // answered already
    }
    return Step::wait;
  }
  if (step.consumed > 0) restart_timer();  // progress: the body timeout starts over
  if (complete) {
    if (state_ == State::body) {
      const std::span<const char> message = in_.bytes().first(head_size_);
      exchange_.end_body(reader_.head(), message);
      respond(&reader_.head(), message);
    }
    finish_request();
    return Step::again;
  }
  if (step.consumed > 0) return Step::again;
  // Nothing consumed yet input is left: the decoder keeps a partial trailer section (or the
  // last CRLF) unconsumed until it is whole. After the peer's close it never will be: the
  // message is truncated (RFC 9112 §8), closed without a word like an empty input above.
  if (eof_) enter(State::closed);
  return Step::wait;
}

void Connection::finish_request() {
  if (state_ == State::head) {
    // Answered from the head alone. Without a body to read (none, or Content-Length: 0) the
    // reader's next event is the message's end; with one, the connection closes (dispatch()).
    [[maybe_unused]] const ReadStep end = reader_.next({});
    assert(end.event == ReadEvent::end || !keep_alive_);
  }
  in_.consume(state_ == State::head ? head_size_ : body_pos_);
  head_size_ = 0;
  body_pos_ = 0;
  if (keep_alive_) {
    enter(State::head);
  } else {
    enter(State::closing);
  }
}

// ---------------------------------------------------------------------------------------------
// Requests

void Connection::dispatch() {
  const RequestHead& head = reader_.head();
  const std::span<const char> message = in_.bytes().first(head_size_);
  // RFC 9112 §9.3: persistence as the client asked, unless we are stopping.
  keep_alive_ = head.keep_alive && !shutting_down_;
  const bool has_body = head.framing == Framing::chunked ||
                        (head.framing == Framing::content_length && head.content_length > 0);

  switch (exchange_.begin(head, message)) {
    case Exchange::Outcome::continue_stream:
      out_.append(kContinue);  // RFC 9110 §10.1.1: the client waits for this
      [[fallthrough]];
    case Exchange::Outcome::stream:
      enter(State::body);  // the body goes to the exchange; it answers once the body ends
      return;
    case Exchange::Outcome::switch_protocols:
      // RFC 9110 §15.2.2: after the 101 the bytes belong to the other protocol. Without a
      // protocol to carry (a handler upgraded on its own), the connection ends once the
      // 101 is sent. A server that is stopping still switches, and the protocol says
      // goodbye in its own terms (WebSocket: Close 1001) rather than in a 101 that closes.
      if (shutting_down_ && head.keep_alive) keep_alive_ = true;
      respond(&head, message);
      if (switch_protocols()) {
        if (shutting_down_) {
          protocol_->on_shutdown();
          pump_protocol();
        }
        return;
      }
      keep_alive_ = false;
      finish_request();
      return;
    case Exchange::Outcome::answered:
      break;
  }
  // RFC 9110 §10.1.1: a client waiting for 100 (Continue) got a final status instead. It may
  // or may not send the body now, so the connection cannot be reused.
  if (has_body && head.expect_continue) context_.response.close = true;
  respond(&head, message);
  if (has_body && keep_alive_) {
    enter(State::discard_body);
  } else {
    finish_request();
  }
}

void Connection::respond(const RequestHead* head, std::span<const char> message) {
  const Exchange::Written w = exchange_.answer(head, message, in_.view(), keep_alive_);
  if (w.response_close || !w.complete) keep_alive_ = false;
  closed_by_client_ = head != nullptr && !head->keep_alive && head->framing == Framing::no_body &&
                      !w.response_close && !shutting_down_ && w.complete;
}

void Connection::respond_error(int status, std::string_view detail) {
  keep_alive_ = false;
  context_.response.set_error(status, true, detail);
  // A request's head was read unless the error (or timeout) came while reading one.
  const bool complete = state_ == State::body || state_ == State::discard_body;
  respond(complete ? &reader_.head() : nullptr, in_.bytes().first(complete ? head_size_ : 0));
}

bool Connection::switch_protocols() {
  std::unique_ptr<UpgradedProtocol> protocol = exchange_.take_protocol();
  // The 101 must have gone out as such: an after-hook may have replaced it, and a server
  // that is stopping wrote it with Connection: close.
  if (protocol == nullptr || !keep_alive_ || !context_.response.switching_protocols()) {
    return false;
  }
  protocol_ = std::move(protocol);
  in_.consume(head_size_);
  head_size_ = 0;
  enter(State::upgraded);
  // Bytes the client sent right behind the head are the new protocol's already.
  protocol_->start(in_.view());
  in_.clear();
  in_.release();
  pump_protocol();
  return true;
}

void Connection::pump_protocol() {
  const std::string_view bytes = protocol_->output();
  if (!bytes.empty()) {
    out_.append(bytes);
    protocol_->consume_output(bytes.size());
  }
  // The protocol said goodbye (WebSocket: its Close, RFC 6455 §7.1.1: the server closes the
  // TCP connection first); the output drains, then the socket closes.
  if (state_ == State::upgraded && protocol_->done()) enter(State::closing);
}

bool Connection::reader_too_slow() noexcept {
  // The body's rule applied to our output: once output has been waiting for longer than the
  // body timeout, the client must have read it at body_min_rate bytes a second on average.
  const Config& c = context_.site.config;
  const std::int64_t now = context_.clock.now_ms();
  if (out_.empty() || send_started_ms_ < 0) {
    send_started_ms_ = out_.empty() ? -1 : now;
    send_base_ = out_.sent();
    return false;
  }
  if (c.body_min_rate == 0) return false;
  const std::int64_t elapsed_ms = now - send_started_ms_;
  if (elapsed_ms <= static_cast<std::int64_t>(c.body_timeout_ms)) return false;
  return (out_.sent() - send_base_) * 1000 <
         static_cast<std::uint64_t>(elapsed_ms) * c.body_min_rate;
}

bool Connection::body_too_slow() const noexcept {
  // mod_reqtimeout's MinRate, as an average: once the first body-timeout window has passed,
  // the body must have averaged min_rate bytes a second since it became expected.
  const Config& c = context_.site.config;
  if (c.body_min_rate == 0) return false;
  const std::int64_t elapsed_ms = context_.clock.now_ms() - body_started_ms_;
  if (elapsed_ms <= static_cast<std::int64_t>(c.body_timeout_ms)) return false;
  return body_received_ * 1000 < static_cast<std::uint64_t>(elapsed_ms) * c.body_min_rate;
}

void Connection::set_timer(TimerKind kind) noexcept {
  if (timer_ == kind) return;
  timer_ = kind;
  ++timer_epoch_;
}

void Connection::release_idle_buffers() noexcept {
  // An idle connection holds no buffer: at most a few hundred bytes besides the parsers.
  if (in_.empty() && state_ == State::head) in_.release();
  out_.release_if_empty();
}

}  // namespace httpfsm::server
