// Properties of the urlencoded helpers (httpfsm/urlencoded.hpp): any list of byte-string
// pairs, form-encoded in any of the ways a client may, decodes back to the same list
// (WHATWG URL §5.1), and lookup finds the first value of a name.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "httpfsm/urlencoded.hpp"

namespace httpfsm {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// Encodes one name or value: "&", "=", "+", "%" and bytes outside printable ASCII always as
// %XX; a space as "+" or "%20"; other bytes literally or as %xx/%XX.
std::string encode(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  static constexpr char kLowerHex[] = "0123456789abcdef";
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    const int choice = *rc::gen::inRange(0, 3);
    if (c == ' ' && choice == 0) {
      out += '+';
    } else if (u > 0x20 && u < 0x7f && c != '&' && c != '=' && c != '+' && c != '%' &&
               choice != 2) {
      out += c;
    } else {
      const char* hex = choice == 1 ? kLowerHex : kHex;
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 15];
    }
  }
  return out;
}

RC_GTEST_PROP(UrlencodedProperties, encoded_pairs_decode_back, (const Pairs& pairs)) {
  std::string input;
  for (const auto& [name, value] : pairs) {
    // Empty pieces between pairs are skipped by the parser: add some.
    input += std::string(static_cast<std::size_t>(*rc::gen::inRange(0, 2)), '&');
    if (!input.empty() && input.back() != '&') input += '&';
    input += encode(name);
    // "a" and "a=" both mean an empty value; "=" is needed when the name is empty.
    if (!value.empty() || name.empty() || *rc::gen::arbitrary<bool>()) input += "=" + encode(value);
  }
  std::string buffer(input.size(), '\0');
  std::vector<FormPair> out(pairs.size() + 1);
  const FormDecodeResult r = decode_form(input, buffer, out);
  RC_ASSERT(r.complete);
  RC_ASSERT(r.count == pairs.size());
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    RC_ASSERT(out[i].name == pairs[i].first);
    RC_ASSERT(out[i].value == pairs[i].second);
    // Lookup gives the first pair of that name.
    std::size_t first = 0;
    while (pairs[first].first != pairs[i].first) ++first;
    std::string value_buffer(input.size(), '\0');
    RC_ASSERT(find_form_value(input, pairs[i].first, value_buffer) ==
              std::optional<std::string_view>(pairs[first].second));
  }
}

RC_GTEST_PROP(UrlencodedProperties, decoding_never_grows_and_any_bytes_decode,
              (const std::string& input)) {
  std::string buffer(input.size(), '\0');
  std::vector<FormPair> out(input.size() + 1);
  const FormDecodeResult r = decode_form(input, buffer, out);
  RC_ASSERT(r.complete);
  for (std::size_t i = 0; i < r.count; ++i) {
    RC_ASSERT(out[i].name.data() >= buffer.data());
    RC_ASSERT(out[i].value.data() + out[i].value.size() <= buffer.data() + buffer.size());
  }
}

}  // namespace
}  // namespace httpfsm
