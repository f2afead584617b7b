#include "connection.hpp"

#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstring>

#include "httpfsm/accept_encoding.hpp"
#include "httpfsm/path.hpp"
#include "middleware.hpp"

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

// The path of an absolute-form target (RFC 9112 §3.2.2): "http://host:port/p?q" -> "/p".
// An absolute-URI without an authority ("urn:x") names nothing here: returns false.
bool absolute_form_path(std::string_view target, std::string_view* path) {
  const std::size_t scheme_end = target.find("://");
  if (scheme_end == std::string_view::npos) return false;
  const std::string_view rest = target.substr(scheme_end + 3);
  const std::size_t path_start = rest.find_first_of("/?");
  if (path_start == std::string_view::npos || rest[path_start] == '?') {
    *path = "/";
    return true;
  }
  *path = split_target(rest.substr(path_start)).path;
  return true;
}

// What the 400 for a path the router refuses says (RFC 3986 §2.1, §5.2.4).
std::string_view path_problem(PathError e) {
  switch (e) {
    case PathError::none:
      break;
    case PathError::not_absolute:
      return "path does not start with /";
    case PathError::bad_percent:
      return "% not followed by two hex digits in the path";
    case PathError::encoded_nul:
      return "encoded NUL (%00) in the path";
    case PathError::encoded_slash:
      return "encoded slash (%2F) in the path";
    case PathError::above_root:
      return "path climbs above the root";
    case PathError::too_long:
      return "path too long";
  }
  return {};
}

