// Byte classes and small list helpers written again from the RFCs for the fuzz oracles, on
// purpose independent of the library's own tables (src/char_class.hpp): an oracle that shares
// the code it checks cannot catch that code's mistakes.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace httpfsm::fuzz {

inline bool is_alpha(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
inline bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
inline bool is_hexdig(unsigned char c) {
  return is_digit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}
inline unsigned hex_value(unsigned char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a') return c - 'a' + 10u;
  return c - 'A' + 10u;
}

// RFC 9110 §5.6.2 tchar
inline bool is_tchar(unsigned char c) {
  if (is_alpha(c) || is_digit(c)) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}
inline bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_tchar(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// RFC 9110 §5.5 field-vchar = VCHAR / obs-text
inline bool is_field_vchar(unsigned char c) { return (c >= 0x21 && c <= 0x7e) || c >= 0x80; }
inline bool is_ows(char c) { return c == ' ' || c == '\t'; }
// RFC 9110 §5.5: a field value is field-vchar, SP and HTAB, not starting or ending with
// whitespace.
inline bool is_field_value(std::string_view v) {
  for (char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if (!is_field_vchar(u) && !is_ows(c)) return false;
  }
  return v.empty() || (!is_ows(v.front()) && !is_ows(v.back()));
}

inline char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

inline std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

// The elements of a comma-separated list (RFC 9110 §5.6.1), OWS trimmed, empty ones kept.
// Commas inside quoted strings are not treated specially: callers skip quoted values.
inline std::vector<std::string_view> split_list(std::string_view v) {
  std::vector<std::string_view> out;
  for (;;) {
    const std::size_t comma = v.find(',');
    out.push_back(trim_ows(v.substr(0, comma)));
    if (comma == std::string_view::npos) return out;
    v.remove_prefix(comma + 1);
  }
}

}  // namespace httpfsm::fuzz

namespace httpfsm::fuzz {

// RFC 9112 §7.1.1 chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
//   chunk-ext-name = token, chunk-ext-val = token / quoted-string (RFC 9110 §5.6.4)
// Scans `ext` (the bytes between chunk-size and the CR): the index of the first byte no valid
// chunk-ext can continue with (npos if none), and whether `ext` is a complete chunk-ext.
struct ChunkExtScan {
  std::size_t first_bad = std::string_view::npos;
  bool complete = false;
};

inline ChunkExtScan scan_chunk_ext(std::string_view ext) {
  enum class State {
    element_end,  // after chunk-size or a whole element: CR, BWS or ";"
    bws,          // BWS that must lead to ";" (or "=" right after a name)
    bws_after_name,
    after_semi,  // BWS, then the name
    name,
    after_equals,  // BWS, then the value
    token_value,
    quoted,
    quoted_pair,
  };
  const auto qdtext = [](unsigned char c) {
    return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5b) ||
           (c >= 0x5d && c <= 0x7e) || c >= 0x80;
  };
  State s = State::element_end;
  for (std::size_t i = 0; i < ext.size(); ++i) {
    const auto c = static_cast<unsigned char>(ext[i]);
    const bool ws = c == ' ' || c == '\t';
    bool ok = true;
    switch (s) {
      case State::element_end:
      case State::bws:
        if (c == ';') {
          s = State::after_semi;
        } else if (ws) {
          s = State::bws;
        } else {
          ok = false;
        }
        break;
      case State::after_semi:
        if (is_tchar(c)) {
          s = State::name;
        } else if (!ws) {
          ok = false;
        }
        break;
      case State::name:
      case State::bws_after_name:
        if (is_tchar(c) && s == State::name) {
        } else if (c == '=') {
          s = State::after_equals;
        } else if (c == ';') {
          s = State::after_semi;
        } else if (ws) {
          s = State::bws_after_name;
        } else {
          ok = false;
        }
        break;
      case State::after_equals:
        if (is_tchar(c)) {
          s = State::token_value;
        } else if (c == '"') {
          s = State::quoted;
        } else if (!ws) {
          ok = false;
        }
        break;
      case State::token_value:
        if (is_tchar(c)) {
        } else if (c == ';') {
          s = State::after_semi;
        } else if (ws) {
          s = State::bws;
        } else {
          ok = false;
        }
        break;
      case State::quoted:
        if (c == '"') {
          s = State::element_end;
        } else if (c == '\\') {
          s = State::quoted_pair;
        } else if (!qdtext(c)) {
          ok = false;
        }
        break;
      case State::quoted_pair:
        // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
        if (c == '\t' || c == ' ' || (c >= 0x21 && c <= 0x7e) || c >= 0x80) {
          s = State::quoted;
        } else {
          ok = false;
        }
        break;
    }
    if (!ok) return {i, false};
  }
  return {std::string_view::npos,
          s == State::element_end || s == State::name || s == State::token_value};
}

}  // namespace httpfsm::fuzz
