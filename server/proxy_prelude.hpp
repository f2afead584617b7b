// The PROXY protocol header (HAProxy's specification) read straight from the socket, before
// a TLS handshake: on the wire the header precedes the ClientHello (§2: the proxy sends it
// first, whatever the application protocol), so an HTTPS listener with --proxy-protocol must
// take it off the raw socket and leave every byte after it for OpenSSL. Cleartext
// connections do not use this: their Connection parses the header from its input.
//
// Non-blocking and exact: bytes that are certainly the header's (all of them while it is
// incomplete: a v1 line before its CRLF, a v2 block shorter than its announced length) are
// read into the prelude's buffer; once the header is complete only its remaining bytes are
// read off the socket, found by peeking (MSG_PEEK), so the ClientHello behind it stays
// queued. The socket never stays readable with bytes we only peeked at and did not act on,
// so level-triggered poll/epoll do not spin. The time it takes counts against the header
// timeout (the worker's Connection is in its head state throughout).
#pragma once

#include <cstddef>
#include <string>

#include "httpfsm/proxy_protocol.hpp"

namespace httpfsm::server {

class ProxyPrelude {
 public:
  enum class Status : unsigned char { need_more, complete, failed };

  // Reads what the socket holds of the header. complete: header() is valid and the socket
  // is at the first byte after it; failed: a malformed header, EOF or a socket error (close
  // the connection without a word, §2.1 "abort the connection").
  Status read(int fd);
  const ProxyHeader& header() const noexcept { return parser_.header(); }

 private:
  ProxyHeaderParser parser_;
  std::string received_;  // the header's bytes so far (at most kProxyV2MaxLength)
};

}  // namespace httpfsm::server
