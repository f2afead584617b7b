// What the response head parser produces: spans into the caller's buffer plus the framing
// decisions of RFC 9112 §6.3, which for a response depend on the request it answers.
// Nothing here owns or copies response bytes.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "httpfsm/request_head.hpp"

namespace httpfsm {

struct ResponseHead {
  static constexpr std::uint16_t kAbsent = RequestHead::kAbsent;

  // HTTP/1.<minor>. Minor versions above 1 are kept as sent but handled as 1.1 (RFC 9110 §2.5).
  std::uint8_t version_minor = 1;
  // RFC 9112 §4 status-code, 100-599 (RFC 9110 §15).
  std::uint16_t status = 0;
  // RFC 9112 §4 reason-phrase as sent; empty when there is none. "A client SHOULD ignore the
  // reason-phrase content" (§4): it carries no meaning for framing.
  Span reason;

  // Every field line in order. The array belongs to the parser; it is valid until the next
  // parse() or reset() and holds at most Limits::max_fields entries.
  std::span<const Field> fields;
  // Index in `fields` of the first line of each known field, or kAbsent.
  std::array<std::uint16_t, kKnownFieldCount> first{};

  // RFC 9112 §6.3. `until_close` (item 4 with chunked not last, item 8 with neither field):
  // the body is every byte until the server closes the connection.
  Framing framing = Framing::no_body;
  std::uint64_t content_length = 0;  // when framing == content_length
  // RFC 9112 §9.3: persistent unless "close", unless HTTP/1.0 without "keep-alive", and never
  // after a body delimited by the close.
  bool keep_alive = true;
  // RFC 9110 §15.2: a 1xx response other than 101 is interim; the final response to the same
  // request follows it on the connection.
  bool interim = false;
  // After this head the connection no longer carries HTTP/1.1: 101 Switching Protocols
  // (RFC 9110 §15.2.2) or a 2xx answer to CONNECT, which makes it a tunnel (RFC 9110 §9.3.6,
  // RFC 9112 §6.3 item 2).
  bool leaves_http = false;

  // The first line of a known field, or nullptr.
  const Field* field(KnownField k) const noexcept {
    const std::uint16_t i = first[static_cast<std::size_t>(k)];
    return i == kAbsent ? nullptr : &fields[i];
  }
  // The value of the first line of a known field, or an empty view if it is absent.
  std::string_view value(std::span<const char> message, KnownField k) const noexcept {
    const Field* f = field(k);
    return f == nullptr ? std::string_view{} : text(message, f->value);
  }
  // The first field line whose name equals `name` ignoring ASCII case (RFC 9110 §5.1), or
  // nullptr.
  const Field* find(std::span<const char> message, std::string_view name) const noexcept {
    return find_field(fields, message, name);
  }
};

}  // namespace httpfsm
