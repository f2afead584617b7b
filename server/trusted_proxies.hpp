// TrustedProxies: the CIDR blocks (--trusted-proxy) a PROXY-protocol listener accepts
// connections from. Anyone who can reach a listener that believes PROXY headers can claim any
// client address, so the sources that may send them are listed.
//
// Life cycle: parse() each block once at start-up (a bad block is a configuration error),
// then contains() per accepted connection, from any thread (read-only after start-up).
// Error behaviour: parse() returns false and leaves the set unchanged; contains() is false
// for text that is not a numeric address. An empty set contains every address.
// Purity: no I/O, clock or shared state; inet_pton only.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace httpfsm::server {

class TrustedProxies {
 public:
  // "10.0.0.0/8", "2001:db8::/32", "127.0.0.1" (a /32), "::1" (a /128). Bits set past the
  // prefix are refused, so a typo does not widen or move the block unnoticed.
  bool parse(std::string_view cidr);
  // `address` as the listener prints peers ("127.0.0.1", "::1", "::ffff:127.0.0.1": an
  // IPv4-mapped IPv6 peer matches IPv4 blocks).
  bool contains(std::string_view address) const;
  bool empty() const noexcept { return blocks_.empty(); }

 private:
  struct Block {
    std::array<std::uint8_t, 16> bytes{};  // IPv4 in the first 4
    bool v6 = false;
    unsigned prefix = 0;  // bits
  };
  std::vector<Block> blocks_;
};

}  // namespace httpfsm::server
