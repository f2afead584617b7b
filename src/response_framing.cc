// Response framing (RFC 9112 §6.3), which depends on the request the response answers: plain
// C++ beside framing.cc, which has already read the Content-Length, Transfer-Encoding and
// Connection fields line by line (their per-field syntax errors are the request side's).
#include "httpfsm/response_head_parser.hpp"

namespace httpfsm {

void ResponseHeadParser::finish_framing() noexcept {
  const auto& f = fields_.framing_;
  const bool http11 = head_.version_minor >= 1;
  const std::uint16_t status = head_.status;
  // RFC 9112 §9.3: persistence, as for requests.
  head_.keep_alive = !f.connection_close && (http11 || f.connection_keep_alive);
  head_.framing = Framing::no_body;

  // §6.3 item 1: "Any response to a HEAD request and any response with a 1xx (Informational),
  // 204 (No Content), or 304 (Not Modified) status code is always terminated by the first
  // empty line after the header fields, regardless of the header fields present".
  if (status < 200) {
    // RFC 9110 §15.2.2: after 101 the connection speaks the protocol switched to; any other
    // 1xx is interim and the final response follows (§15.2).
    if (status == 101) {
      head_.leaves_http = true;
    } else {
      head_.interim = true;
    }
    return;
  }
  // §6.3 item 2: "Any 2xx (Successful) response to a CONNECT request implies that the
  // connection will become a tunnel immediately after the empty line that concludes the
  // header fields. A client MUST ignore any Content-Length or Transfer-Encoding header fields
  // received in such a message."
  if (request_method_ == Method::connect && status < 300) {
    head_.leaves_http = true;
    return;
  }

  // Item 1 again, after item 2: a 204 to CONNECT is a tunnel (RFC 9110 §9.3.6: "Any 2xx
  // (Successful) response indicates that the sender ... will switch to tunnel mode").
  if (request_method_ == Method::head || status == 204 || status == 304) return;

  if (f.has_transfer_encoding) {
    const std::uint32_t at = f.transfer_encoding_offset;
    // RFC 9112 §6.1: "A server or client that receives an HTTP/1.0 message containing a
    // Transfer-Encoding header field MUST treat the message as if the framing is faulty".
    if (!http11) {
      fail(Error::te_in_http10, at);
      return;
    }
    // §6.3 item 3: both fields "might indicate an attempt to perform request smuggling
    // (Section 11.2) or response splitting (Section 11.1) and ought to be handled as an error".
    if (f.has_content_length) {
      fail(Error::te_with_cl, f.content_length_offset);
      return;
    }
    // RFC 9112 §6.1: "A sender MUST NOT apply the chunked transfer coding more than once".
    if (f.te_chunked_count > 1) {
      fail(Error::chunked_not_last, at);
      return;
    }
    // §6.3 item 4: "If a Transfer-Encoding header field is present in a response and the
    // chunked transfer coding is not the final encoding, the message body length is
    // determined by reading the connection until it is closed by the server." With chunked
    // final, codings before it (gzip, ...) stay on the content for the caller to undo.
    if (f.te_final_chunked) {
      head_.framing = Framing::chunked;
    } else {
      head_.framing = Framing::until_close;
      head_.keep_alive = false;
    }
    return;
  }
  if (f.has_content_length) {
    // §6.3 item 5: an invalid Content-Length was refused field by field (bad_content_length,
    // conflicting_content_length). RFC 9110 §15.5.14's limit applies before any body byte.
    if (f.content_length > limits().max_body) {
      fail(Error::body_too_large, f.content_length_offset);
      return;
    }
    head_.framing = Framing::content_length;  // §6.3 item 6
    head_.content_length = f.content_length;
    return;
  }
  // §6.3 item 8: "Otherwise, this is a response message without a declared message body
  // length, so the message body length is determined by the number of octets received prior
  // to the server closing the connection."
  head_.framing = Framing::until_close;
  head_.keep_alive = false;
}

}  // namespace httpfsm
