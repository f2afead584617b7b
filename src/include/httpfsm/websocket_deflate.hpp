// permessage-deflate negotiation on the server side (RFC 7692 §5, §7): parsing the
// Sec-WebSocket-Extensions offers (RFC 6455 §9.1) and choosing the response. Pure: no I/O, no
// allocation; the compression itself (zlib) is the caller's.
//
// RFC 7692 §5.1: an offer with an unknown parameter, a duplicate parameter or an invalid
// value is declined (the server goes on to the next offer), never a handshake failure; the
// first acceptable permessage-deflate offer is accepted, so a client's order of preference
// wins.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "httpfsm/request_head.hpp"

namespace httpfsm {

// The parameters of one offer or of the agreed extension (RFC 7692 §7.1).
struct DeflateParams {
  bool server_no_context_takeover = false;
  bool client_no_context_takeover = false;
  // LZ77 window bits, 8-15; 15 when the parameter is absent.
  std::uint8_t server_max_window_bits = 15;
  std::uint8_t client_max_window_bits = 15;
  bool has_server_max_window_bits = false;
  // Offered with or without a value (a client may offer it bare, §7.1.2.2).
  bool has_client_max_window_bits = false;
  friend bool operator==(const DeflateParams&, const DeflateParams&) = default;
};

enum class DeflateOffer : std::uint8_t {
  ok,
  not_deflate,          // another extension
  unknown_parameter,    // §7: a parameter RFC 7692 does not define
  duplicate_parameter,  // §7: the same parameter twice
  invalid_value,        // §7.1: a value where none is allowed, or bits outside 8-15
  syntax,               // not extension-token *( ";" extension-param ) (RFC 6455 §9.1)
};
std::string_view deflate_offer_name(DeflateOffer o) noexcept;

// Parses one offer, e.g. "permessage-deflate; client_max_window_bits; server_max_window_bits=10".
// Values may be tokens or quoted strings (RFC 6455 §9.1).
DeflateOffer parse_deflate_offer(std::string_view offer, DeflateParams& out) noexcept;

// What the server is willing to do.
struct DeflateConfig {
  bool enabled = true;
  // Ask for these even if not offered (§7.1.1.1, §7.1.1.2 allow the server to).
  bool server_no_context_takeover = false;
  bool client_no_context_takeover = false;
  // The server's own window, at most this; taken as 9 when below 9. zlib cannot deflate
  // with an 8-bit window (it silently uses 9, which a peer limited to 8 could not inflate),
  // so an offer of server_max_window_bits=8 is declined (§7.1.2.1 lets the server decline).
  std::uint8_t server_max_window_bits = 15;
  // The client's window to ask for when the client offered client_max_window_bits.
  std::uint8_t client_max_window_bits = 15;
};

struct DeflateAgreement {
  bool accepted = false;
  DeflateParams params;  // what both sides use when accepted
  // The Sec-WebSocket-Extensions value to answer with, e.g.
  // "permessage-deflate; server_no_context_takeover; client_max_window_bits=12".
  std::array<char, 128> response{};
  std::uint8_t response_size = 0;
  std::string_view response_value() const noexcept { return {response.data(), response_size}; }
};

// Goes through the comma-separated offers of `header_value` (every Sec-WebSocket-Extensions
// line joined with ", ") and accepts the first permessage-deflate offer the config can meet.
DeflateAgreement negotiate_deflate(std::string_view header_value,
                                   const DeflateConfig& config) noexcept;
// The same over every Sec-WebSocket-Extensions field line of a request.
DeflateAgreement negotiate_deflate(std::span<const char> message, const RequestHead& head,
                                   const DeflateConfig& config) noexcept;

}  // namespace httpfsm
