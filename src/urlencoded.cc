// application/x-www-form-urlencoded (httpfsm/urlencoded.hpp): WHATWG URL Standard §5.1.
#include "httpfsm/urlencoded.hpp"

#include <cstdint>

#include "char_class.hpp"

namespace httpfsm {

namespace {

// The byte at raw[i] decodes to, and how many input bytes it takes (WHATWG URL §1.3
// percent-decode: "%" followed by two ASCII hex digits is a byte; any other "%" is itself;
// §5.1: "+" is 0x20 before percent-decoding, so "%2B" stays "+").
struct Decoded {
  char byte;
  std::size_t width;
};
Decoded decode_at(std::string_view raw, std::size_t i) {
  const char c = raw[i];
  if (c == '+') return {' ', 1};
  if (c == '%' && raw.size() - i >= 3 &&
      detail::is_hexdig(static_cast<unsigned char>(raw[i + 1])) &&
      detail::is_hexdig(static_cast<unsigned char>(raw[i + 2]))) {
    const unsigned v = detail::hex_value(static_cast<unsigned char>(raw[i + 1])) * 16 +
                       detail::hex_value(static_cast<unsigned char>(raw[i + 2]));
    return {static_cast<char>(v), 3};
  }
  return {c, 1};
}

}  // namespace

bool FormReader::next(FormPair& raw) noexcept {
  while (!done_) {
    const std::size_t amp = rest_.find('&');
    std::string_view piece = rest_.substr(0, amp);
    if (amp == std::string_view::npos) {
      done_ = true;
    } else {
      rest_.remove_prefix(amp + 1);
    }
    if (piece.empty()) continue;  // "If bytes is the empty byte sequence, then continue."
    const std::size_t eq = piece.find('=');
    raw.name = piece.substr(0, eq);
    raw.value = eq == std::string_view::npos ? std::string_view{} : piece.substr(eq + 1);
    return true;
  }
  return false;
}

std::size_t decode_form_component(std::string_view raw, std::span<char> out) noexcept {
  std::size_t n = 0;
  for (std::size_t i = 0; i < raw.size();) {
    const Decoded d = decode_at(raw, i);
    if (n == out.size()) return SIZE_MAX;
    out[n++] = d.byte;
    i += d.width;
  }
  return n;
}

bool form_component_equals(std::string_view raw, std::string_view decoded) noexcept {
  std::size_t k = 0;
  for (std::size_t i = 0; i < raw.size();) {
    const Decoded d = decode_at(raw, i);
    if (k == decoded.size() || decoded[k] != d.byte) return false;
    ++k;
    i += d.width;
  }
  return k == decoded.size();
}

FormDecodeResult decode_form(std::string_view input, std::span<char> buffer,
                             std::span<FormPair> pairs) noexcept {
  FormDecodeResult r;
  FormReader reader(input);
  FormPair raw;
  std::size_t used = 0;
  while (reader.next(raw)) {
    if (r.count == pairs.size()) {
      r.complete = false;
      return r;
    }
    const std::size_t name = decode_form_component(raw.name, buffer.subspan(used));
    if (name == SIZE_MAX) return {r.count, false};
    const std::string_view decoded_name(buffer.data() + used, name);
    used += name;
    const std::size_t value = decode_form_component(raw.value, buffer.subspan(used));
    if (value == SIZE_MAX) return {r.count, false};
    pairs[r.count++] = {decoded_name, std::string_view(buffer.data() + used, value)};
    used += value;
  }
  return r;
}

std::optional<std::string_view> find_form_value(std::string_view input, std::string_view name,
                                                std::span<char> buffer) noexcept {
  FormReader reader(input);
  FormPair raw;
  while (reader.next(raw)) {
    if (!form_component_equals(raw.name, name)) continue;
    const std::size_t n = decode_form_component(raw.value, buffer);
    if (n == SIZE_MAX) return std::nullopt;
    return std::string_view(buffer.data(), n);
  }
  return std::nullopt;
}

}  // namespace httpfsm
