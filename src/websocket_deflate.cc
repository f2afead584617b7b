// permessage-deflate negotiation (RFC 7692 §5, §7) over the extension header grammar of
// RFC 6455 §9.1:
//   extension-list = 1#extension
//   extension = extension-token *( ";" extension-param )
//   extension-param = token [ "=" (token | quoted-string) ]
// The grammar is small and its values are re-checked as numbers, so it is plain C++.
#include "httpfsm/websocket_deflate.hpp"

#include <algorithm>
#include <cstring>

#include "char_class.hpp"

namespace httpfsm {

namespace {

bool is_ows(char c) noexcept { return c == ' ' || c == '\t'; }

std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

bool is_token(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s)
    if (!detail::kTchar[static_cast<unsigned char>(c)]) return false;
  return true;
}

// The index of the first `sep` in `s` outside a quoted-string, or npos.
std::size_t find_unquoted(std::string_view s, char sep) noexcept {
  bool quoted = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quoted && c == '\\') {
      ++i;  // quoted-pair: the next character is literal
    } else if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && c == sep) {
      return i;
    }
  }
  return std::string_view::npos;
}

// A parameter value: a token, or a quoted-string whose unescaped content (at most 2
// characters here: window bits are 8-15) is returned in `buf`. False on bad syntax.
bool unquote(std::string_view v, std::array<char, 4>& buf, std::string_view& out) noexcept {
  if (v.empty() || v.front() != '"') {
    out = v;
    return is_token(v);
  }
  if (v.size() < 2 || v.back() != '"') return false;
  std::size_t n = 0;
  for (std::size_t i = 1; i + 1 < v.size(); ++i) {
    char c = v[i];
    if (c == '\\') {
      if (i + 2 >= v.size()) return false;
      c = v[++i];
    }
    if (n == buf.size()) return false;
    buf[n++] = c;
  }
  out = {buf.data(), n};
  // RFC 6455 §9.1: "the value after quoted-string unescaping MUST conform to the 'token' ABNF".
  return is_token(out);
}

// RFC 7692 §7.1.2.1, §7.1.2.2: "a decimal integer value without leading zeroes between 8 to
// 15, inclusive". Returns 0 when it is not.
std::uint8_t window_bits(std::string_view v) noexcept {
  if (v.size() == 1 && v[0] >= '8' && v[0] <= '9') return static_cast<std::uint8_t>(v[0] - '0');
  if (v.size() == 2 && v[0] == '1' && v[1] >= '0' && v[1] <= '5')
    return static_cast<std::uint8_t>(10 + (v[1] - '0'));
  return 0;
}

void append(DeflateAgreement& a, std::string_view s) noexcept {
  const std::size_t room = a.response.size() - a.response_size;
  const std::size_t n = std::min(room, s.size());
  std::memcpy(a.response.data() + a.response_size, s.data(), n);
  a.response_size = static_cast<std::uint8_t>(a.response_size + n);
}

void append_bits(DeflateAgreement& a, std::string_view name, std::uint8_t bits) noexcept {
  append(a, name);
  const char digits[2] = {static_cast<char>('0' + bits / 10), static_cast<char>('0' + bits % 10)};
  append(a, bits >= 10 ? std::string_view(digits, 2) : std::string_view(digits + 1, 1));
}

}  // namespace

std::string_view deflate_offer_name(DeflateOffer o) noexcept {
  switch (o) {
    case DeflateOffer::ok:
      return "ok";
    case DeflateOffer::not_deflate:
      return "not_deflate";
    case DeflateOffer::unknown_parameter:
      return "unknown_parameter";
    case DeflateOffer::duplicate_parameter:
      return "duplicate_parameter";
    case DeflateOffer::invalid_value:
      return "invalid_value";
    case DeflateOffer::syntax:
      return "syntax";
  }
  return "";
}

