#include "trusted_proxies.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <string>

namespace httpfsm::server {

namespace {

// Numeric IPv4 or IPv6 text to bytes; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) becomes
// IPv4, the form a dual-stack listener reports IPv4 peers in.
bool to_bytes(std::string_view text, std::array<std::uint8_t, 16>* out, bool* v6) {
  const std::string s(text);  // inet_pton wants a NUL-terminated string
  out->fill(0);
  if (::inet_pton(AF_INET, s.c_str(), out->data()) == 1) {
    *v6 = false;
    return true;
  }
  if (::inet_pton(AF_INET6, s.c_str(), out->data()) != 1) return false;
  static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kMapped, kMapped + 12, out->begin())) {
    std::copy(out->begin() + 12, out->end(), out->begin());
    std::fill(out->begin() + 4, out->end(), std::uint8_t{0});
    *v6 = false;
    return true;
  }
  *v6 = true;
  return true;
}

bool prefix_matches(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& b,
                    unsigned bits) {
  for (std::size_t i = 0; bits > 0; ++i, bits = bits >= 8 ? bits - 8 : 0) {
    const auto mask = static_cast<std::uint8_t>(bits >= 8 ? 0xff : 0xff << (8 - bits));
    if ((a[i] & mask) != (b[i] & mask)) return false;
  }
  return true;
}

}  // namespace

bool TrustedProxies::parse(std::string_view cidr) {
  Block b;
  const std::size_t slash = cidr.find('/');
  if (!to_bytes(cidr.substr(0, slash), &b.bytes, &b.v6)) return false;
  const unsigned max = b.v6 ? 128 : 32;
  b.prefix = max;
  if (slash != std::string_view::npos) {
    const std::string_view bits = cidr.substr(slash + 1);
    const auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), b.prefix);
    if (bits.empty() || ec != std::errc{} || end != bits.data() + bits.size() || b.prefix > max)
      return false;
  }
  // No address bits past the prefix: "10.1.0.0/8" is refused rather than read as 10.0.0.0/8.
  Block zeroed = b;
  for (unsigned bit = b.prefix; bit < max; ++bit) {
    zeroed.bytes[bit / 8] =
        static_cast<std::uint8_t>(zeroed.bytes[bit / 8] & ~(0x80u >> (bit % 8)));
  }
  if (zeroed.bytes != b.bytes) return false;
  blocks_.push_back(b);
  return true;
}

bool TrustedProxies::contains(std::string_view address) const {
  if (blocks_.empty()) return true;
  std::array<std::uint8_t, 16> bytes{};
  bool v6 = false;
  if (!to_bytes(address, &bytes, &v6)) return false;
  for (const Block& b : blocks_) {
    if (b.v6 == v6 && prefix_matches(b.bytes, bytes, b.prefix)) return true;
  }
  return false;
}

}  // namespace httpfsm::server