bool read_file(int fd, std::uint64_t offset, std::size_t length, std::vector<char>& out) {
  out.resize(length);
  std::size_t done = 0;
  while (done < length) {
    const ssize_t n =
        ::pread(fd, out.data() + done, length - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

Connection::Connection(Context& context, std::string_view peer)
    : context_(context),
      peer_(peer),
      parser_(context.site.limits),
      body_(context.site.limits),
      in_(&context.pool),
      out_(&context.pool) {}

// ---------------------------------------------------------------------------------------------
// Events from the worker

std::span<char> Connection::input_space() {
  if ((state_ == State::body || state_ == State::discard_body) && body_pos_ > head_size_) {
    // Cut the consumed body out from behind the kept head before reading more.
    in_.erase(head_size_, body_pos_ - head_size_);
    body_pos_ = head_size_;
  }
  return in_.space(state_ == State::head ? kHeadReadSize : kBodyReadSize);
}

void Connection::on_received(std::size_t n) {
  in_.commit(n);
  advance();
}

void Connection::on_bytes(std::string_view bytes) {
  while (!bytes.empty()) {
    std::span<char> space = input_space();
    const std::size_t n = std::min(space.size(), bytes.size());
    std::memcpy(space.data(), bytes.data(), n);
    bytes.remove_prefix(n);
    in_.commit(n);
  }
  advance();
}

void Connection::on_eof() {
  eof_ = true;
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
      upload_.abort();
      respond_error(408, "the request body stalled");
      enter(State::closing);
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
  if (state_ == State::head && !request_started_) enter(State::closing);
}

void Connection::on_output_progress() {
  // A slow reader is still a reader. And while requests wait in the input because the output
  // is full, the header timeout would blame the client for our backlog: restart either.
  if (timer_ == TimerKind::idle || (state_ == State::head && !in_.empty())) restart_timer();
  if (state_ == State::head && !output_full() && !in_.empty()) advance();
  release_idle_buffers();
}

void Connection::on_abort() {
  upload_.abort();
  out_.clear();
  enter(State::closed);
}

bool Connection::wants_input() const noexcept {
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
      parser_.reset();
      request_started_ = has_request_byte(in_.view());
      set_timer(request_started_ ? TimerKind::header : TimerKind::idle);
      restart_timer();
      break;
    case State::body:
      // From head: an upload accepted the head. The body must keep arriving (idle timeout).
    case State::discard_body:
      // From head: answered before the body, which is still read to find the next request.
      assert(state_ == State::head);
      body_.start(parser_.head());
      body_pos_ = head_size_;
      set_timer(TimerKind::idle);
      restart_timer();
      break;
    case State::closing:
      // From head, body or discard_body: a response that closes was queued, the peer closed
      // between requests, or the server is shutting down. Output drains (idle timeout).
      if (state_ == State::closing || state_ == State::closed) return;
      set_timer(TimerKind::idle);
      restart_timer();
      break;
    case State::closed:
      // From any state: a truncated message, a timeout with nothing to say, a socket error.
      upload_.abort();
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
      case State::closing:
      case State::closed:
        break;
    }
    if (step == Step::wait) break;
  }
  release_idle_buffers();
}

Connection::Step Connection::parse_head() {
  if (in_.empty()) {
    if (eof_) enter(State::closing);  // the peer is done and so are we
    return Step::wait;
  }
  switch (parser_.parse(in_.bytes())) {
    case Progress::need_more:
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
    case Progress::failed: {
      const int status = error_status(parser_.error());
      if (status == 0) {
        enter(State::closed);
      } else {
        // A malformed head leaves the framing unknown: answer, then close.
        respond_error(status, error_message(parser_.error()));
        enter(State::closing);
      }
      return Step::wait;
    }
    case Progress::complete:
      head_size_ = parser_.consumed();
      ++requests_;
      dispatch();
      return Step::again;
  }
  return Step::wait;
}

Connection::Step Connection::read_body() {
  const std::span<const char> input = in_.bytes().subspan(body_pos_);
  // A body that is complete before its first byte (Content-Length: 0) needs no input: decode
  // below finishes it. Waiting here would leave an empty upload unanswered.
  if (input.empty() && body_.progress() != Progress::complete) {
    if (eof_) enter(State::closed);  // truncated body: the upload is removed, nothing said
    return Step::wait;
  }
  const BodyStep step = body_.decode(input);
  if (step.progress == Progress::failed) {
    if (state_ == State::body) {
      upload_.abort();
      // 400 for a bad chunk, 413 over --max-body.
      respond_error(error_status(body_.error()), error_message(body_.error()));
      enter(State::closing);
    } else {
      enter(State::closed);  // answered already, and the framing is lost
    }
    return Step::wait;
  }
  if (!step.data.empty() && state_ == State::body &&
      !upload_.write({step.data.data(), step.data.size()})) {
    // Disk full or an I/O error; the temporary file is gone.
    respond_error(500, "the upload could not be stored");
    enter(State::closing);
    return Step::wait;
  }
  body_pos_ += step.consumed;
  if (step.consumed > 0) restart_timer();  // progress: the idle timeout starts over
  if (step.progress == Progress::complete) {
    if (state_ == State::body) {
      Response& response = context_.response;
      response.reset();
      upload_endpoint_->finish_upload(upload_, context_, response);
      respond(&parser_.head(), in_.bytes().first(head_size_), response);
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
  const RequestHead& head = parser_.head();
  const std::span<const char> message = in_.bytes().first(head_size_);
  // RFC 9112 §9.3: persistence as the client asked, unless we are stopping.
  keep_alive_ = head.keep_alive && !shutting_down_;

  Request request;
  request.message = message;
  request.head = &head;
  request.method = head.method_id;
  request.method_name = text(message, head.method);
  request.target = text(message, head.target);

  Response& response = context_.response;
  response.reset();
  const bool has_body = head.framing == Framing::chunked ||
                        (head.framing == Framing::content_length && head.content_length > 0);

  route(request, response);
  if (state_ == State::body) return;  // an upload took the head; the body goes to it

  // RFC 9110 §10.1.1: a client waiting for 100 (Continue) got a final status instead. It may
  // or may not send the body now, so the connection cannot be reused.
  if (has_body && head.expect_continue) response.close = true;
  respond(&head, message, response);
  if (has_body && keep_alive_) {
    enter(State::discard_body);
  } else {
    finish_request();
  }
}

void Connection::route(Request& request, Response& response) {
  const RequestHead& head = *request.head;
  const Site& site = context_.site;

  // RFC 9110 §15.6.2: a method we implement nowhere.
  if (!is_implemented(request.method)) return response.set_error(501);

  std::string_view raw_path;
  switch (head.target_form) {
    case TargetForm::origin: {
      const TargetParts parts = split_target(request.target);
      raw_path = parts.path;
      request.query = parts.query;
      break;
    }
    case TargetForm::absolute:
      // RFC 9112 §3.2.2: a server MUST accept the absolute-form.
      if (!absolute_form_path(request.target, &raw_path)) return response.set_error(404);
      break;
    case TargetForm::asterisk:
      // RFC 9112 §3.2.4: "OPTIONS *" asks about the server as a whole.
      response.add_field("Allow", site.router.allow_any());
      return;
    case TargetForm::authority:  // CONNECT only, and CONNECT is not implemented
      return response.set_error(501);
  }

  // Route on the decoded path with dot segments removed (RFC 3986 §5.2.4); "%2F" (a slash
  // that is not a separator), "%00" and ".." above the root are refused.
  std::vector<char>& buffer = context_.path_buffer;
  const PathResult path = decode_path(raw_path, {buffer.data(), buffer.size()});
  if (path.error != PathError::none)
    return response.set_error(400, false, path_problem(path.error));
  request.path = {buffer.data(), path.length};

  const Router::Match match = site.router.match(request);
  if (!site.config.cors_origin.empty() && is_cors_preflight(request) &&
      (match.outcome == Router::Outcome::found || match.outcome == Router::Outcome::options)) {
    return set_cors_preflight(request, site.config.cors_origin, match.allow, response);
  }
  switch (match.outcome) {
    case Router::Outcome::not_implemented:
      return response.set_error(501);
    case Router::Outcome::not_found:
      return response.set_error(404);
    case Router::Outcome::method_not_allowed:
      response.set_error(405);  // RFC 9110 §15.5.6: with the methods that would work
      response.add_field("Allow", match.allow);
      return;
    case Router::Outcome::options:
      response.add_field("Allow", match.allow);  // RFC 9110 §9.3.7
      return;
    case Router::Outcome::found:
      break;
  }
  const Endpoint& endpoint = *match.endpoint;
  if (endpoint.needs_auth && !site.config.auth_token.empty() &&
      !bearer_token_matches(request, site.config.auth_token)) {
    return set_unauthorized(response);
  }
  if (endpoint.begin_upload == nullptr) return endpoint.handler(request, context_, response);

  // RFC 9110 §15.5.12: an upload needs its length stated (Content-Length or chunked). Without
  // either the request has no body by RFC 9112 §6.3, but a client that meant one would send
  // it next, where it would parse as garbage: answer 411 and close.
  if (head.framing == Framing::no_body) {
    return response.set_error(411, true, "an upload needs Content-Length or chunked");
  }
  if (!endpoint.begin_upload(request, context_, upload_, response)) return;
  upload_endpoint_ = &endpoint;
  // RFC 9110 §10.1.1: the client waits for this before sending the body.
  if (head.expect_continue) out_.append(kContinue);
  enter(State::body);
}

std::string_view Connection::gzip_body(const RequestHead& head, std::span<const char> message,
                                       Response& response) {
  if (response.status != 200 || head.field(KnownField::accept_encoding) == nullptr) return {};
  if (response.body_length() > kMaxGzipSource) return {};
  static constexpr Coding kOffered[] = {Coding::gzip};
  const std::optional<Coding> coding = negotiate_encoding(message, head, kOffered);
  if (coding != Coding::gzip) return {};
  std::string_view source = response.body;
  if (response.file.valid()) {
    std::vector<char>& buf = context_.file_buffer;
    const auto n = static_cast<std::size_t>(response.file_length);
    if (!read_file(response.file.get(), response.file_offset, n, buf)) return {};
    source = {buf.data(), n};
  }
  return context_.gzip.compress(source);
}

void Connection::respond(const RequestHead* head, std::span<const char> message,
                         Response& response) {
  WireOptions o;
  o.date = context_.clock.http_date();
  o.head_only = head != nullptr && head->method_id == Method::head;
  o.close = response.close || !keep_alive_;
  o.keep_alive_http10 = !o.close && head != nullptr && head->version_minor == 0;
  o.cors_origin = context_.site.config.cors_origin;
  if (response.compressible && head != nullptr) {
    o.vary_accept_encoding = true;  // RFC 9110 §12.5.5: the choice depended on it
    o.gzip_body = gzip_body(*head, message, response);
    if (!o.gzip_body.empty()) response.file.reset();
  }
  const int status = response.status;
  const WriteResult written = write_response(response, o, out_);
  if (o.close || !written.complete) keep_alive_ = false;
  closed_by_client_ = head != nullptr && !head->keep_alive && head->framing == Framing::no_body &&
                      !response.close && !shutting_down_ && written.complete;
  log_request(head, message, status, written.body_bytes);
}

void Connection::respond_error(int status, std::string_view detail) {
  keep_alive_ = false;
  Response& response = context_.response;
  response.set_error(status, true, detail);
  const bool complete = parser_.progress() == Progress::complete;
  respond(complete ? &parser_.head() : nullptr, in_.bytes().first(complete ? head_size_ : 0),
          response);
}

void Connection::log_request(const RequestHead* head, std::span<const char> message, int status,
                             std::uint64_t body_bytes) {
  AccessLog& log = context_.log;
  if (!log.enabled()) return;
  if (head != nullptr) {
    log.record(peer_, context_.clock.log_date(), text(message, head->method),
               text(message, head->target), head->version_minor, status, body_bytes);
    return;
  }
  // No complete head: log what there is of the request-line.
  std::string_view line = in_.view();
  line = line.substr(line.find_first_not_of("\r\n") == std::string_view::npos
                         ? line.size()
                         : line.find_first_not_of("\r\n"));
  line = line.substr(0, std::min<std::size_t>(line.find_first_of("\r\n"), 256));
  log.record(peer_, context_.clock.log_date(), line.empty() ? std::string_view("-") : line, status,
             body_bytes);
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
