#include "exchange.hpp"

#include <algorithm>
#include <utility>

#include "httpfsm/path.hpp"
#include "response.hpp"
#include "websocket_protocol.hpp"

namespace httpfsm::server {

namespace {

// The path and query of an absolute-form target (RFC 9112 §3.2.2): "http://host:port/p?q" ->
// "/p" and "q" (RFC 3986 §3.4: the query is the same as in origin-form).
// An absolute-URI without an authority ("urn:x") names nothing here: returns false.
bool absolute_form_path(std::string_view target, std::string_view* authority,
                        std::string_view* path, std::string_view* query) {
  const std::size_t scheme_end = target.find("://");
  if (scheme_end == std::string_view::npos) return false;
  const std::string_view rest = target.substr(scheme_end + 3);
  const std::size_t path_start = rest.find_first_of("/?");
  *authority = rest.substr(0, path_start);  // no userinfo: the grammar refuses it
  if (path_start == std::string_view::npos) {
    *path = "/";
    return true;
  }
  if (rest[path_start] == '?') {
    *path = "/";
    *query = rest.substr(path_start + 1);
    return true;
  }
  const TargetParts parts = split_target(rest.substr(path_start));
  *path = parts.path;
  *query = parts.query;
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

// What arrived of a request-line without a complete head (for the log): the first line after
// the CRLFs a client may send before it (RFC 9112 §2.2), at most 256 bytes.
std::string_view partial_request_line(std::string_view in) {
  const std::size_t start = in.find_first_not_of("\r\n");
  in = in.substr(start == std::string_view::npos ? in.size() : start);
  return in.substr(0, std::min<std::size_t>(in.find_first_of("\r\n"), 256));
}

constexpr std::string_view kOverRouteLimit = "the body exceeds this route's limit";

// A buffered body's storage is kept for the connection's next request up to this size.
constexpr std::size_t kKeptBodyCapacity = 16 * 1024;

}  // namespace

Exchange::Exchange(Context& context, OutputQueue& out, std::string_view client)
    : context_(context), out_(out), client_(client) {}

void Exchange::set_request(const RequestHead* head, std::span<const char> message) {
  if (!routed_) {
    request_ = Request{};
    request_.client = client_;
    request_.context = &context_;
  }
  request_.message = message;
  request_.head = head;
  if (head != nullptr) {
    request_.method = head->method_id;
    request_.method_name = text(message, head->method);
    request_.target = text(message, head->target);
  }
}

// ---------------------------------------------------------------------------------------------
// Routing and the middleware before-hooks

Exchange::Outcome Exchange::begin(const RequestHead& head, std::span<const char> message) {
  routed_ = false;
  set_request(&head, message);
  routed_ = true;
  Response& response = context_.response;
  response.reset();
  const Endpoint* endpoint = route(head, response, /*before_hooks=*/true);
  protocol_.reset();
  if (endpoint == nullptr) return Outcome::answered;
  if (endpoint->websocket) {
    // RFC 6455 §4.2: the handshake, then the connection carries frames. A handler that
    // throws in on_open closes the WebSocket (1011), after the 101.
    protocol_ = start_websocket(endpoint->websocket, request_, response);
    return protocol_ ? Outcome::switch_protocols : Outcome::answered;
  }
  if (endpoint->stream || endpoint->body_limit > 0) return start_body(*endpoint, head, response);
  run_handler(endpoint->handler, response);
  return response.switching_protocols() ? Outcome::switch_protocols : Outcome::answered;
}

const Endpoint* Exchange::route(const RequestHead& head, Response& response, bool before_hooks) {
  Request& request = request_;
  const Site& site = context_.site;

  // RFC 9110 §15.6.2: a method we implement nowhere; §15.6: the body says so.
  constexpr std::string_view kNotImplemented = "the method is implemented for no resource";
  if (!is_implemented(request.method)) {
    return response.set_error(501, false, kNotImplemented), nullptr;
  }

  std::string_view raw_path;
  if (const Field* host = head.field(KnownField::host))
    request.host = text(request.message, host->value);
  switch (head.target_form) {
    case TargetForm::origin: {
      const TargetParts parts = split_target(request.target);
      raw_path = parts.path;
      request.raw_query = parts.query;
      break;
    }
    case TargetForm::absolute:
      // RFC 9112 §3.2.2: a server MUST accept the absolute-form, and an origin server MUST
      // take the host from it, ignoring Host.
      if (!absolute_form_path(request.target, &request.host, &raw_path, &request.raw_query)) {
        return response.set_error(404), nullptr;
      }
      break;
    case TargetForm::asterisk:
      // RFC 9112 §3.2.4: "OPTIONS *" asks about the server as a whole.
      response.add_field("Allow", site.router.allow_any());
      return nullptr;
    case TargetForm::authority:  // CONNECT only, and CONNECT is not implemented
      return response.set_error(501, false, kNotImplemented), nullptr;
  }

  // Route on the decoded path with dot segments removed (RFC 3986 §5.2.4); "%2F" (a slash
  // that is not a separator), "%00" and ".." above the root are refused.
  std::vector<char>& buffer = context_.path_buffer;
  const PathResult path = decode_path(raw_path, {buffer.data(), buffer.size()});
  if (path.error != PathError::none) {
    return response.set_error(400, false, path_problem(path.error)), nullptr;
  }
  request.path = {buffer.data(), path.length};

  const Router::Match match = site.router.match(request);
  request.allow = match.allow;
  const bool route_exists =
      match.outcome == Router::Outcome::found || match.outcome == Router::Outcome::options;
  if (before_hooks && route_exists) {
    // The chain sees requests for routes that exist; the first hook that answers wins.
    for (const MiddlewarePtr& m : site.middleware) {
      bool answered = false;
      try {
        answered = m->before(request, response);
      } catch (...) {
        response.set_error(500);
        answered = true;
      }
      if (answered) return nullptr;
    }
  }
  switch (match.outcome) {
    case Router::Outcome::not_implemented:
      return response.set_error(501, false, kNotImplemented), nullptr;
    case Router::Outcome::not_found:
      return response.set_error(404), nullptr;
    case Router::Outcome::method_not_allowed:
      response.set_error(405);  // RFC 9110 §15.5.6: with the methods that would work
      response.add_field("Allow", match.allow);
      return nullptr;
    case Router::Outcome::options:
      response.add_field("Allow", match.allow);  // RFC 9110 §9.3.7
      return nullptr;
    case Router::Outcome::found:
      break;
  }
  return match.endpoint;
}

void Exchange::run_handler(const Handler& handler, Response& response) noexcept {
  try {
    handler(request_, response);
    response.settle_body();
  } catch (...) {
    // The handler's half-filled response is dropped; the connection stays usable.
    response.set_error(500);
  }
}

// ---------------------------------------------------------------------------------------------
// Bodies

Exchange::Outcome Exchange::start_body(const Endpoint& endpoint, const RequestHead& head,
                                       Response& response) {
  if (endpoint.stream) {
    // RFC 9110 §15.5.12: an upload needs its length stated (Content-Length or chunked).
    // Without either the request has no body by RFC 9112 §6.3, but a client that meant one
    // would send it next, where it would parse as garbage: answer 411 and close.
    if (head.framing == Framing::no_body) {
      response.set_error(411, true, "an upload needs Content-Length or chunked");
      return Outcome::answered;
    }
    try {
      sink_ = endpoint.stream(request_, response);
    } catch (...) {
      sink_.reset();
      response.set_error(500);
    }
    if (!sink_) return Outcome::answered;  // refused: the response says why
    body_limit_ = 0;
  } else {
    if (head.framing == Framing::no_body) {  // nothing to wait for (RFC 9112 §6.3)
      run_handler(endpoint.handler, response);
      return Outcome::answered;
    }
    // RFC 9110 §15.5.14: refused before a byte is read when the length says so already.
    if (head.framing == Framing::content_length && head.content_length > endpoint.body_limit) {
      response.set_error(413, true, kOverRouteLimit);
      return Outcome::answered;
    }
    body_.clear();
    body_limit_ = endpoint.body_limit;
  }
  routed_ = false;  // the worker's path buffer serves other connections until the body ends
  // RFC 9110 §10.1.1: the client waits for 100 (Continue) before it sends the body.
  return head.expect_continue ? Outcome::continue_stream : Outcome::stream;
}

bool Exchange::take_body(std::span<const char> data) {
  const std::string_view piece(data.data(), data.size());
  if (body_limit_ == 0) {
    bool stored = false;
    try {
      stored = sink_ != nullptr && sink_->write(piece);
    } catch (...) {
    }
    if (stored) return true;
    sink_.reset();  // disk full or an I/O error: the sink removes what it wrote
    body_error_ = {500, "the upload could not be stored"};
    return false;
  }
  if (piece.size() > body_limit_ - body_.size()) {
    body_error_ = {413, kOverRouteLimit};
    return false;
  }
  body_.append(piece);
  return true;
}

void Exchange::end_body(const RequestHead& head, std::span<const char> message) {
  set_request(&head, message);
  routed_ = true;
  Response& response = context_.response;
  response.reset();
  // Routed again: the decoded path lives in the worker's buffer, which other connections
  // used while this body arrived. The before-hooks ran already, at begin().
  const std::unique_ptr<BodySink> sink = std::move(sink_);
  const Endpoint* endpoint = route(head, response, /*before_hooks=*/false);
  if (endpoint == nullptr) return;  // the table is fixed, so this route still matches
  if (sink != nullptr) {
    try {
      sink->finish(request_, response);
      response.settle_body();
    } catch (...) {
      response.set_error(500);
    }
    return;
  }
  request_.body = body_;
  run_handler(endpoint->handler, response);
}

void Exchange::abort_body() noexcept {
  sink_.reset();
  body_.clear();
  routed_ = false;
}

// ---------------------------------------------------------------------------------------------
// Answers

Exchange::Written Exchange::answer(const RequestHead* head, std::span<const char> message,
                                   std::string_view partial, bool keep_alive) {
  set_request(head, message);
  if (head == nullptr) request_.raw_line = partial_request_line(partial);
  Response& response = context_.response;
  const Site& site = context_.site;
  const bool head_only = head != nullptr && head->method_id == Method::head;
  if (response.file.valid() && response.file_length > kInlineFileMax && !head_only &&
      context_.queued_files >= context_.file_budget) {
    // The file would stay open until the client reads it, and the worker's share of the
    // descriptor limit is held by queued files already (descriptor_budget.hpp). RFC 9110
    // §15.6.4: 503, the client may retry; better than running out of descriptors for all.
    response.set_error(503, false, "too many files are being sent; try again");
    response.add_field("Retry-After", "1");
  }
  for (const MiddlewarePtr& m : site.middleware) {
    try {
      m->after(request_, response);
    } catch (...) {
      response.set_error(500, true);
    }
  }
  WireOptions o;
  o.date = context_.clock.http_date();
  o.head_only = head != nullptr && head->method_id == Method::head;
  o.close = response.close || !keep_alive;
  o.keep_alive_http10 = !o.close && head != nullptr && head->version_minor == 0;
  const WriteResult written = write_response(response, o, out_);
  for (const MiddlewarePtr& m : site.middleware) {
    try {
      m->sent(request_, response.status, written.body_bytes);
    } catch (...) {  // a log that failed must not stop serving
    }
  }
  routed_ = false;
  // An idle connection keeps no large body buffer (the response's copy is written already).
  if (body_.capacity() > kKeptBodyCapacity) std::string().swap(body_);
  return {response.close, written.complete};
}

}  // namespace httpfsm::server
