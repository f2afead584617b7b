// The server side of the WebSocket opening handshake (RFC 6455 §4.2.1, §4.2.2).
#include "httpfsm/websocket_handshake.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "char_class.hpp"

namespace httpfsm {

namespace {

struct HandshakeInfo {
  std::string_view name;
  int status;
  std::string_view reference;
  std::string_view message;
};

constexpr HandshakeInfo kHandshakes[] = {
#define HTTPFSM_X(name, status, reference, message) {#name, status, reference, message},
    HTTPFSM_WS_HANDSHAKE_LIST(HTTPFSM_X)
#undef HTTPFSM_X
};

const HandshakeInfo& info(Handshake h) noexcept {
  const auto i = static_cast<std::size_t>(h);
  return kHandshakes[i < std::size(kHandshakes) ? i : 0];
}

constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int base64_value(char c) noexcept {
  const std::size_t i = kBase64.find(c);
  return i == std::string_view::npos ? -1 : static_cast<int>(i);
}

std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Whether the comma-separated list `value` (RFC 9110 §5.6.1) has `item`, ignoring case.
// Upgrade items may carry a version ("websocket/13" is not "websocket", RFC 9110 §7.8).
bool list_has(std::string_view value, std::string_view item) noexcept {
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    if (iequals(trim_ows(value.substr(0, comma)), item)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

// Whether any field line named `name` lists `item`.
bool any_line_lists(std::span<const char> message, const RequestHead& head, std::string_view name,
                    std::string_view item) noexcept {
  for (const Field& f : head.fields)
    if (iequals(text(message, f.name), name) && list_has(text(message, f.value), item)) return true;
  return false;
}

// The only line named `name`; `count` says how many there were.
std::string_view only_line(std::span<const char> message, const RequestHead& head,
                           std::string_view name, int& count) noexcept {
  count = 0;
  std::string_view v;
  for (const Field& f : head.fields) {
    if (!iequals(text(message, f.name), name)) continue;
    if (count++ == 0) v = text(message, f.value);
  }
  return v;
}

// §4.1: the key is "a randomly selected 16-byte value that has been base64-encoded": exactly
// 22 base64 characters and "==". The last character carries 2 bits of the 16th byte and 4
// padding bits, which RFC 4648 §3.5 says are zero in the canonical encoding; a key drawn at
// random and encoded by any base64 encoder has them zero, so anything else is refused.
bool valid_key(std::string_view key) noexcept {
  if (key.size() != 24 || key[22] != '=' || key[23] != '=') return false;
  for (std::size_t i = 0; i < 22; ++i)
    if (base64_value(key[i]) < 0) return false;
  return (base64_value(key[21]) & 0x0f) == 0;
}

}  // namespace

std::string_view handshake_name(Handshake h) noexcept { return info(h).name; }
int handshake_status(Handshake h) noexcept { return info(h).status; }
std::string_view handshake_reference(Handshake h) noexcept { return info(h).reference; }
std::string_view handshake_message(Handshake h) noexcept { return info(h).message; }

UpgradeCheck check_upgrade(std::span<const char> message, const RequestHead& head) noexcept {
  UpgradeCheck r;
  const auto result = [&r](Handshake h) {
    r.result = h;
    return r;
  };
  // §4.2.1 item 1: "An HTTP/1.1 or higher GET request".
  if (head.method_id != Method::get) return result(Handshake::not_get);
  if (head.version_minor < 1) return result(Handshake::not_http11);
  // §4.1 has the client send a GET without content; a body would be read as frames.
  // "Content-Length: 0" announces none, so it is no body.
  if (head.framing == Framing::chunked ||
      (head.framing == Framing::content_length && head.content_length != 0))
    return result(Handshake::has_body);
  // Item 3: "An |Upgrade| header field containing the value "websocket", treated as an
  // ASCII case-insensitive value."
  if (!any_line_lists(message, head, "Upgrade", "websocket"))
    return result(Handshake::missing_upgrade);
  // Item 4: "A |Connection| header field that includes the token "Upgrade", treated as an
  // ASCII case-insensitive value."
  if (!any_line_lists(message, head, "Connection", "upgrade"))
    return result(Handshake::missing_connection_upgrade);
  // Item 5: one key of 16 bytes in base64.
  int count = 0;
  const std::string_view key = only_line(message, head, "Sec-WebSocket-Key", count);
  if (count == 0) return result(Handshake::missing_key);
  if (count > 1 || !valid_key(key)) return result(Handshake::bad_key);
  // Item 6 and §4.2.2: "The value of this header field MUST be 13"; any other version is
  // answered 426 with the versions the server speaks.
  const std::string_view version = only_line(message, head, "Sec-WebSocket-Version", count);
  if (count == 0) return result(Handshake::missing_version);
  if (count > 1 || version != "13") return result(Handshake::unsupported_version);
  r.key = key;
  r.protocols = only_line(message, head, "Sec-WebSocket-Protocol", count);
  r.extensions = only_line(message, head, "Sec-WebSocket-Extensions", count);
  return r;
}

std::string_view select_subprotocol(std::span<const char> message, const RequestHead& head,
                                    std::span<const std::string_view> supported) noexcept {
  if (supported.empty()) return {};
  const auto is_token = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
      return detail::kTchar[static_cast<unsigned char>(c)];
    });
  };
  for (const Field& f : head.fields) {
    if (!iequals(text(message, f.name), "Sec-WebSocket-Protocol")) continue;
    std::string_view value = text(message, f.value);
    for (;;) {
      const std::size_t comma = value.find(',');
      const std::string_view offer = trim_ows(value.substr(0, comma));
      if (is_token(offer) &&
          std::find(supported.begin(), supported.end(), offer) != supported.end())
        return offer;
      if (comma == std::string_view::npos) break;
      value.remove_prefix(comma + 1);
    }
  }
  return {};
}

std::array<char, 60> accept_hash_input(std::string_view key) noexcept {
  std::array<char, 60> in{};
  std::memcpy(in.data(), key.data(), std::min<std::size_t>(key.size(), 24));
  std::memcpy(in.data() + 24, kWebSocketGuid.data(), kWebSocketGuid.size());
  return in;
}

std::array<char, 28> encode_accept(std::span<const std::uint8_t, 20> digest) noexcept {
  // RFC 4648 §4: 20 bytes are six groups of three and a last group of two ("X=" padding).
  std::array<char, 28> out{};
  std::size_t o = 0;
  for (std::size_t i = 0; i < 18; i += 3) {
    const unsigned v = (unsigned{digest[i]} << 16) | (unsigned{digest[i + 1]} << 8) | digest[i + 2];
    out[o++] = kBase64[(v >> 18) & 63];
    out[o++] = kBase64[(v >> 12) & 63];
    out[o++] = kBase64[(v >> 6) & 63];
    out[o++] = kBase64[v & 63];
  }
  const unsigned v = (unsigned{digest[18]} << 16) | (unsigned{digest[19]} << 8);
  out[o++] = kBase64[(v >> 18) & 63];
  out[o++] = kBase64[(v >> 12) & 63];
  out[o++] = kBase64[(v >> 6) & 63];
  out[o++] = '=';
  return out;
}

}  // namespace httpfsm
