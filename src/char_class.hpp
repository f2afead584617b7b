// Byte classes of the grammar as 256-entry tables, for the code that runs beside the Ragel
// machine (skips, framing, helpers). Each table mirrors one rule of grammar/*.rl; the unit
// test char_class_test.cc checks every byte against the rule's definition. The builders are
// consteval: they run in the compiler only, so no run-time code (or coverage line) is left.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace httpfsm::detail {

using ByteTable = std::array<bool, 256>;

constexpr bool is_alpha(unsigned c) { return (c | 0x20u) >= 'a' && (c | 0x20u) <= 'z'; }
constexpr bool is_digit(unsigned c) { return c >= '0' && c <= '9'; }

// RFC 9110 §5.6.2 tchar.
consteval ByteTable make_tchar() {
  ByteTable t{};
  for (unsigned c = 0; c < 256; ++c) t[c] = is_alpha(c) || is_digit(c);
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) t[static_cast<unsigned char>(c)] = true;
  return t;
}
inline constexpr ByteTable kTchar = make_tchar();

// RFC 9110 §5.5 field-vchar, SP and HTAB: every byte that may appear inside a field value.
consteval ByteTable make_field_value_byte() {
  ByteTable t{};
  for (unsigned c = 0; c < 256; ++c) t[c] = c == '\t' || (c >= 0x20 && c != 0x7f);
  return t;
}
inline constexpr ByteTable kFieldValueByte = make_field_value_byte();

// Bytes that stand for themselves in origin-form (RFC 9112 §3.2.1): pchar minus pct-encoded,
// plus "/" and "?" (RFC 3986 §3.3 pchar, §3.4 query). "%" is handled apart (pct-encoded).
consteval ByteTable make_origin_byte() {
  ByteTable t{};
  for (unsigned c = 0; c < 256; ++c) t[c] = is_alpha(c) || is_digit(c);
  for (char c : std::string_view("-._~!$&'()*+,;=:@/?")) t[static_cast<unsigned char>(c)] = true;
  return t;
}
inline constexpr ByteTable kOriginByte = make_origin_byte();

// RFC 3986 §2.3 unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"
consteval ByteTable make_unreserved() {
  ByteTable t{};
  for (unsigned c = 0; c < 256; ++c) t[c] = is_alpha(c) || is_digit(c);
  for (char c : std::string_view("-._~")) t[static_cast<unsigned char>(c)] = true;
  return t;
}
inline constexpr ByteTable kUnreserved = make_unreserved();

constexpr bool is_hexdig(unsigned c) {
  return is_digit(c) || ((c | 0x20u) >= 'a' && (c | 0x20u) <= 'f');
}
constexpr unsigned hex_value(unsigned c) { return is_digit(c) ? c - '0' : (c | 0x20u) - 'a' + 10; }
// HEXDIG's value for each byte, kNotHex for the rest: one load per digit where chunk sizes
// are read outside the machine (body_decoder.cc).
inline constexpr std::uint8_t kNotHex = 0xff;
constexpr std::array<std::uint8_t, 256> make_hex_value() {
  std::array<std::uint8_t, 256> t{};
  for (unsigned c = 0; c < 256; ++c)
    t[c] = is_hexdig(c) ? static_cast<std::uint8_t>(hex_value(c)) : kNotHex;
  return t;
}
inline constexpr std::array<std::uint8_t, 256> kHexValue = make_hex_value();
constexpr unsigned char ascii_lower(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c | 0x20u) : c;
}

}  // namespace httpfsm::detail
