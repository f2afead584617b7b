// Walks a byte stream of pipelined HTTP/1.1 requests the way a server would, with the library's
// RequestReader (or ResponseReader): a head, its body, then the next message right after it.
// Stops at the first error,
// since after a framing error nobody can tell where the next message would begin (that
// ambiguity is what request smuggling exploits).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include <httpfsm/error.hpp>
#include <httpfsm/limits.hpp>
#include <httpfsm/request_head.hpp>

namespace inspect {

struct FieldText {
  std::string_view name;
  std::string_view value;
};

// What one message turned out to be. Views point into the scanned input.
struct MessageReport {
  std::size_t index = 0;       // 1-based position in the stream
  std::uint64_t offset = 0;    // of the message's first byte in the input
  bool head_complete = false;  // the head fields below are meaningful

  // A response (scan_responses): its status-line instead of the request-line.
  bool response = false;
  int status = 0;
  std::string_view reason;
  bool interim = false;      // 1xx but 101: the final response to the same request follows
  bool leaves_http = false;  // 101 or a 2xx to CONNECT: the rest of the input is not HTTP
  // scan_exchange: the request this response answers (1-based), with its method; 0: none.
  std::size_t answers = 0;
  std::string_view answers_method;

  std::string_view method;
  httpfsm::Method method_id = httpfsm::Method::other;
  std::string_view target;
  httpfsm::TargetForm target_form = httpfsm::TargetForm::origin;
  int version_minor = 1;
  std::vector<FieldText> fields;
  httpfsm::Framing framing = httpfsm::Framing::no_body;
  std::uint64_t content_length = 0;
  bool keep_alive = true;
  bool expect_continue = false;
  std::uint32_t head_bytes = 0;

  std::uint64_t body_bytes = 0;     // on the wire, chunk framing included
  std::uint64_t content_bytes = 0;  // decoded
  std::vector<FieldText> trailers;

  httpfsm::Error error = httpfsm::Error::none;
  std::uint64_t error_offset = 0;  // of the offending byte in the input (== size: the end)
};

// Calls `on_message` for each message in `input`, in order; returns true when all were
// valid. Empty lines (CRLF) after the last message are ignored, as RFC 9112 §2.2 lets a
// server ignore them before a request-line.
bool scan_messages(std::string_view input, const httpfsm::Limits& limits,
                   const std::function<void(const MessageReport&)>& on_message);

// The same for a capture of responses, each answering a request with `method` (RFC 9112 §6.3:
// a response to HEAD has no body, a 2xx to CONNECT opens a tunnel), read with ResponseReader.
// A close-delimited body runs to the end of the input. Scanning stops after a response that
// leaves HTTP.
bool scan_responses(std::string_view input, const httpfsm::Limits& limits, httpfsm::Method method,
                    const std::function<void(const MessageReport&)>& on_message);

// A whole exchange captured one file per direction: the requests a client sent and the
// responses it got. The requests are read as scan_messages reads them; each complete request
// head queues its method for the responses (RFC 9112 §9.3: responses come in request order,
// and §6.3: a response to HEAD has no body, a 2xx to CONNECT opens a tunnel), so every
// response is framed by the request it answers; a response with no request left to answer is
// unsolicited_response. Reports come interleaved: each request, then the responses answering
// it (interim ones included), then any response left over. After a response that leaves HTTP
// (101, a 2xx to CONNECT) the client's bytes past the request it answers belong to the new
// protocol and are not read as requests. Returns true when every message of both directions
// was valid.
bool scan_exchange(std::string_view requests, std::string_view responses,
                   const httpfsm::Limits& limits,
                   const std::function<void(const MessageReport&)>& on_request,
                   const std::function<void(const MessageReport&)>& on_response);

}  // namespace inspect
