// The WebSocket opening handshake on the server side (RFC 6455 §4.2): checking a parsed
// upgrade request and computing Sec-WebSocket-Accept, less the SHA-1.
//
// The library has no cryptography (and a hash is not something to hand-roll): it gives the
// caller the exact bytes to hash (the key followed by the GUID of §1.3) and base64-encodes the
// 20-byte digest the caller computed, e.g. with libcrypto's SHA1():
//   auto in = accept_hash_input(check.key);       // 60 bytes
//   SHA1(in.data(), in.size(), digest);            // the caller's SHA-1
//   auto accept = encode_accept(digest);           // 28 characters of base64
// Pure functions: no I/O, no allocation.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "httpfsm/request_head.hpp"
#include "httpfsm/websocket_handshake_list.h"

namespace httpfsm {

enum class Handshake : std::uint8_t {
#define HTTPFSM_X(name, status, reference, message) name,
  HTTPFSM_WS_HANDSHAKE_LIST(HTTPFSM_X)
#undef HTTPFSM_X
};

std::string_view handshake_name(Handshake h) noexcept;
// 0 for ok; 400; or 426 for unsupported_version, whose answer must carry
// "Sec-WebSocket-Version: 13" (RFC 6455 §4.2.2).
int handshake_status(Handshake h) noexcept;
std::string_view handshake_reference(Handshake h) noexcept;
std::string_view handshake_message(Handshake h) noexcept;

struct UpgradeCheck {
  Handshake result = Handshake::ok;
  std::string_view key;         // Sec-WebSocket-Key as sent (24 characters) when ok
  std::string_view protocols;   // Sec-WebSocket-Protocol's first line, maybe empty
  std::string_view extensions;  // Sec-WebSocket-Extensions' first line, maybe empty
  // More than one Sec-WebSocket-Extensions line: the caller joins them (negotiate_deflate
  // takes the request head for that reason).
};

// Checks a request the head parser completed against RFC 6455 §4.2.1: GET, HTTP/1.1 or
// later, no content, an Upgrade list with "websocket", a Connection list with "upgrade" (both
// case-insensitive, any field line), exactly one Sec-WebSocket-Key of 16 bytes in canonical
// base64 and exactly one Sec-WebSocket-Version of 13. The first failing rule is returned.
// Views point into `message`.
UpgradeCheck check_upgrade(std::span<const char> message, const RequestHead& head) noexcept;

// RFC 6455 §4.2.2 /subprotocol/: the subprotocol to answer with, or an empty view for none
// (then the 101 MUST NOT carry Sec-WebSocket-Protocol). The value "MUST be derived from the
// client's handshake, specifically by selecting one of the values from the
// Sec-WebSocket-Protocol field that the server is willing to use": the client's first
// subprotocol, in its order of preference (§4.1) over every Sec-WebSocket-Protocol line (a
// request may repeat the field, §11.3.4), that `supported` holds, compared byte for byte.
// Empty list elements are skipped (RFC 9110 §5.6.1), and so is any element that is not a
// token (§4.1 allows tokens only), so a malformed offer is never echoed. The view points into
// `message`. Pure: no allocation.
std::string_view select_subprotocol(std::span<const char> message, const RequestHead& head,
                                    std::span<const std::string_view> supported) noexcept;

// The GUID of RFC 6455 §1.3.
inline constexpr std::string_view kWebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

// key + GUID: the 60 bytes whose SHA-1 the accept value encodes (§4.2.2 item 5.4).
// Precondition: key is 24 characters (check_upgrade() returned ok).
std::array<char, 60> accept_hash_input(std::string_view key) noexcept;
// The base64 of a 20-byte SHA-1 digest: the Sec-WebSocket-Accept value, 28 characters.
std::array<char, 28> encode_accept(std::span<const std::uint8_t, 20> digest) noexcept;

}  // namespace httpfsm