DeflateOffer parse_deflate_offer(std::string_view offer, DeflateParams& out) noexcept {
  out = DeflateParams{};
  std::string_view rest = offer;
  std::size_t cut = find_unquoted(rest, ';');
  const std::string_view name = trim_ows(rest.substr(0, cut));
  if (!is_token(name)) return DeflateOffer::syntax;
  if (name != "permessage-deflate") return DeflateOffer::not_deflate;
  bool seen[4] = {false, false, false, false};
  while (cut != std::string_view::npos) {
    rest.remove_prefix(cut + 1);
    cut = find_unquoted(rest, ';');
    const std::string_view param = rest.substr(0, cut);
    const std::size_t eq = param.find('=');
    const std::string_view pname = trim_ows(param.substr(0, eq));
    if (!is_token(pname)) return DeflateOffer::syntax;
    std::array<char, 4> buf{};
    std::string_view value;
    const bool has_value = eq != std::string_view::npos;
    if (has_value && !unquote(trim_ows(param.substr(eq + 1)), buf, value)) {
      // A quoted value longer than any valid one is a bad value, not bad syntax.
      return trim_ows(param.substr(eq + 1)).starts_with('"') ? DeflateOffer::invalid_value
                                                             : DeflateOffer::syntax;
    }
    int index = -1;
    if (pname == "server_no_context_takeover") index = 0;
    if (pname == "client_no_context_takeover") index = 1;
    if (pname == "server_max_window_bits") index = 2;
    if (pname == "client_max_window_bits") index = 3;
    // RFC 7692 §7: "A server MUST decline an extension negotiation offer for this extension
    // if ... The negotiation offer contains an extension parameter not defined for use in an
    // offer. ... has multiple extension parameters with the same name. ... has an extension
    // parameter with an invalid value."
    if (index < 0) return DeflateOffer::unknown_parameter;
    const auto i = static_cast<std::size_t>(index);
    if (seen[i]) return DeflateOffer::duplicate_parameter;
    seen[i] = true;
    switch (index) {
      case 0:
      case 1:  // §7.1.1: these have no value
        if (has_value) return DeflateOffer::invalid_value;
        (index == 0 ? out.server_no_context_takeover : out.client_no_context_takeover) = true;
        break;
      case 2:  // §7.1.2.1: a value is required
        out.server_max_window_bits = has_value ? window_bits(value) : 0;
        if (out.server_max_window_bits == 0) return DeflateOffer::invalid_value;
        out.has_server_max_window_bits = true;
        break;
      default:  // §7.1.2.2: the value is optional in an offer
        out.has_client_max_window_bits = true;
        if (has_value) {
          out.client_max_window_bits = window_bits(value);
          if (out.client_max_window_bits == 0) return DeflateOffer::invalid_value;
        }
        break;
    }
  }
  return DeflateOffer::ok;
}

DeflateAgreement negotiate_deflate(std::string_view header_value,
                                   const DeflateConfig& config) noexcept {
  DeflateAgreement a;
  if (!config.enabled) return a;
  // zlib cannot deflate with an 8-bit window (see DeflateConfig), so 9 is the least.
  const std::uint8_t server_bits = std::clamp<std::uint8_t>(config.server_max_window_bits, 9, 15);
  const std::uint8_t client_bits = std::clamp<std::uint8_t>(config.client_max_window_bits, 8, 15);
  std::string_view rest = header_value;
  for (bool more = true; more;) {
    const std::size_t cut = find_unquoted(rest, ',');
    const std::string_view offer = trim_ows(rest.substr(0, cut));
    more = cut != std::string_view::npos;
    if (more) rest.remove_prefix(cut + 1);
    if (offer.empty()) continue;  // RFC 9110 §5.6.1: empty list elements are ignored
    DeflateParams p;
    if (parse_deflate_offer(offer, p) != DeflateOffer::ok) continue;
    // §7.1.2.1: the server's window may be at most what the client offered; a client that
    // can only inflate 8 bits cannot be served by zlib, so that offer is declined.
    if (p.has_server_max_window_bits && p.server_max_window_bits < 9) continue;
    DeflateParams& g = a.params;
    g.server_no_context_takeover =
        p.server_no_context_takeover || config.server_no_context_takeover;
    g.client_no_context_takeover =
        p.client_no_context_takeover || config.client_no_context_takeover;
    g.server_max_window_bits = std::min(
        server_bits, p.has_server_max_window_bits ? p.server_max_window_bits : std::uint8_t{15});
    g.has_server_max_window_bits = g.server_max_window_bits < 15 || p.has_server_max_window_bits;
    // §7.1.2.2: the server may name the client's window only if the client offered the
    // parameter; otherwise the client's window is 15.
    g.client_max_window_bits = p.has_client_max_window_bits
                                   ? std::min(client_bits, p.client_max_window_bits)
                                   : std::uint8_t{15};
    g.has_client_max_window_bits = p.has_client_max_window_bits && g.client_max_window_bits < 15;
    a.accepted = true;
    append(a, "permessage-deflate");
    if (g.server_no_context_takeover) append(a, "; server_no_context_takeover");
    if (g.client_no_context_takeover) append(a, "; client_no_context_takeover");
    if (g.has_server_max_window_bits)
      append_bits(a, "; server_max_window_bits=", g.server_max_window_bits);
    if (g.has_client_max_window_bits)
      append_bits(a, "; client_max_window_bits=", g.client_max_window_bits);
    return a;
  }
  return a;
}

DeflateAgreement negotiate_deflate(std::span<const char> message, const RequestHead& head,
                                   const DeflateConfig& config) noexcept {
  // RFC 9110 §5.3: several lines of a list field are one list, in order.
  for (const Field& f : head.fields) {
    if (!iequals(text(message, f.name), "Sec-WebSocket-Extensions")) continue;
    DeflateAgreement a = negotiate_deflate(text(message, f.value), config);
    if (a.accepted) return a;
  }
  return DeflateAgreement{};
}

}  // namespace httpfsm
