// application/x-www-form-urlencoded bodies and URL query strings, read as the WHATWG URL
// Standard's "application/x-www-form-urlencoded parser" reads them (§5.1): split on "&",
// skip empty pieces, split each at its first "=" into name and value ("a" -> name "a", value
// ""), "+" is a space, "%" followed by two hex digits is that byte and any other "%" is
// itself. Repeated names stay, in order.
//
// DEVIATION(WHATWG URL §5.1): the standard ends by decoding the bytes as UTF-8 with
// replacement (U+FFFD for bad sequences); these helpers hand out the decoded bytes as they
// are, so no byte is ever changed into another: the application checks UTF-8 if it needs it.
// Test: deviation_keeps_bytes_that_are_not_utf8.
//
// Pure and allocation-free: FormReader hands out raw (still encoded) views into the input;
// decode_form_component() decodes into a caller buffer (never longer than its input);
// decode_form() does a whole body into caller arrays; find_form_value() is the lookup by name.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace httpfsm {

struct FormPair {
  std::string_view name;
  std::string_view value;
};

// Walks the pairs of `input` (a body, or a query without its "?"). Views into `input`,
// still encoded.
class FormReader {
 public:
  explicit FormReader(std::string_view input) noexcept : rest_(input) {}
  // The next pair, or false at the end. Empty pieces ("a&&b") are skipped; "=" alone is a
  // pair with an empty name and value.
  bool next(FormPair& raw) noexcept;

 private:
  std::string_view rest_;
  bool done_ = false;
};

// Decodes one raw name or value: "+" -> SP, valid %XX -> byte, anything else as is. Returns
// the decoded length; out.size() >= raw.size() always suffices. SIZE_MAX when `out` is too
// small for the decoded bytes (nothing is truncated silently; `out` then holds a prefix).
std::size_t decode_form_component(std::string_view raw, std::span<char> out) noexcept;

// Whether `raw`, decoded, equals `decoded`, without a buffer.
bool form_component_equals(std::string_view raw, std::string_view decoded) noexcept;

struct FormDecodeResult {
  std::size_t count = 0;  // pairs written to `pairs`
  bool complete = true;   // false: `pairs` was too small (the first `count` are valid)
};

// Decodes every pair of `input` into `buffer` (input.size() bytes always suffice) and writes
// views into `buffer` to `pairs`, in order.
FormDecodeResult decode_form(std::string_view input, std::span<char> buffer,
                             std::span<FormPair> pairs) noexcept;

// The decoded value of the first pair whose decoded name is `name`, decoded into `buffer`
// (the raw value's size suffices). nullopt when no pair has that name or `buffer` is too
// small for its value.
std::optional<std::string_view> find_form_value(std::string_view input, std::string_view name,
                                                std::span<char> buffer) noexcept;

}  // namespace httpfsm
